"""Across runs, typed: what `analysis.overview`'s leaderboard and trend return, which
`GET /api/leaderboard` and `/api/trends` answer (their `response_model`s) and the
dashboard's overview page draws, so the page and the JSON cannot disagree; one model per
answer, so the OpenAPI schema documents every field. The month's spend has its models
beside its query, in `analysis.spend`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from benchlab.analysis.run_views import ModelAggregate

__all__ = [
    "Leaderboard",
    "LeaderboardRow",
    "Metric",
    "SuiteBoard",
    "SuiteChange",
    "Trend",
    "TrendPoint",
    "TrendSeries",
]

Metric = Literal["pass_rate", "cost_usd", "latency_ms_mean", "attempts", "errors"]


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
