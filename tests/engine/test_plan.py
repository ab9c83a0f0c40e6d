"""What a run plans to ask of a suite that needs review: accepted cases, sampled among them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from benchlab.domain import ModelProfile
from benchlab.engine.config import RunConfig
from benchlab.engine.plan import plan_suites
from benchlab.errors import SuiteError

STATUSES = ["accepted", "unreviewed", "accepted", "rejected", "accepted", "unreviewed"]


def _suite(tmp_path: Path, *, required: bool = True) -> str:
    document = {
        "name": "prod",
        "scorers": ["exact"],
        "metadata": {"review_required": required},
        "cases": [
            {"id": f"c{i}", "input": "q", "expected": "a", "metadata": {"review": status}}
            for i, status in enumerate(STATUSES)
        ],
    }
    path = tmp_path / "prod.yaml"
    path.write_text(yaml.safe_dump(document))
    return str(path)


def _selected(suite: str, **config: object) -> set[str] | None:
    models = [ModelProfile(name="oracle", spec="oracle")]
    (plan,) = plan_suites(RunConfig(suites=[suite], models=models, **config))  # type: ignore[arg-type]
    return plan.selected


def test_only_accepted_cases_unless_unreviewed_ones_are_included(tmp_path: Path) -> None:
    suite = _suite(tmp_path)
    assert _selected(suite) == {"c0", "c2", "c4"}
    assert _selected(suite, include_unreviewed=True) == {"c0", "c1", "c2", "c4", "c5"}
    # --limit samples among the runnable cases, never outside them.
    for seed in range(5):
        limited = _selected(suite, limit=2, seed=seed)
        assert limited is not None and len(limited) == 2 and limited <= {"c0", "c2", "c4"}


def test_a_suite_that_needs_no_review_runs_every_case(tmp_path: Path) -> None:
    assert _selected(_suite(tmp_path, required=False)) is None


def test_a_suite_with_nothing_accepted_stops_before_the_run(tmp_path: Path) -> None:
    path = tmp_path / "fresh.yaml"
    document = {
        "name": "fresh",
        "scorers": ["exact"],
        "metadata": {"review_required": True},
        "cases": [
            {"id": "c0", "input": "q", "expected": "a", "metadata": {"review": "unreviewed"}}
        ],
    }
    path.write_text(yaml.safe_dump(document))
    with pytest.raises(SuiteError, match="--include-unreviewed"):
        _selected(str(path))
