"""A model's record on a suite over time, and the runs where it changed for real.

Each point is one completed run (its pass rate on this suite with a 95%
interval); each step from one run to the next is a paired comparison on the
cases both runs asked, so a changed sample of cases is not mistaken for a
changed model. A step is an alert when its Benjamini-Hochberg-adjusted p-value
(over the steps shown for that model) is below alpha: a tracker looking at
thirty daily runs would otherwise see a false alarm every few weeks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from benchlab.analysis.compare import pair_cases, result_dict
from benchlab.analysis.stats.bootstrap import DEFAULT_SEED
from benchlab.analysis.stats.intervals import rate_interval
from benchlab.analysis.stats.multiple import BH, adjust
from benchlab.analysis.stats.paired import paired_test, verdict
from benchlab.domain import Run
from benchlab.errors import ConfigError, NotFound
from benchlab.store import Store
from benchlab.store.outcomes import CaseRow, case_outcomes

DEFAULT_LAST = 20


def history_runs(
    store: Store,
    suite: str,
    *,
    model: str | None = None,
    last: int = DEFAULT_LAST,
    until: Run | None = None,
) -> list[Run]:
    """The newest `last` completed runs of the suite (up to `until`), oldest first."""
    found = store.list_runs(suite=suite, model=model, status="completed")
    if until is not None:
        found = [
            r
            for r in found
            if (r.created_at, r.id) <= (until.created_at, until.id) or r.id == until.id
        ]
        if until.id not in {r.id for r in found}:
            found.insert(0, until)  # the report's own run, even if it did not complete
    return list(reversed(found[:last]))


def _point(run: Run, rows: Sequence[CaseRow]) -> dict[str, Any]:
    judged = sum(r.judged for r in rows)
    passed = sum(r.passed for r in rows)
    ci, method = rate_interval(rows)
    unknown = any(r.cost_unknown for r in rows)
    return {
        "run_id": run.id,
        "created_at": run.created_at.isoformat(),
        "status": run.status,
        "tags": run.tags,
        "cases": len(rows),
        "n": judged,
        "pass_rate": passed / judged if judged else None,
        "ci95": ci,
        "ci_method": method,
        "cost_usd": None if unknown else sum(r.cost_usd for r in rows),
    }


def history(
    store: Store,
    suite: str,
    *,
    model: str | None = None,
    last: int = DEFAULT_LAST,
    alpha: float = 0.05,
    until: Run | None = None,
    seed: int = DEFAULT_SEED,
) -> dict[str, Any]:
    if last <= 0:
        raise ConfigError(f"--last {last}: expected a positive number of runs")
    runs = history_runs(store, suite, model=model, last=last, until=until)
    if not runs and until is None:
        which = f" with model {model}" if model else ""
        raise NotFound(f"no completed run of suite {suite!r}{which} in {store.display_url}")
    names = [model] if model else sorted({m for r in runs for m in r.models})
    models = [_model_history(store, suite, name, runs, alpha, seed) for name in names]
    return {
        "suite": suite,
        "last": last,
        "alpha": alpha,
        "p_adjust": BH,
        "runs": [r.id for r in runs],
        "models": [m for m in models if m["points"]],
    }


def _model_history(
    store: Store, suite: str, model: str, runs: Sequence[Run], alpha: float, seed: int
) -> dict[str, Any]:
    points: list[dict[str, Any]] = []
    tables: list[list[CaseRow]] = []
    for run in runs:
        if model not in run.models:
            continue
        outcomes = case_outcomes(store, run.id, model=model, suite=suite)
        rows = [r for r in outcomes if r.judged]
        if not rows:
            continue
        # errored attempts are outside the rate; their count stands beside it
        points.append({**_point(run, rows), "errors": sum(r.errors for r in outcomes)})
        tables.append(rows)
    changes: list[dict[str, Any]] = []
    for i in range(1, len(points)):
        cases = pair_cases(tables[i - 1], tables[i])
        both = [c for c in cases if c.a is not None and c.b is not None]
        res = paired_test(
            [c.a.rate or 0.0 for c in both if c.a is not None],
            [c.b.rate or 0.0 for c in both if c.b is not None],
            alpha=alpha,
            seed=seed,
        )
        if res is None:
            continue
        changes.append(
            {
                "run_id": points[i]["run_id"],
                "previous_run_id": points[i - 1]["run_id"],
                "created_at": points[i]["created_at"],
                **result_dict(res),
                "flips": {"pass_to_fail": res.worse, "fail_to_pass": res.better},
            }
        )
    for change, p_adj in zip(changes, adjust([c["p_value"] for c in changes], BH), strict=True):
        change["p_value_adjusted"] = p_adj
        change["verdict"] = verdict(change["delta"], p_adj, alpha)
    return {
        "model": model,
        "points": points,
        "latest": points[-1] if points else None,
        "changes": changes,
        "alerts": [c for c in changes if c["verdict"] != "no_change"],
    }
