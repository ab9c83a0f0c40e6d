"""IFEval from its published JSONL: one case per row, the verifiers' ids and arguments with it.

IFEval has no reference replies: the oracle's attempts are errors (with a
warning before the run), never a silent 0% or 100%. The suite is checked end
to end with replies written here to follow every sample row's instructions,
fed through `replay`: all of them followed strictly, and one broken reply
caught.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchlab.store import Store
from benchlab.suites import load_suite
from scorers.ifeval._punkt import write_punkt_model
from support.hub_data import rows_of, write_folder
from support.runs import assert_user_error, cli

FOLLOWED = {
    # no commas, at least 300 words
    "1000": "Parks are green places where people walk and rest. " * 40,
    # all lower case
    "1001": "the park is quiet and green and we walk there every morning.",
    # a <<title>>, exactly two bullets, the closing phrase
    "1005": "<<Parks>>\n* Trees give shade.\n* Ponds hold ducks.\n"
    "Is there anything else I can help with?",
}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_folder("ifeval", tmp_path / "ifeval")


@pytest.fixture(scope="module")
def nltk_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The verifiers split sentences with NLTK's punkt_tab: our small model, for the run."""
    return {"NLTK_DATA": str(write_punkt_model(tmp_path_factory.mktemp("nltk_data")))}


def _replies(path: Path, outputs: dict[str, str]) -> str:
    path.write_text(
        "".join(json.dumps({"case_id": k, "output": v}) + "\n" for k, v in outputs.items())
    )
    return f"replay/{path}"


def test_cases_carry_the_rows_key_prompt_and_instructions(data: Path) -> None:
    suite = load_suite(f"ifeval?data={data}")
    cases = list(suite.iter_cases())
    assert [c.id for c in cases] == ["1000", "1001", "1005"]
    rows = rows_of("ifeval", "train")
    for case, row in zip(cases, rows, strict=True):
        assert case.input == row["prompt"]
        assert case.expected is None and case.reference is None
        assert case.metadata["instruction_id_list"] == row["instruction_id_list"]
        assert case.metadata["kwargs"] == row["kwargs"]
    assert [s.name for s in suite.header.scorers] == ["ifeval"]
    params = suite.header.params
    assert params is not None and (params.temperature, params.max_tokens) == (0.0, 1280)
    assert "no reference replies" in suite.header.metadata["references"]


def test_replies_that_follow_every_instruction_score_100_percent_strict(
    data: Path, tmp_path: Path, nltk_env: dict[str, str]
) -> None:
    db = f"sqlite:///{tmp_path}/runs.db"
    model = _replies(tmp_path / "replies.jsonl", FOLLOWED)
    done = cli("run", "ifeval", "--data", str(data), "-m", model, "--db", db, "-q", env=nltk_env)
    assert done.returncode == 0, done.stderr
    with Store(db) as store:
        (run,) = store.list_runs()
        scores = {a.case_id: a.scores[0] for a in store.iter_attempts(run.id)}
    assert sorted(scores) == ["1000", "1001", "1005"]
    for score in scores.values():
        details = score.details or {}
        assert score.passed is True
        assert details["prompt_level_strict_acc"] is True
        assert all(details["inst_level_strict_acc"])
    assert scores["1005"].details is not None
    assert scores["1005"].details["inst_level_strict_acc"] == [True, True, True]


def test_a_reply_that_breaks_an_instruction_fails_it(
    data: Path, tmp_path: Path, nltk_env: dict[str, str]
) -> None:
    broken = {**FOLLOWED, "1000": "Parks, gardens, and woods. " * 80}  # commas
    db = f"sqlite:///{tmp_path}/runs.db"
    model = _replies(tmp_path / "replies.jsonl", broken)
    done = cli("run", "ifeval", "--data", str(data), "-m", model, "--db", db, "-q", env=nltk_env)
    assert done.returncode == 0, done.stderr
    with Store(db) as store:
        (run,) = store.list_runs()
        scores = {a.case_id: a.scores[0] for a in store.iter_attempts(run.id)}
    assert {k: s.passed for k, s in scores.items()} == {"1000": False, "1001": True, "1005": True}
    assert scores["1000"].details is not None
    assert scores["1000"].details["inst_level_strict_acc"] == [False, True]


def test_the_oracle_has_nothing_to_answer_errors_and_says_so(
    data: Path, tmp_path: Path, nltk_env: dict[str, str]
) -> None:
    db = f"sqlite:///{tmp_path}/runs.db"
    done = cli("run", "ifeval", "--data", str(data), "-m", "oracle", "--db", db, env=nltk_env)
    assert done.returncode == 3, (done.stdout, done.stderr)  # 3: attempts errored
    assert "3 case(s) have no expected answer" in done.stderr
    with Store(db) as store:
        (run,) = store.list_runs()
        attempts = list(store.iter_attempts(run.id))
    assert len(attempts) == 3
    assert all(a.status == "error" for a in attempts)
    assert all("oracle has nothing to answer" in (a.error_message or "") for a in attempts)


def test_bad_options_are_one_line_naming_the_flag(data: Path) -> None:
    out = str(data / "out.jsonl")
    assert_user_error(
        cli("build", "ifeval", "--data", str(data), "--shots", "2", "-o", out),
        "--shots 2",
        "zero-shot",
    )
    assert_user_error(
        cli("build", "ifeval", "--data", str(data), "--since", "2024-01-01", "-o", out),
        "--since does not apply to ifeval",
    )
