"""The public read API: runs, attempts, models, suites, leaderboard, trends, compare, health.

Handlers parse and validate parameters, get the store through `StoreDep`
(server/deps.py) and call one library function per question (`analysis.run_views`,
`attempt_views`, `model_views`, `suite_views`, `overview`, `spend`, `compare_view`),
whose typed answer is the route's `response_model`; no query logic and no JSON
shaping lives here. Every route that takes parameters declares the errors it
answers (`error_responses`), so /openapi.json documents every field and every
404/400 (tests/server/test_api_read.py checks both against real answers).
Attempt ids are 63-bit integers, beyond what JavaScript numbers hold exactly,
so they leave as strings.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from benchlab import __version__
from benchlab.analysis import overview
from benchlab.analysis.attempt_views import (
    MAX_ATTEMPT_ID,
    AttemptDetail,
    AttemptPage,
    attempt_detail,
    attempt_list,
)
from benchlab.analysis.compare_view import CompareDocument, compare_view
from benchlab.analysis.model_views import ModelList, model_list
from benchlab.analysis.overview_views import Leaderboard, Metric, Trend
from benchlab.analysis.run_views import RunDetail, RunPage, run_detail, run_list
from benchlab.analysis.spend import MonthlySpend, monthly_spend
from benchlab.analysis.suite_views import CasePage, SuiteList, suite_cases, suite_list
from benchlab.domain import RunStatus
from benchlab.server.deps import SettingsDep, StoreDep
from benchlab.server.errors import error_responses, redact_value
from benchlab.server.query_params import (
    BAD_MONTH,
    BAD_TAG,
    NO_RUN,
    AttemptFilters,
    Limit,
    Month,
    Offset,
    Tags,
    Text,
    When,
    epoch,
)
from benchlab.server.suites import launchable
from benchlab.store import artifacts, queries
from benchlab.store.db import SCHEMA_HEAD
from benchlab.store.run_query import RunSort, parse_tags

router = APIRouter(prefix="/api", tags=["read"])


class Health(BaseModel):
    """That the server is up, and what it serves: its version, the database's schema."""

    status: Literal["ok"]
    version: str = Field(description="benchlab's version")
    schema_: str = Field(alias="schema", description="the database's schema revision")
    db: Literal["sqlite", "postgresql", "other"] = Field(
        description="the kind of database (never its URL or file path)"
    )
    write_api: bool = Field(description="POST /api/results and /api/runs are on (a key is set)")


def _db_kind(url: str) -> str:
    scheme = url.partition(":")[0].partition("+")[0].lower()
    return scheme if scheme in ("sqlite", "postgresql") else "other"


@router.get("/health", response_model=Health)
def health(store: StoreDep, settings: SettingsDep) -> Health:
    return Health.model_validate(
        {
            "status": "ok",
            "version": __version__,
            "schema": SCHEMA_HEAD,
            "db": _db_kind(store.url),
            "write_api": settings.write_enabled,
        }
    )


@router.get(
    "/runs",
    response_model=RunPage,
    responses=error_responses(BAD_TAG),
)
def list_runs(
    store: StoreDep,
    suite: Text = None,
    model: Text = None,
    status: RunStatus | None = None,
    tag: Tags = [],  # noqa: B006
    since: When = None,
    until: When = None,
    limit: Limit = 50,
    offset: Offset = 0,
    sort: Annotated[
        RunSort,
        Query(
            description="order: created, pass_rate, cost, attempts, errors, duration or "
            "status; a leading `-` for descending; missing values last either way"
        ),
    ] = "-created",
) -> RunPage:
    """Runs newest first (or as `sort` says), with per-model pass rates; filters combine
    with AND."""
    return run_list(
        store,
        suite=suite,
        model=model,
        status=status,
        tags=parse_tags(tag, flag="tag"),
        since=epoch(since),
        until=epoch(until),
        limit=limit,
        offset=offset,
        sort=sort,
    )


@router.get(
    "/runs/{run_id}",
    response_model=RunDetail,
    response_model_exclude_unset=True,  # a summary's optional parts stay absent, not null
    responses=error_responses({**NO_RUN, 400: "`pass` names no scoring pass of the run"}),
)
def get_run(
    request: Request,
    store: StoreDep,
    run_id: str,
    score_pass: Annotated[
        str | None,
        Query(
            alias="pass",
            max_length=300,
            description="scoring pass: a number or judge=MODEL (default the latest completed)",
        ),
    ] = None,
) -> RunDetail:
    """A run's per-model summary (pass rate with its 95% interval and `ci_method`, latency,
    tokens, cost), its verdicts and scores from one scoring pass (`scores_from` says which)."""
    detail = run_detail(store, run_id, score_pass=score_pass)
    detail.config = redact_value(request, detail.config)  # a suite file's folder stays private
    return detail


@router.get(
    "/runs/{run_id}/attempts", response_model=AttemptPage, responses=error_responses(NO_RUN)
)
def list_attempts(
    store: StoreDep,
    run_id: str,
    where: AttemptFilters,
    limit: Limit = 100,
    offset: Offset = 0,
) -> AttemptPage:
    """A run's attempts in case order; `q` searches case ids and answers."""
    return attempt_list(store, run_id, where, limit=limit, offset=offset)


