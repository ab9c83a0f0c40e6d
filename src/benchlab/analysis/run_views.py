"""What a run reads as, in a list and on its own: the typed answers that `benchlab runs`,
the server's JSON API and pages, and the Python API (`benchlab.api`) share.

The models live here, in the analysis layer, because this is the lowest layer
that can compute them (a row needs the store's cached aggregates and Wilson
intervals) and every reader sits above it: the CLI, the server (which uses them
as FastAPI `response_model`s, so the OpenAPI schema documents every field) and
`benchlab.api`. One model per view means one list of fields: the command line's
`runs --json` and `GET /api/runs` print the same row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from benchlab.analysis.stats.core import wilson_interval
from benchlab.domain import Run, RunStatus
from benchlab.store import Store
from benchlab.store import stats as run_stats
from benchlab.store.queries import attempt_facets, planned_total, run_times
from benchlab.store.run_query import RunFilter, count_runs, sorted_runs
from benchlab.store.run_summaries import RunParts
from benchlab.store.stats import ModelStat, combine

__all__ = [
    "LatencyStats",
    "ModelAggregate",
    "ModelSummary",
    "RunDetail",
    "RunPage",
    "RunRow",
    "Tokens",
    "aggregate",
    "run_detail",
    "run_facets",
    "run_list",
    "run_row",
]

# A moment as ISO 8601 text with its offset (`2026-01-02T03:04:05.123456+00:00`), as every
# JSON document of benchlab has always written it (pydantic's default would write `Z`).
IsoTime = Annotated[
    datetime,
    PlainSerializer(lambda moment: moment.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization"),
]


class Tokens(BaseModel):
    input: int = Field(description="prompt tokens")
    output: int = Field(description="completion tokens")


class ModelAggregate(BaseModel):
    """One model's totals over a run (all its suites), from the cached aggregates."""

    model: str
    suite: str = Field(description='"" : combined over the run\'s suites')
    attempts: int
    errors: int = Field(description="attempts with no verdict (request or scorer failed)")
    n: int = Field(description="judged attempts: the denominator of pass_rate")
    passed: int
    pass_rate: float | None = Field(description="over judged attempts; null when none")
    ci95: list[float] | None = Field(description="95% interval of pass_rate [low, high]")
    ci_method: str = Field(description="how ci95 was computed (wilson: over attempts)")
    cost_usd: float | None = Field(description="null when some answer had no known price")
    latency_ms_mean: float | None
    tokens: Tokens


Aggregate = TypeVar("Aggregate", bound=ModelAggregate)


def aggregate(s: ModelStat, shape: type[Aggregate], **more: Any) -> Aggregate:
    """A cached aggregate as `shape` (a ModelAggregate, or a row that extends one with
    `more` fields), its rate with a Wilson interval over attempts: the aggregate has no
    per-case rows to resample."""
    ci = wilson_interval(s.passed, s.judged)
    return shape(
        model=s.model,
        suite=s.suite,
        attempts=s.attempts,
        errors=s.errors,
        n=s.judged,
        passed=s.passed,
        pass_rate=s.pass_rate,
        ci95=list(ci) if ci else None,
        ci_method="wilson",
        cost_usd=s.cost,
        latency_ms_mean=s.latency_mean,
        tokens=Tokens(input=s.input_tokens, output=s.output_tokens),
        **more,
    )


class RunRow(BaseModel):
    """A run as lists show it: what it ran, how it went, and its totals per model."""

    run_id: str
    status: RunStatus = Field(description="a dead process's running run reads interrupted")
    suites: list[str]
    models: list[str]
    tags: dict[str, str]
    seed: int
    created_at: IsoTime
    finished_at: IsoTime | None
    duration_s: float | None = Field(description="started to finished; null while running")
    attempts: int
    errors: int
    pass_rate: float | None = Field(description="over judged attempts of every model")
    cost_usd: float | None = Field(description="null when some answer had no known price")
    per_model: list[ModelAggregate]


class RunPage(BaseModel):
    """Runs newest first, one page of them; `total` counts every match (for a pager)."""

    total: int
    limit: int | None = Field(description="the page size asked for; null: every run")
    offset: int
    items: list[RunRow]


def run_row(run: Run, stats: list[ModelStat], times: tuple[float | None, float | None]) -> RunRow:
    """The one run-to-row view: `stats` are the run's aggregates, `times` its (start, end)."""
    per_model: dict[str, list[ModelStat]] = defaultdict(list)
    for s in stats:
        per_model[s.model].append(s)
    total = combine(stats, run_id=run.id)
    start, end = times
    return RunRow(
        run_id=run.id,
        status=run.status,
        suites=run.suites,
        models=run.models,
        tags=run.tags,
        seed=run.seed,
        created_at=run.created_at,
        finished_at=run.finished_at,
        duration_s=None if start is None or end is None else end - start,
        attempts=total.attempts,
        errors=total.errors,
        pass_rate=total.pass_rate,
        cost_usd=total.cost,
        per_model=[
            aggregate(combine(v, run_id=run.id, model=m), ModelAggregate)
            for m, v in sorted(per_model.items())
        ],
    )


