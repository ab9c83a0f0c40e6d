"""MATH-500 from its published JSONL: zero-shot, the answer asked for in `\\boxed{}`.

The `math` scorer (math-verify) is being written in parallel: until it is
registered, the oracle's end-to-end run is skipped, and the reference format is
checked against math-verify itself instead.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from benchlab.scorers.registry import BUILTINS
from benchlab.store import Store
from benchlab.suites import load_suite
from benchlab.suites.standard.math500 import INSTRUCTION
from support.hub_data import rows_of, write_folder
from support.runs import assert_user_error, cli


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_folder("math-500", tmp_path / "math500")


def test_cases_are_the_rows_with_their_ids_subjects_and_levels(data: Path) -> None:
    suite = load_suite(f"math-500?data={data}")
    cases = list(suite.iter_cases())
    assert [c.id for c in cases] == ["test/prealgebra/1.json", "test/algebra/2.json"]
    assert [c.category for c in cases] == ["Prealgebra", "Algebra"]
    assert [c.metadata["level"] for c in cases] == [1, 2]
    fraction = cases[1]
    assert fraction.input == f"{INSTRUCTION}\n\n{rows_of('math-500', 'test')[1]['problem']}"
    assert "\\boxed{ANSWER}" in INSTRUCTION
    assert fraction.expected == "\\frac{1}{2}"
    assert fraction.reference == "The final answer is $\\boxed{\\frac{1}{2}}$."
    assert [s.name for s in suite.header.scorers] == ["math"]
    assert suite.header.params is not None and suite.header.params.temperature == 0.0
    assert suite.header.metadata["dataset"]["dataset"] == "HuggingFaceH4/MATH-500"


def test_math_verify_reads_each_reference_as_the_datasets_answer(data: Path) -> None:
    # Imported by name: math-verify ships no type information (the graders' branch declares
    # it for mypy; this keeps the test typed either way).
    math_verify = importlib.import_module("math_verify")
    parse, verify = math_verify.parse, math_verify.verify
    for case in load_suite(f"math-500?data={data}").iter_cases():
        assert case.reference is not None
        gold = parse(f"${case.expected}$")
        assert verify(gold, parse(case.reference)), case.id
        assert not verify(gold, parse("The final answer is $\\boxed{7}$.")), case.id


@pytest.mark.skipif("math" not in BUILTINS, reason="the `math` scorer is not merged yet")
def test_the_oracle_scores_100_percent(data: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/runs.db"
    done = cli("run", "math-500", "--data", str(data), "-m", "oracle", "--db", db, "--json", "-q")
    assert done.returncode == 0, done.stderr
    (entry,) = json.loads(done.stdout)["models"]
    assert entry["attempts"] == 2 and entry["pass_rate"] == 1.0
    with Store(db) as store:
        (run,) = store.list_runs()
        assert sorted(a.case_id for a in store.iter_attempts(run.id)) == [
            "test/algebra/2.json",
            "test/prealgebra/1.json",
        ]


def test_bad_options_are_one_line_naming_the_flag(data: Path) -> None:
    out = str(data / "out.jsonl")
    assert_user_error(
        cli("build", "math-500", "--data", str(data), "--shots", "4", "-o", out),
        "--shots 4",
        "zero-shot",
    )
    assert_user_error(
        cli("build", "math-500", "--data", str(data), "--cot", "-o", out),
        "--cot does not apply to math-500",
    )
