"""The dashboard: server-rendered pages over the same library calls as the JSON API.

Pages render their tables on the server, so they are complete without
JavaScript; small ES modules add charts (plotly, served from the installed
wheel), the attempt panel, diffs, the theme toggle and live progress. Every
chart's numbers are also rendered as a table beside it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from benchlab.analysis import overview
from benchlab.analysis.compare_view import compare_view
from benchlab.analysis.factor_views import grid_summary
from benchlab.analysis.run_views import RunPage, run_facets, run_list
from benchlab.analysis.spend import MonthlySpend, month_bounds, monthly_spend
from benchlab.analysis.suite_views import suite_cases, suite_list
from benchlab.analysis.summary import summarize_run
from benchlab.domain import RUN_STATUSES
from benchlab.errors import UserError, api_text
from benchlab.scorers.registry import scorer_names
from benchlab.server import charts, markdown, schedules
from benchlab.server.budget_watch import BudgetView, recent_months
from benchlab.server.compare_answers import flip_views
from benchlab.server.deps import BudgetDep, SettingsDep, StoreDep
from benchlab.server.errors import redact
from benchlab.server.rendering import PAGE, failure, int_param, qs, render, text_param
from benchlab.server.suites import launch_targets, launchable
from benchlab.store import Store, queries
from benchlab.store.passes import resolve_pass, run_passes
from benchlab.store.run_query import parse_tags
from benchlab.store.run_summaries import RunParts

router = APIRouter(include_in_schema=False)


def _rows(page: RunPage) -> list[dict[str, Any]]:
    """A page's runs as the JSON API writes them (the templates read these fields)."""
    return [row.model_dump(mode="json") for row in page.items]


