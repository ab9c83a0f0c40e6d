"""The offline models: `oracle` on a case with no expected answer is an error, with a warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchlab.providers.loglikelihood import LoglikelihoodRequest
from benchlab.providers.offline import WRONG_LOGPROB, NoReference, OracleProvider
from support.runs import cli


def test_oracle_on_cases_without_expected_warns_and_records_errors(tmp_path: Path) -> None:
    suite = tmp_path / "partial.jsonl"
    suite.write_text(
        "".join(
            json.dumps(row) + "\n"
            for row in (
                {"id": "has", "input": "x", "expected": "x"},
                {"id": "none1", "input": "y"},
                {"id": "none2", "input": "z"},
            )
        )
    )
    db = f"sqlite:///{tmp_path}/runs.db"
    done = cli("run", str(suite), "-m", "oracle", "--scorer", "exact", "--db", db, "--json")
    warning = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1, done.stderr
    assert "2 case(s) have no expected answer" in warning[0]
    assert "partial/none1" in warning[0] and "partial/none2" in warning[0]
    assert "partial/has" not in warning[0]
    run_id = json.loads(done.stdout)["run_id"]
    rows = {
        r["case_id"]: r
        for r in map(json.loads, cli("export", run_id, "--db", db).stdout.splitlines())
    }
    assert rows["has"]["passed"] is True and rows["has"]["error_type"] is None
    for case_id in ("none1", "none2"):
        row = rows[case_id]
        assert row["error_type"] is not None, row  # an error, never an answer scored as a fail
        assert "no expected answer" in row["error"]
        assert row["output"] is None and row["scores"] == {}


def test_oracle_on_a_complete_suite_says_nothing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/runs.db"
    done = cli("run", "quickstart", "-m", "oracle", "--db", db, "--json", "-q")
    assert done.returncode == 0 and "warning" not in done.stderr


async def test_oracle_gives_the_right_continuations_all_the_probability() -> None:
    oracle = OracleProvider()
    ask = LoglikelihoodRequest("", "Q:", [" a", " b", " c"], expected={"gold": 2})
    assert (await oracle.loglikelihood(ask)).logprobs == [WRONG_LOGPROB, WRONG_LOGPROB, 0.0]
    ask.expected = {"labels": [1, 0, 1]}
    got = await oracle.loglikelihood(ask)
    assert got.logprobs == [0.0, WRONG_LOGPROB, 0.0] and got.is_greedy == [True, False, True]
    for wrong in (None, {"gold": 3}, {"labels": [1, 0]}, {"labels": [0, 0, 0]}, "a"):
        ask.expected = wrong
        with pytest.raises(NoReference, match="oracle cannot tell the right one"):
            await oracle.loglikelihood(ask)
