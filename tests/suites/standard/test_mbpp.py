"""MBPP (sanitized) from its published files: lm-eval's prompt for chat, graded in the sandbox.

Real parquet files (and the same rows as JSONL) written in the dataset's schema,
real runs of the CLI in a process of its own with a real SQLite file; the
oracle answers with the dataset's own code, which must pass its asserts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchlab.store import Store
from benchlab.suites import load_suite
from support.hub_data import rows_of, write_folder
from support.runs import assert_user_error, cli


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_folder("mbpp", tmp_path / "mbpp")


def _as_jsonl(folder: Path) -> Path:
    """The same rows with the Hub's paths but JSONL files, as `--data` also reads them."""
    for parquet in folder.rglob("*.parquet"):
        split = "test" if "/test-" in parquet.as_posix() else "prompt"
        parquet.with_suffix(".jsonl").write_text(
            "".join(json.dumps(row) + "\n" for row in rows_of("mbpp", split))
        )
        parquet.unlink()
    return folder


def test_cases_are_the_test_split_with_their_task_ids_and_asserts(data: Path) -> None:
    suite = load_suite(f"mbpp?data={data}")
    cases = list(suite.iter_cases())
    assert [c.id for c in cases] == ["11", "17", "139"]
    circle = cases[2]
    assert isinstance(circle.input, str)
    assert circle.input.startswith(
        "You are an expert Python programmer, and here is your task:\n"
        "Write a function to find the circumference of a circle.\n"
        "Your code should pass these tests:\nassert math.isclose(circle_circumference(10)"
    )
    assert circle.input.endswith("Write the code in one ```python block.")
    assert circle.expected == {
        "prompt": "",
        "test": "import math\n" + "\n".join(rows_of("mbpp", "test")[2]["test_list"]) + "\n",
        "entry_point": None,
    }
    assert circle.reference == f"```python\n{rows_of('mbpp', 'test')[2]['code']}\n```"
    assert [s.name for s in suite.header.scorers] == ["python_tests"]
    assert suite.header.params is not None and suite.header.params.temperature == 0.0
    assert suite.header.metadata["dataset"]["dataset"] == "google-research-datasets/mbpp"


def test_shots_are_the_first_problems_of_the_prompt_split(data: Path) -> None:
    """lm-eval's 3-shot MBPP uses task ids 2, 3, 4: the prompt split's first three."""
    (first, *_) = load_suite(f"mbpp?data={data}&shots=3").iter_cases()
    assert isinstance(first.input, str)
    shown = [row["prompt"] for row in rows_of("mbpp", "prompt")]
    positions = [first.input.index(text) for text in shown]
    assert positions == sorted(positions)
    assert first.input.count("```python\n") == 3  # each shot answered with its code
    (turns, *_) = load_suite(f"mbpp?data={data}&shots=2&fewshot_as_multiturn=true").iter_cases()
    assert isinstance(turns.input, list)
    assert [m.role for m in turns.input] == ["user", "assistant"] * 2 + ["user"]
    assert turns.input[1].content == f"```python\n{rows_of('mbpp', 'prompt')[0]['code']}\n```"


def test_parquet_and_jsonl_files_give_the_same_cases(data: Path, tmp_path: Path) -> None:
    from_parquet = list(load_suite(f"mbpp?data={data}&shots=1").iter_cases())
    jsonl = _as_jsonl(write_folder("mbpp", tmp_path / "as_jsonl"))
    assert not list(jsonl.rglob("*.parquet"))
    assert list(load_suite(f"mbpp?data={jsonl}&shots=1").iter_cases()) == from_parquet


def test_the_oracle_passes_every_case_and_two_samples_give_pass_at_1_of_1(
    data: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path}/runs.db"
    done = cli(
        "run", "mbpp", "--data", str(data), "-m", "oracle", "--samples", "2",
        "--db", db, "--json", "-q",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (entry,) = json.loads(done.stdout)["models"]
    assert entry["attempts"] == 6 and entry["pass_rate"] == 1.0
    assert entry["pass_at_k"] == {"1": 1.0}
    with Store(db) as store:
        (run,) = store.list_runs()
        attempts = list(store.iter_attempts(run.id))
    assert sorted({a.case_id for a in attempts}) == ["11", "139", "17"]
    assert all(a.scores[0].passed for a in attempts)


def test_a_wrong_program_fails_its_asserts(data: Path, tmp_path: Path) -> None:
    replies = tmp_path / "replies.jsonl"
    wrong = "```python\ndef square_perimeter(a):\n    return 3 * a\n```"
    right = f"```python\n{rows_of('mbpp', 'test')[2]['code']}\n```"
    replies.write_text(
        json.dumps({"case_id": "17", "output": wrong})
        + "\n"
        + json.dumps({"case_id": "139", "output": "Sure:\n" + right + "\nDone."})
        + "\n"
        + json.dumps({"case_id": "11", "output": "no code at all"})
        + "\n"
    )
    db = f"sqlite:///{tmp_path}/runs.db"
    done = cli("run", "mbpp", "--data", str(data), "-m", f"replay/{replies}", "--db", db, "-q")
    assert done.returncode == 0, done.stderr
    with Store(db) as store:
        (run,) = store.list_runs()
        verdicts = {a.case_id: a.scores[0].passed for a in store.iter_attempts(run.id)}
    assert verdicts == {"11": False, "17": False, "139": True}


def test_bad_options_are_one_line_naming_the_flag(data: Path) -> None:
    assert_user_error(
        cli("run", "mbpp", "--data", str(data), "-m", "oracle", "--release", "v6"),
        "--release does not apply to mbpp",
    )
    assert_user_error(
        cli("run", "mbpp", "--data", str(data), "-m", "oracle", "--shots", "9"),
        "--shots 9",
        "the prompt split has 3 problems",
    )
