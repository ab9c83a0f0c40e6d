"""Across runs: leaderboard, trends and headline scores (run lists: run_views.py; the
month's spend: spend.py).

What the dashboard's overview shows and what a command line can print, built
on the cached per-run aggregates in `store.stats`, so none of it rescans
attempts. Rates carry Wilson intervals like every other summary. The answers
are the typed models of `overview_views`, the JSON API's too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from benchlab.analysis.overview_views import (
    Leaderboard,
    LeaderboardRow,
    Metric,
    SuiteBoard,
    SuiteChange,
    Trend,
    TrendPoint,
    TrendSeries,
)
from benchlab.analysis.run_views import ModelAggregate, aggregate
from benchlab.analysis.stats.core import wilson_interval
from benchlab.store import Store
from benchlab.store import stats as run_stats
from benchlab.store.stats import ModelStat
from benchlab.store.suite_history import suite_changes

METRICS: tuple[Metric, ...] = ("pass_rate", "cost_usd", "latency_ms_mean", "attempts", "errors")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


def _metric(s: ModelStat, metric: Metric) -> float | None:
    if metric == "pass_rate":
        return s.pass_rate
    if metric == "cost_usd":
        return s.cost
    if metric == "latency_ms_mean":
        return s.latency_mean
    if metric == "errors":
        return float(s.errors)
    return float(s.attempts)


def _metric_named(name: str) -> Metric:
    for known in METRICS:
        if known == name:
            return known
    raise ValueError(f"metric: expected one of {', '.join(METRICS)}")


def leaderboard(
    store: Store, *, suite: str | None = None, tags: Mapping[str, str] | None = None
) -> Leaderboard:
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
    by_suite: dict[str, list[tuple[ModelStat, dict[str, Any]]]] = defaultdict(list)
    for (suite_name, _), held in best.items():
        by_suite[suite_name].append(held)
    boards = []
    for suite_name in sorted(by_suite):
        ranked = sorted(by_suite[suite_name], key=lambda h: (-(h[0].pass_rate or 0), h[0].model))
        rows = []
        for rank, (stat, times) in enumerate(ranked, 1):
            start, end = times["started_at"], times["finished_at"]
            rows.append(
                aggregate(
                    stat,
                    LeaderboardRow,
                    run_id=stat.run_id,
                    run_created_at=_iso(times["created_at"]),
                    duration_s=None if start is None or end is None else end - start,
                    runs=runs_seen[(suite_name, stat.model)],
                    rank=rank,
                )
            )
        boards.append(SuiteBoard(suite=suite_name, models=rows))
    return Leaderboard(suites=boards)


def trend(
    store: Store,
    *,
    suite: str,
    model: str | None = None,
    metric: str = "pass_rate",
    since: float | None = None,
    tags: Mapping[str, str] | None = None,
) -> Trend:
    """A metric of each model (or one model) on a suite, per completed run (with all of
    `tags`, created at `since` or later), oldest first; and the runs at which the suite's
    content changed."""
    chosen = _metric_named(metric)
    series: dict[str, list[TrendPoint]] = defaultdict(list)
    found = run_stats.finished_stats(store, suite=suite, model=model, since=since, tags=tags)
    for stat, times in found:
        point = TrendPoint(
            run_id=stat.run_id,
            created_at=_iso(times["created_at"]),
            value=_metric(stat, chosen),
            n=stat.judged,
        )
        if chosen == "pass_rate":  # set only here: the API leaves a point's unset fields out
            ci = wilson_interval(stat.passed, stat.judged)
            point.ci95 = list(ci) if ci else None
            point.ci_method = "wilson"
        series[stat.model].append(point)
    return Trend(
        suite=suite,
        metric=chosen,
        series=[TrendSeries(model=m, points=pts) for m, pts in sorted(series.items())],
        suite_changes=content_changes(store, suite=suite, since=since, tags=tags),
    )


def content_changes(
    store: Store,
    *,
    suite: str,
    since: float | None = None,
    tags: Mapping[str, str] | None = None,
) -> list[SuiteChange]:
    """The completed runs (with `tags`) at which `suite`'s content changed, oldest first,
    from `since` on: where a trend stops comparing like with like (a data file grew)."""
    return [
        SuiteChange(
            run_id=c.run_id,
            created_at=_iso(c.created_at),
            suite_hash=c.suite_hash,
            cases=c.cases,
            previous_hash=c.previous_hash,
            previous_cases=c.previous_cases,
        )
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
        best = aggregate(top, ModelAggregate)
        cards.append(
            {
                "suite": suite_name,
                "run_id": run_id,
                "created_at": _iso(created),
                "model": top.model,
                "pass_rate": best.pass_rate,
                "ci95": best.ci95,
                "ci_method": best.ci_method,
                "n": best.n,
                "models": len(rows),
            }
        )
    return cards
