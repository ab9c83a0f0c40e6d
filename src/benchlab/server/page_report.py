"""`benchlab report` in the dashboard: `/runs/{id}/report`, and the document itself as
`/runs/{id}/report.md` and `/runs/{id}/report.html` to download.

The page lays out the sections `analysis.render.markdown.report_sections` makes
from `analysis.report.build_report`, the same builder and the same rows the
markdown and HTML reports print, so the page says what the file says; only
the charts are the dashboard's own (plotly, with their numbers in the
section's table).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from benchlab.analysis.history import DEFAULT_LAST
from benchlab.analysis.render.formats import render_report
from benchlab.analysis.render.markdown import report_meta, report_sections
from benchlab.analysis.report import build_report
from benchlab.errors import UserError
from benchlab.server import charts
from benchlab.server.deps import StoreDep
from benchlab.server.rendering import failure, int_param, render

__all__ = ["history_figure", "router"]

router = APIRouter(include_in_schema=False)
MAX_LAST = 500
MEDIA = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


def _last(request: Request) -> int:
    return max(1, min(int_param(request, "last", DEFAULT_LAST), MAX_LAST))


def history_figure(report: dict[str, Any], suite: str) -> dict[str, Any] | None:
    """A suite's pass rate over the runs of its history, one line per model with the
    95% interval as error bars (the numbers of the section's table)."""
    data = []
    for entry in report["history"]:
        points = [p for p in entry["points"] if p["pass_rate"] is not None]
        if entry["suite"] != suite or not points:
            continue
        cis = [p["ci95"] or [p["pass_rate"], p["pass_rate"]] for p in points]
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": entry["model"],
                "x": [p["created_at"] for p in points],
                "y": [p["pass_rate"] for p in points],
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": [ci[1] - p["pass_rate"] for ci, p in zip(cis, points, strict=True)],
                    "arrayminus": [
                        p["pass_rate"] - ci[0] for ci, p in zip(cis, points, strict=True)
                    ],
                },
                "customdata": [p["run_id"] for p in points],
                "hovertemplate": "%{y:.1%} · run %{customdata}<extra>%{fullData.name}</extra>",
            }
        )
    if not any(len(trace["x"]) > 1 for trace in data):
        return None
    return {
        "data": data,
        "layout": {
            "yaxis": {"title": {"text": "pass rate"}, "tickformat": ".0%", "range": [0, 1.05]},
            "xaxis": {"type": "date", "title": {"text": "run created (UTC)"}},
        },
    }


@router.get("/runs/{run_id}/report", response_class=HTMLResponse)
def report_page(request: Request, run_id: str, store: StoreDep) -> HTMLResponse:
    last = _last(request)
    try:
        report = build_report(store, run_id, last=last)
    except UserError as exc:
        return failure(request, exc)
    sections = report_sections(report)
    suites = list(dict.fromkeys(s.suite for s in sections if s.suite))
    return render(
        request,
        "report.html",
        nav="runs",
        report=report,
        meta=report_meta(report),
        sections=sections,
        last=last,
        rate_chart=charts.rates(report["summary"]["models"]),
        history_charts={s: history_figure(report, s) for s in suites},
    )


@router.get("/runs/{run_id}/report.{fmt}")
def report_file(request: Request, run_id: str, fmt: str, store: StoreDep) -> Response:
    """The report as `benchlab report --format md|html` writes it, to save."""
    if fmt not in MEDIA:
        return failure(request, UserError(f"report: no format {fmt!r} (md or html)"))
    try:
        report = build_report(store, run_id, last=_last(request))
    except UserError as exc:
        return failure(request, exc)
    name = f"benchlab-report-{report['run']['run_id']}.{fmt}"
    return Response(
        render_report(report, fmt),
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
