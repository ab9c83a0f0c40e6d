"""Built-in `humaneval`: the package's 164 problems, their ids, and the oracle passing all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchlab.suites import load_suite
from benchlab.suites.humaneval import problems
from benchlab.suites.loader import builtin_names


def test_humaneval_is_built_in_with_the_datasets_ids() -> None:
    suite = load_suite("humaneval")
    assert suite is not None and suite.n_cases == 164
    assert load_suite("builtin:humaneval").hash == suite.hash
    cases = list(suite.iter_cases())
    assert [c.id for c in cases] == [f"HumanEval/{i}" for i in range(164)]
    raw = next(problems())
    first = cases[0]
    assert first.input == raw["prompt"]
    assert first.reference == raw["prompt"] + raw["canonical_solution"]
    assert first.expected == {"test": raw["test"], "entry_point": raw["entry_point"]}
    assert [s.name for s in suite.header.scorers] == ["python_tests"]
    assert "humaneval" in builtin_names() and "quickstart" in builtin_names()


def test_oracle_passes_all_164_and_echo_none(tmp_path: Path) -> None:
    args = ["run", "humaneval", "-m", "oracle", "-m", "echo", "--json", "--quiet"]
    result = subprocess.run(
        [sys.executable, "-m", "benchlab", *args, "--db", f"sqlite:///{tmp_path}/he.db"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    oracle, echo = json.loads(result.stdout)["models"]
    assert (oracle["model"], oracle["attempts"], oracle["pass_rate"]) == ("oracle", 164, 1.0)
    assert echo["pass_rate"] == 0.0