@router.get("/static/highlight.css")
def highlight_css() -> Response:
    """Pygments' classes for code in answers and tests, light and dark (server/markdown.py)."""
    return Response(
        markdown.highlight_css(),
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/favicon.ico")
def favicon() -> Response:
    return FileResponse(
        Path(__file__).with_name("static") / "favicon.svg", media_type="image/svg+xml"
    )


# The trend's window, in days (0: every run); a tracker looks at the last month by default.
WINDOWS = (7, 30, 90, 365, 0)
DEFAULT_WINDOW = 30


@router.get("/", response_class=HTMLResponse)
def overview_page(
    request: Request, store: StoreDep, scheduler: schedules.SchedulerDep, budget: BudgetDep
) -> HTMLResponse:
    try:  # the budget block (templates/_budget.html); viewing it is also a budget check
        budget_view = budget.view(text_param(request, "month"))
    except UserError as exc:
        return failure(request, exc)
    # `tag` may repeat, and one field may hold several space-separated KEY=VALUE pairs
    given = request.query_params.getlist("tag")
    tag_texts = [t[:300] for text in given for t in text.split() if t][:20]
    try:
        tags = parse_tags(tag_texts, flag="tag")
    except UserError as exc:
        return failure(request, exc)
    days = int_param(request, "days", DEFAULT_WINDOW)
    days = days if days in WINDOWS else DEFAULT_WINDOW
    since = time.time() - days * 86400 if days else None
    board = overview.leaderboard(store, tags=tags).suites
    suites = [entry.suite for entry in board]
    chosen = text_param(request, "suite")
    if chosen not in suites:
        chosen = suites[0] if suites else None
    rows = next((e.models for e in board if e.suite == chosen), [])
    shown = overview.trend(store, suite=chosen, since=since, tags=tags) if chosen else None
    series = shown.series if shown else []
    changes = shown.suite_changes if shown else []
    recent = run_list(store, tags=tags or None, limit=10)  # the filter holds for the whole page
    return render(
        request,
        "overview.html",
        nav="overview",
        cards=overview.score_cards(store, tags=tags),
        spend=this_month_spend(store, budget_view),
        suites=suites,
        suite=chosen,
        tag_text=" ".join(f"{k}={v}" for k, v in tags.items()),
        tags=tags,
        days=days,
        windows=WINDOWS,
        leaderboard=rows,
        trend=charts.trend(series, changes),
        trend_rows=charts.trend_rows(series),
        changes=changes,
        changed_runs={c.run_id for c in changes},
        scatter=charts.scatter(rows),
        runs=_rows(recent),
        total_runs=recent.total,
        schedules=schedules.page_rows(scheduler, store),
        budget=budget_view,
        months=recent_months(),
    )


def this_month_spend(store: Store, budget_view: BudgetView) -> MonthlySpend:
    """The spend card's figures: the budget block's own when it shows this month (the
    default), so that opening the overview runs the month's spend query once, not twice."""
    if budget_view.spend.month == month_bounds(None)[0]:
        return budget_view.spend
    return monthly_spend(store)


@router.get("/runs", response_class=HTMLResponse)
def runs_page(request: Request, store: StoreDep) -> HTMLResponse:
    params = {k: text_param(request, k) for k in ("suite", "model", "status", "tag", "sort")}
    offset = int_param(request, "offset")
    sort = params["sort"] or "-created"
    try:
        page = run_list(
            store,
            suite=params["suite"],
            model=params["model"],
            status=params["status"],
            tags=parse_tags([params["tag"]], flag="tag") if params["tag"] else None,
            limit=50,
            offset=offset,
            sort=sort,
        )
    except UserError as exc:
        return failure(request, exc)
    return render(
        request,
        "runs.html",
        nav="runs",
        runs=_rows(page),
        page=page,
        sort=sort,
        statuses=RUN_STATUSES,
        params=params,
        qs=lambda **kw: qs(params, **kw),
        suites=[s["name"] for s in queries.suites_summary(store)],
        models=[m["name"] for m in queries.models_summary(store)],
    )


def _elapsed(store: Store, run_id: str, status: str) -> float | None:
    """The run's duration; a running run's so far, by the server's clock, which the live page
    counts on from (static/run.js) so a browser whose clock is off still shows it right."""
    started, finished = queries.run_times(store, [run_id]).get(run_id, (None, None))
    if started is None:
        return None
    if finished is not None:
        return finished - started
    return time.time() - started if status == "running" else None


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, run_id: str, store: StoreDep) -> HTMLResponse:
    try:
        run = store.get_run(run_id)
        shown = resolve_pass(store, run.id, text_param(request, "pass"))
    except UserError as exc:
        return failure(request, exc)
    passed_raw = text_param(request, "passed")
    params: dict[str, Any] = {
        k: text_param(request, k) for k in ("model", "category", "error_type", "q", "case", "suite")
    }
    params["passed"] = passed_raw if passed_raw in ("true", "false", "error") else None
    offset = int_param(request, "offset")
    where = queries.AttemptFilter(
        model=params["model"],
        suite=params["suite"],
        case_id=params["case"],
        category=params["category"],
        error_type=params["error_type"],
        passed=None if params["passed"] in (None, "error") else params["passed"] == "true",
        status="error" if params["passed"] == "error" else None,
        q=params["q"],
    )
    page = queries.attempts_page(store, run.id, where, limit=PAGE, offset=offset)
    parts = RunParts(store, run.id)  # the summary and facets kept for a finished run
    summary = summarize_run(store, run.id, score_pass=shown.pass_no, parts=parts)
    return render(
        request,
        "run.html",
        nav="runs",
        run=run,
        summary=summary,
        scores_from=shown.describe(),
        passes=run_passes(store, run.id),
        rate_chart=charts.rates(summary["models"]),
        categories=charts.category_matrix(summary["models"]),
        facets=run_facets(store, parts),
        page=page,
        params=params,
        qs=lambda **kw: qs(params, **kw),
        planned=queries.planned_total(store, run),
        elapsed=_elapsed(store, run.id, run.status),
        grid=grid_summary(store, run.id),  # a grid run's factors (templates/run_grid.html)
    )


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, store: StoreDep) -> HTMLResponse:
    a, b = text_param(request, "a"), text_param(request, "b")
    recent = queries.runs_page(store, limit=100).items
    result = None
    flips = None
    error = None
    if a and b:
        try:
            doc = compare_view(
                store,
                a,
                b,
                model=text_param(request, "model"),
                pass_a=text_param(request, "pass_a"),
                pass_b=text_param(request, "pass_b"),
            )
            result = doc.model_dump()
            flips = flip_views(store, doc)  # both answers of each flipped case, side by side
        except UserError as exc:
            error = redact(request, api_text(exc))
    elif recent and (a or b):
        a = a or next((r.id for r in recent if r.id != b), None)
    return render(
        request,
        "compare.html",
        nav="compare",
        runs=recent,
        a=a,
        b=b,
        result=result,
        flips=flips,
        error=error,
        code=400 if error else 200,
    )


@router.get("/suites", response_class=HTMLResponse)
def suites_page(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    suites = suite_list(store, launchable(settings)).model_dump()["items"]
    return render(request, "suites.html", nav="suites", suites=suites)


@router.get("/suites/{name}", response_class=HTMLResponse)
def suite_page(request: Request, name: str, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    params = {k: text_param(request, k) for k in ("category", "q", "version")}
    try:
        data = suite_cases(
            store,
            launchable(settings),
            name,
            version=params["version"],
            category=params["category"],
            q=params["q"],
            limit=PAGE,
            offset=int_param(request, "offset"),
        ).model_dump()
    except UserError as exc:
        return failure(request, exc)
    return render(
        request,
        "suite.html",
        nav="suites",
        suite=data,
        params=params,
        qs=lambda **kw: qs(params, **kw),
        coverage=charts.coverage(data["categories"]),
    )


@router.get("/launch", response_class=HTMLResponse)
def launch_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return render(
        request,
        "launch.html",
        nav="launch",
        suites=list(launch_targets(settings)),
        scorers=[n for n in scorer_names() if ":" not in n],
        write_enabled=settings.write_enabled,
    )
