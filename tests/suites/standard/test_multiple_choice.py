"""MMLU, ARC, HellaSwag, TruthfulQA and GPQA built from their data, run end to end.

The oracle answers each case with its reference and must score 100%: the
loader and the grader check each other. Data comes from local files in the
datasets' published schemas (parquet and JSONL), read with `--data`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchlab import api
from benchlab.domain import ModelProfile
from benchlab.engine.config import RunConfig
from benchlab.store import Store
from benchlab.suites import load_suite
from support.runs import assert_user_error, cli
from support.servers import StubServer
from support.standard_rows import ROWS, write_dataset

GENERATE = ["mmlu", "arc-challenge", "hellaswag", "truthfulqa-mc1", "gpqa-diamond"]


def _run_json(tmp_path: Path, *args: str) -> dict[str, object]:
    result = cli("run", *args, "-m", "oracle", "--db", str(tmp_path / "r.db"), "--json", "-q")
    assert result.returncode == 0, result.stderr
    summary: dict[str, object] = json.loads(result.stdout)
    return summary


@pytest.mark.parametrize("jsonl", [False, True])
@pytest.mark.parametrize("name", GENERATE)
def test_the_oracle_scores_every_case(tmp_path: Path, name: str, jsonl: bool) -> None:
    folder = write_dataset(name, tmp_path / name, jsonl=jsonl)
    result = api.run(
        RunConfig(
            suites=[f"{name}?data={folder}"],
            models=[ModelProfile(name="oracle", spec="oracle")],
            db=f"sqlite:///{tmp_path}/r.db",
        )
    )
    attempts = list(result.attempts())
    rows = next(iter(ROWS[name].values()))
    assert len(attempts) == len(rows)
    assert all(a.status == "ok" and a.passed for a in attempts), [a.output for a in attempts]


def test_case_ids_and_categories_come_from_the_dataset(tmp_path: Path) -> None:
    mmlu = load_suite(f"mmlu?data={write_dataset('mmlu', tmp_path / 'm')}")
    assert mmlu.index()[:2] == [
        ("college_biology/test/0", "college_biology"),
        ("college_biology/test/1", "college_biology"),
    ]
    arc = load_suite(f"arc-challenge?data={write_dataset('arc-challenge', tmp_path / 'a')}")
    assert [i for i, _ in arc.index()] == [r["id"] for r in ROWS["arc-challenge"]["test"]]
    gpqa = load_suite(f"gpqa-diamond?data={write_dataset('gpqa-diamond', tmp_path / 'g')}")
    assert gpqa.index()[0] == ("rec000", "Physics")
    hellaswag = load_suite(f"hellaswag?data={write_dataset('hellaswag', tmp_path / 'h')}")
    assert {c for _, c in hellaswag.index()} == {"activitynet", "wikihow"}


def test_options_are_shuffled_once_and_for_all(tmp_path: Path) -> None:
    """TruthfulQA lists the true answer first and GPQA keeps it in its own column: shown
    unshuffled, "A" would always be right."""
    for name in ("truthfulqa-mc1", "gpqa-diamond"):
        ref = f"{name}?data={write_dataset(name, tmp_path / name)}"
        first = [c.expected for c in load_suite(ref).iter_cases()]
        again = [c.expected for c in load_suite(ref).iter_cases()]
        assert first == again
        assert len(set(first)) > 1, first


def test_subset_picks_subjects_and_an_unknown_one_is_named(tmp_path: Path) -> None:
    folder = write_dataset("mmlu", tmp_path / "m")
    suite = load_suite(f"mmlu?data={folder}&subset=high_school_physics")
    assert {c for _, c in suite.index()} == {"high_school_physics"}
    db = str(tmp_path / "r.db")
    bad = cli(
        "run", "mmlu", "--data", str(folder), "--subset", "astrology", "-m", "oracle", "--db", db
    )
    assert_user_error(bad, "--subset astrology", "high_school_physics")


def test_flags_that_do_not_apply_are_refused(tmp_path: Path) -> None:
    folder = write_dataset("gsm8k", tmp_path / "g")
    db = str(tmp_path / "r.db")
    assert_user_error(
        cli(
            "run",
            "gsm8k",
            "--data",
            str(folder),
            "--mode",
            "loglikelihood",
            "-m",
            "oracle",
            "--db",
            db,
        ),
        "--mode loglikelihood",
        "gsm8k runs in generate mode only",
    )
    assert_user_error(
        cli("run", "gsm8k", "--data", str(folder), "--subset", "x", "-m", "oracle", "--db", db),
        "--subset does not apply to gsm8k",
    )
    assert_user_error(
        cli("run", "quickstart", "--shots", "3", "-m", "oracle", "--db", db),
        "--shots applies to the standard suites",
    )
    assert_user_error(
        cli("run", "mmlu", "--data", str(tmp_path / "nowhere"), "-m", "oracle", "--db", db),
        "--data",
        "nowhere",
    )


def test_the_run_records_the_data_and_the_options(tmp_path: Path) -> None:
    folder = write_dataset("arc-challenge", tmp_path / "a")
    summary = _run_json(tmp_path, "arc-challenge", "--data", str(folder), "--shots", "2")
    with Store(str(tmp_path / "r.db")) as store:
        config_suites = store.get_run(str(summary["run_id"])).config["suites"]
    assert config_suites == [f"arc-challenge?data={folder}&shots=2"]
    header = load_suite(config_suites[0]).header
    assert header.metadata["standard"]["shots"] == 2
    dataset = header.metadata["dataset"]
    assert dataset["dataset"] == "allenai/ai2_arc" and dataset["source"] == "data"
    assert (
        len(dataset["sha256"]) == 64
        and "ARC-Challenge/test-00000-of-00001.parquet" in dataset["files"]
    )


def test_the_suite_stop_sequences_are_sent_unless_the_profile_sets_its_own(
    tmp_path: Path,
) -> None:
    folder = write_dataset("mmlu", tmp_path / "m")
    with StubServer(answer=lambda p: "B") as server:
        env = {"OPENAI_BASE_URL": server.url + "/v1", "OPENAI_API_KEY": "sk-test"}
        models = [
            ModelProfile(name="plain", spec="openai/a"),
            ModelProfile.model_validate(
                {"name": "own", "spec": "openai/b", "params": {"stop": ["END"]}}
            ),
        ]
        api.run(
            RunConfig(
                suites=[f"mmlu?data={folder}&subset=college_biology"],
                models=models,
                db=f"sqlite:///{tmp_path}/r.db",
            ),
            env=env,
        )
        sent = {(r["json"]["model"], tuple(r["json"]["stop"])) for r in server.requests}
        temps = {r["json"].get("temperature") for r in server.requests}
    assert sent == {("a", ("</s>", "\n")), ("b", ("END",))}
    assert temps == {0.0}


def test_build_writes_the_rendered_cases_and_they_run_as_they_are(tmp_path: Path) -> None:
    folder = write_dataset("hellaswag", tmp_path / "h")
    out = tmp_path / "cases.jsonl"
    built = cli("build", "hellaswag", "--data", str(folder), "--shots", "1", "-o", str(out))
    assert built.returncode == 0, built.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [i for i, _ in load_suite(f"hellaswag?data={folder}").index()]
    assert all(isinstance(r["input"], list) and r["input"][0]["role"] == "system" for r in rows)
    summary = _run_json(tmp_path, str(out))
    assert summary["models"][0]["pass_rate"] == 1.0  # type: ignore[index]


LOGLIKELIHOOD = ["mmlu", "arc-challenge", "hellaswag", "truthfulqa-mc1", "truthfulqa-mc2"]


@pytest.mark.parametrize("name", LOGLIKELIHOOD)
def test_loglikelihood_mode_oracle_and_a_vllm_server(tmp_path: Path, name: str) -> None:
    """Oracle: every acc right and MC2 1.0. A vLLM-shaped server over HTTP: one request per
    question, scored; the cached re-run sends nothing and scores the same."""
    folder = write_dataset(name, tmp_path / name)
    ref = f"{name}?data={folder}&mode=loglikelihood"
    n_cases = load_suite(ref).n_cases
    oracle = api.run(
        RunConfig(
            suites=[ref],
            models=[ModelProfile(name="oracle", spec="oracle")],
            db=f"sqlite:///{tmp_path}/o.db",
        )
    )
    values = [s.value for a in oracle.attempts() for s in a.scores]
    assert values == [1.0] * n_cases
    with StubServer() as server:

        def run() -> list[list[float | None]]:
            result = api.run(
                RunConfig(
                    suites=[ref],
                    models=[ModelProfile(name="base", spec="vllm/base-7b")],
                    db=f"sqlite:///{tmp_path}/v.db",
                    cache=True,
                ),
                env={"VLLM_BASE_URL": server.openai_base_url},
            )
            attempts = sorted(result.attempts(), key=lambda a: a.case_id)
            assert all(a.status == "ok" for a in attempts), [a.error_message for a in attempts]
            return [[s.value for s in a.scores] for a in attempts]

        first = run()
        sent = server.count
        assert sent == n_cases and {r["path"] for r in server.requests} == {"/v1/completions"}
        assert run() == first and server.count == sent
