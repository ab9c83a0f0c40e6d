"""Plotly figure specs (plain dicts) for the pages; the browser only draws them.

Figures are built here, not in JavaScript, so that the numbers in a chart and
in the table beside it come from the same Python values. Colours and fonts
are left to the page's theme (charts.js applies them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from benchlab.analysis.overview_views import SuiteChange, TrendPoint, TrendSeries
from benchlab.format import money

MAX_SERIES = 8


def _percent_axis(title: str) -> dict[str, Any]:
    return {"title": {"text": title}, "tickformat": ".0%", "range": [0, 1.05]}


# The series colours, in the order charts.js gives plotly as its colorway: a trend's band
# must wear its line's colour, so the figure names both instead of leaving it to plotly.
PALETTE = ("#5b9cff", "#f5a524", "#3ecf8e", "#ef5f6b", "#b18cff", "#2ec4d6", "#e879c6", "#9aa5b1")


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


_PLOTLY_TIME = "%Y-%m-%d %H:%M:%S"

# Runs made seconds apart (a CI job's) left plotly to zoom its time axis to milliseconds and
# label the ticks 09:50:28.9995: runs closer than this are drawn on an axis this much wider
# either side of their middle, whose ticks fall on whole seconds.
MIN_TIME_SPAN = timedelta(minutes=2)


def _utc(iso: str | None) -> str | None:
    """An ISO moment as plotly's date text, in UTC: plotly drops offsets and would otherwise
    draw each browser's local reading of it, unlike every date the page prints."""
    if iso is None:
        return None
    return datetime.fromisoformat(iso).astimezone(UTC).strftime(_PLOTLY_TIME)


def _time_range(times: Sequence[str | None]) -> list[str] | None:
    """The time axis' range for runs close together (see MIN_TIME_SPAN); None leaves it to
    plotly, which frames runs further apart well."""
    moments = [datetime.strptime(t, _PLOTLY_TIME) for t in times if t is not None]
    if not moments or max(moments) - min(moments) >= MIN_TIME_SPAN:
        return None
    middle = min(moments) + (max(moments) - min(moments)) / 2
    return [(middle + side * MIN_TIME_SPAN).strftime(_PLOTLY_TIME) for side in (-1, 1)]


def _method(series: Sequence[TrendSeries]) -> str:
    methods = {str(p.ci_method) for s in series for p in s.points if p.ci95}
    return ", ".join(sorted(methods))


def _band(points: list[TrendPoint]) -> list[tuple[TrendPoint, list[float]]]:
    return [(p, p.ci95) for p in points if p.ci95]


def _arms(point: TrendPoint) -> list[float | None]:
    """A point's interval [low, high], or [None, None] for the hover text."""
    return [*point.ci95] if point.ci95 else [None, None]


def trend(
    series: Sequence[TrendSeries], changes: Sequence[SuiteChange] = ()
) -> dict[str, Any] | None:
    """Pass rate per run and model, each line in its band of 95% intervals (the summary's
    own, `ci95` of each point), with a dashed mark where the suite's content changed."""
    shown = sorted(series, key=lambda s: -len(s.points))[:MAX_SERIES]
    if not shown:
        return None
    data: list[dict[str, Any]] = []
    for i, s in enumerate(sorted(shown, key=lambda s: s.model)):
        colour = PALETTE[i % len(PALETTE)]
        pts = [p for p in s.points if p.value is not None]
        banded = _band(pts)
        if banded:
            xs = [_utc(p.created_at) for p, _ in banded]
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": f"{s.model} 95% interval",
                    "legendgroup": s.model,
                    "showlegend": False,
                    "x": xs + xs[::-1],
                    "y": [ci[1] for _, ci in banded] + [ci[0] for _, ci in banded][::-1],
                    "fill": "toself",
                    "fillcolor": _rgba(colour, 0.18),
                    "line": {"width": 0, "color": _rgba(colour, 0)},
                    "hoverinfo": "skip",
                }
            )
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": s.model,
                "legendgroup": s.model,
                "line": {"color": colour},
                "marker": {"color": colour},
                "x": [_utc(p.created_at) for p in pts],
                "y": [p.value for p in pts],
                "customdata": [[p.run_id, *_arms(p), p.n] for p in pts],
                "hovertemplate": "%{y:.1%} [%{customdata[1]:.1%}, %{customdata[2]:.1%}]"
                " of %{customdata[3]} · run %{customdata[0]}<extra>%{fullData.name}</extra>",
            }
        )
    shapes = []
    notes = []
    for c in changes:
        x = _utc(c.created_at)
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dot", "width": 1.5, "color": "#9aa5b1"},
            }
        )
        notes.append(
            {
                "x": x,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "text": f"suite changed ({_cases(c)})",
                "font": {"size": 11},
            }
        )
    method = _method(shown)
    title = f"pass rate ({method} 95% band)" if method else "pass rate"  # fits 320 px
    xaxis: dict[str, Any] = {"type": "date", "title": {"text": "run created (UTC)"}}
    close = _time_range([x for trace in data for x in trace["x"]] + [n["x"] for n in notes])
    if close is not None:
        xaxis["range"] = close
    return {
        "data": data,
        "layout": {
            "yaxis": _percent_axis(title),
            "xaxis": xaxis,
            "shapes": shapes,
            "annotations": notes,
            "margin": {"t": 28 if notes else 16, "b": 84},
            "legend": {"orientation": "h", "y": -0.34, "yanchor": "top"},  # below the axis title
        },
    }


