"""Across runs: leaderboard, trends, spend and headline scores (run lists: run_views.py).

What the dashboard's overview shows and what a command line can print, built
on the cached per-run aggregates in `store.stats`, so none of it rescans
attempts. Rates carry Wilson intervals like every other summary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from benchlab.analysis.stats.core import wilson_interval
from benchlab.store import Store
from benchlab.store import stats as run_stats
from benchlab.store.stats import ModelStat
from benchlab.store.suite_history import suite_changes

METRICS = ("pass_rate", "cost_usd", "latency_ms_mean", "attempts", "errors")


_CARD_KEYS = ("pass_rate", "ci95", "ci_method", "n")


def _iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC).isoformat()


def stat_dict(s: ModelStat) -> dict[str, Any]:
    ci = wilson_interval(s.passed, s.judged)
    return {
        "model": s.model,
        "suite": s.suite,
        "attempts": s.attempts,
        "errors": s.errors,
        "n": s.judged,
        "passed": s.passed,
        "pass_rate": s.pass_rate,
        "ci95": list(ci) if ci else None,
        "ci_method": "wilson",  # over attempts: the run_stats aggregate has no per-case rows
        "cost_usd": s.cost,
        "latency_ms_mean": s.latency_mean,
        "tokens": {"input": s.input_tokens, "output": s.output_tokens},
    }


def _metric(s: ModelStat, metric: str) -> float | None:
    if metric == "pass_rate":
        return s.pass_rate
    if metric == "cost_usd":
        return s.cost
    if metric == "latency_ms_mean":
        return s.latency_mean
    if metric == "errors":
        return float(s.errors)
    return float(s.attempts)


def leaderboard(
    store: Store, *, suite: str | None = None, tags: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Per suite, each model's best completed run (by pass rate, newer wins ties), among
    runs with all of `tags` if given.

    Cost and duration are that same run's, so a row never mixes one run's score
    with another's bill.
    """
    best: dict[tuple[str, str], tuple[ModelStat, dict[str, Any]]] = {}
    runs_seen: dict[tuple[str, str], int] = defaultdict(int)
    for stat, times in run_stats.finished_stats(store, suite=suite, tags=tags):
        if stat.pass_rate is None:
            continue
        key = (stat.suite, stat.model)
        runs_seen[key] += 1
        held = best.get(key)
        if held is None or (stat.pass_rate or 0) >= (held[0].pass_rate or 0):
            best[key] = (stat, times)
    by_suite: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (suite_name, model), (stat, times) in best.items():
        start, end = times["started_at"], times["finished_at"]
        by_suite[suite_name].append(
            {
                **stat_dict(stat),
                "run_id": stat.run_id,
                "run_created_at": _iso(times["created_at"]),
                "duration_s": None if start is None or end is None else end - start,
                "runs": runs_seen[(suite_name, model)],
            }
        )
    out = []
    for suite_name in sorted(by_suite):
        rows = sorted(by_suite[suite_name], key=lambda r: (-(r["pass_rate"] or 0), r["model"]))
        for rank, row in enumerate(rows, 1):
            row["rank"] = rank
        out.append({"suite": suite_name, "models": rows})
    return out


def trend(
    store: Store,
    *,
    suite: str,
    model: str | None = None,
    metric: str = "pass_rate",
    since: float | None = None,
    tags: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """A metric of each model (or one model) on a suite, per completed run (with all of
    `tags`, created at `since` or later), oldest first."""
    if metric not in METRICS:
        raise ValueError(f"metric: expected one of {', '.join(METRICS)}")
    series: dict[str, list[dict[str, Any]]] = defaultdict(list)
    found = run_stats.finished_stats(store, suite=suite, model=model, since=since, tags=tags)
    for stat, times in found:
        point: dict[str, Any] = {
            "run_id": stat.run_id,
            "created_at": _iso(times["created_at"]),
            "value": _metric(stat, metric),
            "n": stat.judged,
        }
        if metric == "pass_rate":
            ci = wilson_interval(stat.passed, stat.judged)
            point["ci95"] = list(ci) if ci else None
            point["ci_method"] = "wilson"
        series[stat.model].append(point)
    return [{"model": m, "points": pts} for m, pts in sorted(series.items())]


def spend(store: Store, month: str | None = None, *, now: datetime | None = None) -> dict[str, Any]:
    """Money spent this calendar month (UTC): the same figures as `benchlab spend`, from
    the same query (`analysis.spend.monthly_spend`), with the line both print."""
    from benchlab.analysis.spend import monthly_spend, spend_line

    data = monthly_spend(store, month, now=now)
    return {**data, "line": spend_line(data)}


def content_changes(
    store: Store,
    *,
    suite: str,
    since: float | None = None,
    tags: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The completed runs (with `tags`) at which `suite`'s content changed, oldest first,
    from `since` on: where a trend stops comparing like with like (a data file grew)."""
    return [
        {
            "run_id": c.run_id,
            "created_at": _iso(c.created_at),
            "suite_hash": c.suite_hash,
            "cases": c.cases,
            "previous_hash": c.previous_hash,
            "previous_cases": c.previous_cases,
        }
        for c in suite_changes(store, suite, tags=tags)
        if since is None or c.created_at >= since
    ]


def score_cards(store: Store, *, tags: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Per suite: its latest completed run's best model score, date and sample size; with
    `tags`, the latest run carrying all of them (a tracker's `branch=main`, not a PR's run)."""
    latest: dict[str, tuple[str, float]] = {}
    stats_by_run: dict[str, list[ModelStat]] = defaultdict(list)
    for stat, times in run_stats.finished_stats(store, tags=tags):
        stats_by_run[stat.run_id].append(stat)
        held = latest.get(stat.suite)
        if held is None or times["created_at"] >= held[1]:
            latest[stat.suite] = (stat.run_id, times["created_at"])
    cards = []
    for suite_name in sorted(latest):
        run_id, created = latest[suite_name]
        rows = [s for s in stats_by_run[run_id] if s.suite == suite_name and s.judged]
        if not rows:
            continue
        top = max(rows, key=lambda s: (s.pass_rate or 0, s.model))
        cards.append(
            {
                "suite": suite_name,
                "run_id": run_id,
                "created_at": _iso(created),
                "model": top.model,
                **{
                    k: v
                    for k, v in stat_dict(top).items()
                    if k in ("pass_rate", "ci95", "ci_method", "n")
                },
                "models": len(rows),
            }
        )
    return cards
