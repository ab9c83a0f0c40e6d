"""Plotly figure specs (plain dicts) for the pages; the browser only draws them.

Figures are built here, not in JavaScript, so that the numbers in a chart and
in the table beside it come from the same Python values. Colours and fonts
are left to the page's theme (charts.js applies them).
"""

from __future__ import annotations

from typing import Any

from benchlab.format import money

MAX_SERIES = 8


def _percent_axis(title: str) -> dict[str, Any]:
    return {"title": {"text": title}, "tickformat": ".0%", "range": [0, 1.05]}


def trend(series: list[dict[str, Any]]) -> dict[str, Any] | None:
    shown = sorted(series, key=lambda s: -len(s["points"]))[:MAX_SERIES]
    if not shown:
        return None
    data = []
    for s in sorted(shown, key=lambda s: s["model"]):
        pts = [p for p in s["points"] if p["value"] is not None]
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": s["model"],
                "x": [p["created_at"] for p in pts],
                "y": [p["value"] for p in pts],
                "customdata": [p["run_id"] for p in pts],
                "hovertemplate": "%{y:.1%} · run %{customdata}<extra>%{fullData.name}</extra>",
            }
        )
    return {
        "data": data,
        "layout": {"yaxis": _percent_axis("pass rate"), "xaxis": {"type": "date"}},
    }


def trend_rows(series: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"model": s["model"], **p}
        for s in sorted(series, key=lambda s: s["model"])
        for p in s["points"]
    ]


def scatter(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    priced = [r for r in rows if r["cost_usd"] is not None and r["pass_rate"] is not None]
    if not priced:
        return None
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": [r["cost_usd"] for r in priced],
                "y": [r["pass_rate"] for r in priced],
                "text": [r["model"] for r in priced],
                "textposition": "top center",
                "marker": {"size": 11},
                "customdata": [money(r["cost_usd"]) for r in priced],  # as the tables spell it
                "hovertemplate": "%{text}: %{y:.1%} for %{customdata}<extra></extra>",
            }
        ],
        "layout": {
            "xaxis": {"title": {"text": "cost of the run (US$)"}},
            "yaxis": {**_percent_axis("pass rate"), "range": [-0.05, 1.15]},
            "showlegend": False,
        },
    }


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
            "height": 120 + 36 * len(shown),
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