def _cases(change: SuiteChange) -> str:
    before, after = change.previous_cases, change.cases
    if before is None or after is None or before == after:
        return "content edited"
    return f"{before} \u2192 {after} cases"


def trend_rows(series: Sequence[TrendSeries]) -> list[tuple[str, TrendPoint]]:
    """The trend's table: (model, point), by model."""
    return [(s.model, p) for s in sorted(series, key=lambda s: s.model) for p in s.points]


NO_PRICE = "no known price"
FREE = "$0"


class PricedScore(Protocol):
    """What the cost chart reads of a row (a leaderboard row)."""

    @property
    def model(self) -> str: ...
    @property
    def pass_rate(self) -> float | None: ...
    @property
    def cost_usd(self) -> float | None: ...


def scatter(rows: Sequence[PricedScore]) -> dict[str, Any] | None:
    """Pass rate against cost. Costs spanning two decades or more go on a log axis; a model
    without a known price (or, on a log axis, one that cost nothing) is drawn in a column of
    its own beside the axis, labelled, so no model is left out without a word."""
    scored = _together([r for r in rows if r.pass_rate is not None])
    if not scored:
        return None
    costs = [r.cost_usd for r in scored if r.cost_usd is not None and r.cost_usd > 0]
    log = len(costs) >= 2 and max(costs) >= 100 * min(costs)
    # Nothing cost anything (offline models): a $0-$1 axis would say nothing, so the
    # models stand in the "$0" column as they do beside a log axis.
    on_axis = [
        r
        for r in scored
        if r.cost_usd is not None and (r.cost_usd > 0 or (bool(costs) and not log))
    ]
    beside = [r for r in scored if r not in on_axis]
    data: list[dict[str, Any]] = []
    if on_axis:
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": "priced",
                "x": [r.cost_usd for r in on_axis],
                "y": [r.pass_rate for r in on_axis],
                "text": [r.model for r in on_axis],
                "textposition": _label_sides([float(r.cost_usd or 0) for r in on_axis], log),
                "cliponaxis": False,  # a point at $0 whole, not cut in half by the axis
                "marker": {"size": 11, "color": PALETTE[0]},
                "customdata": [money(r.cost_usd) for r in on_axis],  # as the tables spell it
                "hovertemplate": "%{text}: %{y:.1%} for %{customdata}<extra></extra>",
            }
        )
    if beside:
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": NO_PRICE,
                "xaxis": "x2",
                "x": [NO_PRICE if r.cost_usd is None else FREE for r in beside],
                "y": [r.pass_rate for r in beside],
                "text": [r.model for r in beside],
                "textposition": "top center",
                # a free model is an ordinary point; an unpriced one is marked as such
                "marker": {
                    "size": 11,
                    "symbol": ["x-open" if r.cost_usd is None else "circle" for r in beside],
                    "color": [PALETTE[1] if r.cost_usd is None else PALETTE[0] for r in beside],
                },
                "cliponaxis": False,  # a long model name may spill out of the narrow column
                "hovertemplate": "%{text}: %{y:.1%}, cost %{x}<extra></extra>",
            }
        )
    split = 0.78 if on_axis and beside else (0.0 if beside else 1.0)
    xaxis: dict[str, Any] = {
        "title": {"text": "cost of the run (US$" + (", log scale)" if log else ")")},
        "domain": [0, split] if on_axis else [0, 0.01],
        "visible": bool(on_axis),
        "tickprefix": "$",
        "exponentformat": "none",  # $0.00003, not plotly's SI "30µ"
    }
    if log:
        xaxis["type"] = "log"
    elif costs:
        # from just below zero to just past the dearest run, so no marker sits on an edge
        xaxis["rangemode"] = "tozero"
        xaxis["range"] = [-0.06 * max(costs), 1.08 * max(costs)]
    layout: dict[str, Any] = {
        "xaxis": xaxis,
        "yaxis": {**_percent_axis("pass rate"), "range": [-0.05, 1.15]},
        "showlegend": False,
    }
    if beside:
        order = [c for c in (FREE, NO_PRICE) if any(x == c for x in data[-1]["x"])]
        layout["xaxis2"] = {
            "type": "category",
            "categoryorder": "array",
            "categoryarray": order,
            "domain": [split + 0.04 if on_axis else 0, 1],
            "anchor": "y",
            "showgrid": False,
        }
    return {"data": data, "layout": layout}


