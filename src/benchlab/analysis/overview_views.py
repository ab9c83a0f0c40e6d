"""Across runs, typed: the leaderboard, a metric's trend and the month's spend, as
`GET /api/leaderboard`, `/api/trends` and `/api/spend` answer them (their `response_model`s).

The figures are `analysis.overview`'s (which the dashboard's overview page also
draws), so the page and the JSON cannot disagree; this module gives each answer
one model, so the OpenAPI schema documents every field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from benchlab.analysis import overview
from benchlab.analysis.run_views import ModelAggregate
from benchlab.store import Store

__all__ = [
    "Leaderboard",
    "LeaderboardRow",
    "Metric",
    "MonthlySpend",
    "SpendByJudge",
    "SpendByModel",
    "SpendByModelSuite",
    "SpendBySuite",
    "SuiteBoard",
    "SuiteChange",
    "Trend",
    "TrendPoint",
    "TrendSeries",
    "Usd",
    "leaderboard",
    "monthly_spend",
    "trend",
]

Metric = Literal["pass_rate", "cost_usd", "latency_ms_mean", "attempts", "errors"]

# Dollars as the spend query sums them: a month with no request sums to the integer 0, and
# the JSON has always said `0` there, not `0.0` (a float field would rewrite it).
Usd = float | int


class LeaderboardRow(ModelAggregate):
    """A model's best completed run on a suite; cost and duration are that run's."""

    run_id: str = Field(description="the run the row's figures come from")
    run_created_at: str = Field(description="ISO 8601, with its offset")
    duration_s: float | None
    runs: int = Field(description="completed runs of this model on the suite")
    rank: int = Field(description="1: the best pass rate")


class SuiteBoard(BaseModel):
    suite: str
    models: list[LeaderboardRow] = Field(description="best pass rate first")


class Leaderboard(BaseModel):
    """Per suite (by name), each model's best completed run."""

    suites: list[SuiteBoard]


def leaderboard(
    store: Store, *, suite: str | None = None, tags: Mapping[str, str] | None = None
) -> Leaderboard:
    """Per suite, each model's best completed run (with all of `tags`: `overview.leaderboard`)."""
    board = overview.leaderboard(store, suite=suite, tags=tags)
    return Leaderboard.model_validate({"suites": board})


class TrendPoint(BaseModel):
    run_id: str
    created_at: str = Field(description="the run's creation, ISO 8601 with its offset")
    value: float | None
    n: int = Field(description="judged attempts")
    ci95: list[float] | None = Field(
        default=None, description="pass_rate only: its 95% interval [low, high]"
    )
    ci_method: str | None = Field(default=None, description="pass_rate only: wilson")


class TrendSeries(BaseModel):
    model: str
    points: list[TrendPoint] = Field(description="one per completed run, oldest first")


class SuiteChange(BaseModel):
    """A run at which the suite's content (its cases as loaded) differs from the run before."""

    run_id: str
    created_at: str = Field(description="the run's creation, ISO 8601 with its offset")
    suite_hash: str = Field(description="the suite's content hash from this run on")
    cases: int | None = Field(description="cases in the suite from this run on")
    previous_hash: str
    previous_cases: int | None


class Trend(BaseModel):
    """A metric per completed run over time, one series per model (by name).

    Served with unset fields left out: only a pass rate's points carry an interval."""

    suite: str
    metric: Metric
    series: list[TrendSeries]
    suite_changes: list[SuiteChange] = Field(
        default_factory=list,
        description="where the suite's content changed (a data file grew): points before and "
        "after such a run were measured on different cases",
    )


def trend(
    store: Store,
    *,
    suite: str,
    model: str | None = None,
    metric: Metric = "pass_rate",
    since: float | None = None,
    tags: Mapping[str, str] | None = None,
) -> Trend:
    """A metric of each model (or one) on a suite, per completed run with all of `tags`
    (`overview.trend`), and the runs at which the suite's content changed."""
    series = overview.trend(store, suite=suite, model=model, metric=metric, since=since, tags=tags)
    changes = overview.content_changes(store, suite=suite, since=since, tags=tags)
    return Trend.model_validate(
        {"suite": suite, "metric": metric, "series": series, "suite_changes": changes}
    )


class SpendBySuite(BaseModel):
    suite: str
    cost_usd: Usd | None = Field(description="null when some request had no known price")
    known_usd: Usd
    requests: int
    unpriced_requests: int


class SpendByModel(BaseModel):
    model: str
    cost_usd: Usd | None = Field(description="null when some request had no known price")
    known_usd: Usd
    requests: int
    unpriced_requests: int


class SpendByModelSuite(BaseModel):
    model: str
    suite: str
    cost_usd: Usd | None = Field(description="null when some request had no known price")
    known_usd: Usd
    requests: int
    unpriced_requests: int
    cached_answers: int
    runs: int


class SpendByJudge(BaseModel):
    judge: str
    cost_usd: Usd | None = Field(description="null when some verdict's judge had no price")
    known_usd: Usd
    calls: int = Field(description="judge calls really sent (paid)")
    cached_calls: int = Field(description="judge calls the response cache answered, at $0")
    unpriced: int = Field(description="verdicts whose judge calls had no known price")


class MonthlySpend(BaseModel):
    """Money spent in a calendar month (UTC): `benchlab spend --json`'s figures and line."""

    model_config = ConfigDict(populate_by_name=True)

    month: str = Field(description="YYYY-MM")
    from_: str = Field(alias="from", description="the month's start, ISO 8601")
    to: str = Field(description="the next month's start, ISO 8601")
    total_usd: Usd | None = Field(description="null when some request had no known price")
    known_usd: Usd
    requests: int
    unpriced_requests: int
    cached_answers: int
    runs: int
    avg_per_run_usd: Usd | None
    judge_usd: Usd | None = Field(description="judges' part of the total; null when unpriced")
    judge_known_usd: Usd
    judge_calls: int
    judge_cached_calls: int
    judge_unpriced_verdicts: int
    by_judge: list[SpendByJudge]
    by_model: list[SpendByModel]
    by_suite: list[SpendBySuite]
    by_model_suite: list[SpendByModelSuite]
    line: str = Field(description="the figures in one line, as the terminal prints them")


def monthly_spend(store: Store, month: str | None = None) -> MonthlySpend:
    """The month's spend (this month by default), from `overview.spend`."""
    return MonthlySpend.model_validate(overview.spend(store, month))
