"""The dashboard: server-rendered pages over the same library calls as the JSON API.

Pages render their tables on the server, so they are complete without
JavaScript; small ES modules add charts (plotly, served from the installed
wheel), the attempt panel, diffs, the theme toggle and live progress. Every
chart's numbers are also rendered as a table beside it.
"""

from __future__ import annotations

import importlib.util
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from benchlab import __version__
from benchlab.analysis import overview
from benchlab.analysis.compare_view import compare_view
from benchlab.analysis.run_views import RunPage, run_list
from benchlab.analysis.suite_views import suite_cases, suite_list
from benchlab.analysis.summary import summarize_run
from benchlab.domain import RUN_STATUSES
from benchlab.errors import NotFound, UserError
from benchlab.format import money, percent
from benchlab.server import charts, schedules
from benchlab.server.deps import SettingsDep, StoreDep
from benchlab.server.errors import redact
from benchlab.server.suites import launchable
from benchlab.store import queries
from benchlab.store.passes import describe_pass, resolve_pass, run_passes
from benchlab.store.run_query import parse_tags

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
PAGE = 100


DASH = "\u2013"  # shown for a missing value


def _rate(value: float | None) -> str:
    return percent(value, missing=DASH)


def _ms(value: float | None) -> str:
    return DASH if value is None else (f"{value:.0f} ms" if value >= 10 else f"{value:.2f} ms")


def _when(value: Any) -> str:
    if value is None:
        return DASH
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, int | float):
        value = datetime.fromtimestamp(value, UTC)
    return str(value.astimezone(UTC).strftime("%Y-%m-%d %H:%M"))


def _secs(value: float | None) -> str:
    if value is None:
        return DASH
    return f"{value:.1f} s" if value < 120 else f"{value / 60:.1f} min"


templates.env.filters.update(pct=_rate, cost=money, ms=_ms, when=_when, secs=_secs)
templates.env.globals.update(version=__version__, describe_pass=describe_pass)


def _rows(page: RunPage) -> list[dict[str, Any]]:
    """A page's runs as the JSON API writes them (the templates read these fields)."""
    return [row.model_dump(mode="json") for row in page.items]


def _render(request: Request, name: str, code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=code)