@dataclass(frozen=True)
class _Point:
    model: str
    pass_rate: float | None
    cost_usd: float | None


def _together(rows: Sequence[PricedScore]) -> list[_Point]:
    """Models at the very same point as one point named for all of them (two free models
    that both pass everything otherwise print their names over each other)."""
    names: dict[tuple[float | None, float | None], list[str]] = {}
    for r in rows:
        names.setdefault((r.cost_usd, r.pass_rate), []).append(r.model)
    return [_Point(", ".join(m), rate, cost) for (cost, rate), m in names.items()]


def _label_sides(costs: list[float], log: bool) -> list[str]:
    """Where each point's model name goes: a name at either end of the axis reads inwards, so
    it is not cut at the plot's edge ("oracle" at $0 showed as "cle")."""
    place = [math.log10(c) if log else c for c in costs]
    lo, hi = min(place), max(place)
    if hi <= lo:
        return ["top center"] * len(costs)
    sides = []
    for p in place:
        at = (p - lo) / (hi - lo)
        sides.append("top right" if at < 0.25 else "top left" if at > 0.75 else "top center")
    return sides


def _methods(models: list[dict[str, Any]]) -> str:
    """How the intervals drawn were made (a run with several samples uses a bootstrap)."""
    return ", ".join(sorted({str(m.get("ci_method") or "wilson") for m in models}))


def rates(models: list[dict[str, Any]]) -> dict[str, Any] | None:
    shown = [m for m in models if m["pass_rate"] is not None]
    if not shown:
        return None
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [m["model"] for m in shown],
                "x": [m["pass_rate"] for m in shown],
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": [(m["ci95"] or [0, 0])[1] - m["pass_rate"] for m in shown],
                    "arrayminus": [m["pass_rate"] - (m["ci95"] or [0, 0])[0] for m in shown],
                },
                "hovertemplate": "%{y}: %{x:.1%}<extra></extra>",
            }
        ],
        "layout": {
            "xaxis": _percent_axis(f"pass rate (95% interval: {_methods(shown)})"),
            "yaxis": {"automargin": True, "autorange": "reversed"},
            # sized to its bars: a two-model run gets a short chart, thirty models a tall one
            "height": 96 + 30 * len(shown),
        },
    }


def category_matrix(models: list[dict[str, Any]]) -> dict[str, Any] | None:
    cats = sorted({c for m in models for c in m.get("by_category", {})})
    if not cats:
        return None
    return {
        "categories": cats,
        "rows": [
            {"model": m["model"], "cells": [m.get("by_category", {}).get(c) for c in cats]}
            for m in models
        ],
    }


def coverage(categories: dict[str, int]) -> dict[str, Any] | None:
    if not categories:
        return None
    names = list(categories)
    return {
        "data": [
            {
                "type": "bar",
                "x": names,
                "y": [categories[n] for n in names],
                "hovertemplate": "%{x}: %{y} cases<extra></extra>",
            }
        ],
        "layout": {"yaxis": {"title": {"text": "cases"}}, "xaxis": {"automargin": True}},
    }