@router.get(
    "/attempts/{attempt_id}",
    response_model=AttemptDetail,
    responses=error_responses({404: "no such attempt"}),
)
def get_attempt(
    store: StoreDep, attempt_id: Annotated[int, Path(ge=0, le=MAX_ATTEMPT_ID)]
) -> AttemptDetail:
    """Everything about one attempt: prompt, answer, expected, scores, tool calls, logs."""
    return attempt_detail(store, attempt_id)


@router.get(
    "/attempts/{attempt_id}/artifacts/{name}",
    response_class=FileResponse,
    responses={
        200: {"content": {"text/plain": {}, "application/octet-stream": {}}},
        **error_responses({404: "no such attempt, or the attempt has no artifact of that name"}),
    },
)
def get_artifact(
    store: StoreDep,
    attempt_id: Annotated[int, Path(ge=0, le=MAX_ATTEMPT_ID)],
    name: Annotated[str, Path(min_length=1, max_length=255, description="e.g. stdout.log")],
    download: Annotated[
        bool, Query(description="save it (attachment) instead of showing it (inline)")
    ] = False,
) -> FileResponse:
    """One artifact file of an attempt (prompt.txt, response.txt, patch.diff, stdout.log, ...).

    The name is looked up among the attempt's files (see `store.artifacts.lookup`), never
    joined to a path, so no name reaches outside the attempt's folder. Text is sent as
    `text/plain` with `nosniff`: a model's answer is shown as text, never run as a page.
    """
    attempt, _ = queries.get_attempt(store, attempt_id)
    path = artifacts.lookup(store, attempt, name)
    return FileResponse(
        path,
        media_type=artifacts.media_type(path.name),
        filename=path.name,
        content_disposition_type="attachment" if download else "inline",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"},
    )


@router.get("/models", response_model=ModelList)
def list_models(store: StoreDep) -> ModelList:
    """Every model that has run, with its run count and last run time."""
    return model_list(store)


@router.get("/suites", response_model=SuiteList)
def list_suites(store: StoreDep, settings: SettingsDep) -> SuiteList:
    """Stored suites (with their newest version) and built-in suites not yet run."""
    return suite_list(store, launchable(settings))


@router.get(
    "/suites/{name}/cases",
    response_model=CasePage,
    responses=error_responses(
        {
            404: "no such suite (or version)",
            400: "the suite's file (in the server's suite folder) does not load: which line, why",
        }
    ),
)
def list_cases(
    store: StoreDep,
    settings: SettingsDep,
    name: str,
    version: Text = None,
    category: Text = None,
    q: Text = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> CasePage:
    """A suite's cases in order, with case counts per category (its coverage)."""
    return suite_cases(
        store,
        launchable(settings),
        name,
        version=version,
        category=category,
        q=q,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/leaderboard",
    response_model=Leaderboard,
    responses=error_responses(BAD_TAG),
)
def leaderboard(
    store: StoreDep,
    suite: Text = None,
    tag: Tags = [],  # noqa: B006
) -> Leaderboard:
    """Per suite, each model's best completed run (among runs with every `tag`), with that
    run's cost and duration."""
    return overview.leaderboard(store, suite=suite, tags=parse_tags(tag, flag="tag"))


@router.get(
    "/trends",
    response_model=Trend,
    response_model_exclude_unset=True,  # only a pass rate's points carry an interval
    responses=error_responses(BAD_TAG),
)
def trends(
    store: StoreDep,
    suite: Annotated[str, Query(max_length=300)],
    model: Text = None,
    metric: Metric = "pass_rate",
    since: When = None,
    tag: Tags = [],  # noqa: B006
) -> Trend:
    """A metric per completed run over time (runs with every `tag`), one series per model,
    with the runs at which the suite's content changed."""
    return overview.trend(
        store,
        suite=suite,
        model=model,
        metric=metric,
        since=epoch(since),
        tags=parse_tags(tag, flag="tag"),
    )


@router.get(
    "/spend",
    response_model=MonthlySpend,
    responses=error_responses(BAD_MONTH),
)
def spend(
    store: StoreDep,
    month: Month = None,
) -> MonthlySpend:
    """Money spent this calendar month (UTC) and on average per run: the figures of
    `benchlab spend --json` (one query), with `total_usd` null when a price is unknown."""
    return monthly_spend(store, month)


@router.get(
    "/compare",
    response_model=CompareDocument,
    responses=error_responses(
        {404: "no such run", 400: "the two runs cannot be compared as asked"}
    ),
)
def compare(
    store: StoreDep,
    a: Annotated[str, Query(min_length=1, max_length=64, description="baseline run")],
    b: Annotated[str, Query(min_length=1, max_length=64, description="candidate run")],
    model: Text = None,
) -> CompareDocument:
    """Paired per-case comparison of run `b` against run `a`: deltas, flips, verdict."""
    return compare_view(store, a, b, model=model)