def _qs(params: dict[str, Any], **changes: Any) -> str:
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def _text(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    return value.strip()[:300] if value and value.strip() else None


def _int(request: Request, name: str, default: int = 0) -> int:
    raw = request.query_params.get(name, "")
    return max(0, min(int(raw), 2**31)) if raw.isdigit() else default


def _failure(request: Request, exc: UserError) -> HTMLResponse:
    status = 404 if isinstance(exc, NotFound) else 400
    message = redact(request, str(exc))
    return _render(request, "error.html", status, nav="", message=message, status=status)


@router.get("/static/vendor/plotly.min.js")
def plotly_js() -> Response:
    """plotly.min.js from the installed `plotly` wheel: no CDN, works offline."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        return Response("plotly is not installed", status_code=404, media_type="text/plain")
    path = os.path.join(os.path.dirname(spec.origin), "package_data", "plotly.min.js")
    return FileResponse(
        path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"}
    )


@router.get("/favicon.ico")
def favicon() -> Response:
    return FileResponse(
        Path(__file__).with_name("static") / "favicon.svg", media_type="image/svg+xml"
    )


@router.get("/", response_class=HTMLResponse)
def overview_page(
    request: Request, store: StoreDep, scheduler: schedules.SchedulerDep
) -> HTMLResponse:
    board = overview.leaderboard(store)
    suites = [entry["suite"] for entry in board]
    chosen = _text(request, "suite")
    if chosen not in suites:
        chosen = suites[0] if suites else None
    rows: list[dict[str, Any]] = next((e["models"] for e in board if e["suite"] == chosen), [])
    series = overview.trend(store, suite=chosen) if chosen else []
    recent = run_list(store, limit=10)
    return _render(
        request,
        "overview.html",
        nav="overview",
        cards=overview.score_cards(store),
        spend=overview.spend(store),
        suites=suites,
        suite=chosen,
        leaderboard=rows,
        trend=charts.trend(series),
        trend_rows=charts.trend_rows(series),
        scatter=charts.scatter(rows),
        runs=_rows(recent),
        total_runs=recent.total,
        schedules=schedules.page_rows(scheduler, store),
    )


@router.get("/runs", response_class=HTMLResponse)
def runs_page(request: Request, store: StoreDep) -> HTMLResponse:
    params = {k: _text(request, k) for k in ("suite", "model", "status", "tag")}
    offset = _int(request, "offset")
    try:
        page = run_list(
            store,
            suite=params["suite"],
            model=params["model"],
            status=params["status"],
            tags=parse_tags([params["tag"]], flag="tag") if params["tag"] else None,
            limit=50,
            offset=offset,
        )
    except UserError as exc:
        return _failure(request, exc)
    return _render(
        request,
        "runs.html",
        nav="runs",
        runs=_rows(page),
        page=page,
        statuses=RUN_STATUSES,
        params=params,
        qs=lambda **kw: _qs(params, **kw),
        suites=[s["name"] for s in queries.suites_summary(store)],
        models=[m["name"] for m in queries.models_summary(store)],
    )


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, run_id: str, store: StoreDep) -> HTMLResponse:
    try:
        run = store.get_run(run_id)
        shown = resolve_pass(store, run.id, _text(request, "pass"), flag="pass")
    except UserError as exc:
        return _failure(request, exc)
    passed_raw = _text(request, "passed")
    params: dict[str, Any] = {
        k: _text(request, k) for k in ("model", "category", "error_type", "q", "case", "suite")
    }
    params["passed"] = passed_raw if passed_raw in ("true", "false", "error") else None
    offset = _int(request, "offset")
    page = queries.attempts_page(
        store,
        run.id,
        model=params["model"],
        suite=params["suite"],
        case_id=params["case"],
        category=params["category"],
        error_type=params["error_type"],
        passed=None if params["passed"] in (None, "error") else params["passed"] == "true",
        status="error" if params["passed"] == "error" else None,
        q=params["q"],
        limit=PAGE,
        offset=offset,
    )
    summary = summarize_run(store, run.id, score_pass=shown.pass_no)
    return _render(
        request,
        "run.html",
        nav="runs",
        run=run,
        summary=summary,
        scores_from=shown.describe(),
        passes=run_passes(store, run.id),
        rate_chart=charts.rates(summary["models"]),
        categories=charts.category_matrix(summary["models"]),
        facets=queries.attempt_facets(store, run.id),
        page=page,
        params=params,
        qs=lambda **kw: _qs(params, **kw),
        planned=queries.planned_total(store, run),
        times=queries.run_times(store, [run.id]).get(run.id, (None, None)),
    )


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, store: StoreDep) -> HTMLResponse:
    a, b = _text(request, "a"), _text(request, "b")
    recent = queries.runs_page(store, limit=100).items
    result = None
    error = None
    if a and b:
        try:
            result = compare_view(
                store,
                a,
                b,
                model=_text(request, "model"),
                pass_a=_text(request, "pass_a"),
                pass_b=_text(request, "pass_b"),
            ).model_dump()
        except UserError as exc:
            error = redact(request, str(exc))
    elif recent and (a or b):
        a = a or next((r.id for r in recent if r.id != b), None)
    return _render(
        request,
        "compare.html",
        nav="compare",
        runs=recent,
        a=a,
        b=b,
        result=result,
        error=error,
        code=400 if error else 200,
    )


@router.get("/suites", response_class=HTMLResponse)
def suites_page(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    suites = suite_list(store, launchable(settings)).model_dump()["items"]
    return _render(request, "suites.html", nav="suites", suites=suites)


@router.get("/suites/{name}", response_class=HTMLResponse)
def suite_page(request: Request, name: str, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    params = {k: _text(request, k) for k in ("category", "q", "version")}
    try:
        data = suite_cases(
            store,
            launchable(settings),
            name,
            version=params["version"],
            category=params["category"],
            q=params["q"],
            limit=PAGE,
            offset=_int(request, "offset"),
        ).model_dump()
    except UserError as exc:
        return _failure(request, exc)
    return _render(
        request,
        "suite.html",
        nav="suites",
        suite=data,
        params=params,
        qs=lambda **kw: _qs(params, **kw),
        coverage=charts.coverage(data["categories"]),
    )


@router.get("/launch", response_class=HTMLResponse)
def launch_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return _render(
        request,
        "launch.html",
        nav="launch",
        suites=list(launchable(settings)),
        write_enabled=settings.write_enabled,
    )