def run_list(
    store: Store,
    *,
    suite: str | None = None,
    model: str | None = None,
    status: str | None = None,
    tags: Mapping[str, str] | None = None,
    since: float | None = None,
    until: float | None = None,
    limit: int | None = 50,
    offset: int = 0,
    sort: str = "-created",
) -> RunPage:
    """Runs newest first (or by `sort`, one of `RUN_SORTS`: `pass_rate`, `-cost`...) with
    their per-model totals; filters combine with AND (`tags`: all must match;
    `since`/`until`: epoch seconds of creation, `until` exclusive). `limit` None lists
    every run; the server bounds it, the command line does not."""
    where = RunFilter(suite, model, status, dict(tags or {}), since, until)
    if sort.lstrip("-") in ("pass_rate", "cost", "attempts", "errors"):
        run_stats.refresh_if_writable(store)  # the database sorts by the cached totals
    found = sorted_runs(store.engine, where, sort, limit=limit, offset=offset)
    ids = [r.id for r in found]
    by_run = run_stats.for_runs(store, ids)
    times = run_times(store, ids)
    return RunPage(
        total=count_runs(store.engine, where),
        limit=limit,
        offset=offset,
        items=[run_row(r, by_run.get(r.id, []), times.get(r.id, (None, None))) for r in found],
    )


class LatencyStats(BaseModel):
    mean: float | None
    p50: float | None
    p95: float | None


class ModelSummary(BaseModel):
    """One model's results in a run's summary; code benchmarks add `pass_at_k`, grids and
    judged runs their score means, categories `by_category` (kept as they come)."""

    model_config = ConfigDict(extra="allow")

    model: str
    attempts: int
    judged: int
    errors: int
    errors_by_kind: dict[str, dict[str, Any]] = Field(
        description='{kind: {"count": n, "first_message": "..."}}'
    )
    pass_rate: float | None
    ci95: list[float] | None
    ci_method: str
    latency_ms: LatencyStats
    tokens: Tokens
    cost_usd: float | None


class RunDetail(BaseModel):
    """A run's summary from one scoring pass, with what the dashboard needs to draw it:
    the models asked for, the config, planned and done attempts, the filter values."""

    model_config = ConfigDict(extra="allow")

    run_id: str
    status: RunStatus
    suites: list[str]
    created_at: IsoTime
    finished_at: IsoTime | None
    seed: int
    tags: dict[str, str]
    error: str | None = Field(description="why the run failed, if it did")
    score_pass: int = Field(description="the scoring pass shown (0: the run's own scoring)")
    scores_from: dict[str, Any] = Field(description="that pass: its number, scorers, judge")
    attempts: int
    errors: int
    errors_by_kind: dict[str, dict[str, Any]]
    models: list[ModelSummary]
    cache: dict[str, Any] | None = Field(description="answers reused from the cache, if any")
    models_requested: list[str]
    config: dict[str, Any]
    benchlab_version: str
    planned_total: int | None = Field(description="attempts the run will make, if known")
    done: int = Field(description="attempts stored so far")
    facets: dict[str, list[str]] = Field(description="values the attempts can be filtered by")


def run_detail(store: Store, run_id: str, *, score_pass: str | int | None = None) -> RunDetail:
    """One run (an id or a unique prefix): `summarize_run` plus the dashboard's extras."""
    from benchlab.analysis.summary import summarize_run

    run = store.get_run(run_id)
    parts = RunParts(store, run.id)  # what the run's page reads, kept while the run is not running
    summary = summarize_run(store, run.id, score_pass=score_pass, parts=parts)
    summary["models_requested"] = run.models
    summary["config"] = run.config
    summary["benchlab_version"] = run.benchlab_version
    summary["planned_total"] = planned_total(store, run)
    summary["done"] = sum(m["attempts"] for m in summary["models"])
    summary["facets"] = run_facets(store, parts)
    return RunDetail.model_validate(summary)


def run_facets(store: Store, parts: RunParts) -> dict[str, list[str]]:
    """The values a run's attempts can be filtered by, kept with its summary: four DISTINCT
    scans of the attempts, the dearest read of a 60,000-attempt run's page."""
    return parts.get("facets", lambda: attempt_facets(store, parts.run_id))
