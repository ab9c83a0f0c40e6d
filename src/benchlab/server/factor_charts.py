"""Plotly figure specs for a grid run's factor view: level means with their intervals, the
bin mix per level, and the paired uplifts with theirs.

Built from the `FactorDocument` the page also renders as tables, so each chart
and the table beside it show the same numbers (static/charts.js draws them in
the page's theme, as for every other chart).
"""

from __future__ import annotations

from typing import Any

from benchlab.analysis.factor_views import FactorDocument, FactorModel

__all__ = ["BIN_COLOURS", "bins_figure", "means_figure", "uplift_figure"]

BIN_COLOURS = {"neg": "#ef5f6b", "neu": "#9aa5b1", "pos": "#3ecf8e"}


def _errors(points: list[tuple[float, list[float] | None]]) -> dict[str, Any]:
    """Asymmetric error bars from (mean, interval); no bar where there is no interval."""
    return {
        "type": "data",
        "symmetric": False,
        "array": [(ci[1] - mean) if ci else 0 for mean, ci in points],
        "arrayminus": [(mean - ci[0]) if ci else 0 for mean, ci in points],
    }


def _axis_range(doc: FactorDocument) -> list[float]:
    return [-1.05, 1.05] if doc.sided else [-0.05, 1.05]


def _height(rows: int) -> int:
    return 110 + 34 * max(rows, 1)


def means_figure(doc: FactorDocument, entry: FactorModel) -> dict[str, Any] | None:
    shown = [row for row in entry.levels if row.mean is not None]
    if not shown:
        return None
    points = [(float(row.mean or 0.0), row.ci95) for row in shown]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "orientation": "h",
                "y": [str(row.level) for row in shown],
                "x": [p[0] for p in points],
                "error_x": _errors(points),
                "marker": {"size": 10},
                "customdata": [row.n for row in shown],
                "hovertemplate": "%{y}: %{x:+.3f} (n=%{customdata})<extra></extra>",
            }
        ],
        "layout": {
            "xaxis": {
                "title": {"text": f"mean {doc.scorer} (95% interval: t)"},
                "range": _axis_range(doc),
                "zeroline": True,
            },
            "yaxis": {"automargin": True, "autorange": "reversed", "type": "category"},
            "height": _height(len(shown)),
            "showlegend": False,
        },
    }


def bins_figure(entry: FactorModel) -> dict[str, Any] | None:
    shown = [row for row in entry.levels if row.n]
    if not shown:
        return None
    data = []
    for name, colour in BIN_COLOURS.items():
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "y": [str(row.level) for row in shown],
                "x": [getattr(row.bins, name) or 0.0 for row in shown],
                "marker": {"color": colour},
                "hovertemplate": f"%{{y}}: %{{x:.1%}} {name}<extra></extra>",
            }
        )
    return {
        "data": data,
        "layout": {
            "barmode": "stack",
            "legend": {
                "orientation": "h",
                "x": 0,
                "y": 1.02,
                "yanchor": "bottom",
                "traceorder": "normal",
            },
            "margin": {"l": 56, "r": 16, "t": 40, "b": 48},
            "xaxis": {"title": {"text": "share of answers"}, "tickformat": ".0%", "range": [0, 1]},
            "yaxis": {"automargin": True, "autorange": "reversed", "type": "category"},
            "height": _height(len(shown)) + 30,
        },
    }


def uplift_figure(doc: FactorDocument, entry: FactorModel) -> dict[str, Any] | None:
    shown = [u for u in entry.uplift or [] if u.mean is not None]
    if not shown:
        return None
    points = [(float(u.mean or 0.0), u.ci95) for u in shown]
    span = 2.1 if doc.sided else 1.05
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "y": [u.pair for u in shown],
                "x": [p[0] for p in points],
                "error_x": _errors(points),
                "marker": {"size": 10, "symbol": "diamond"},
                "customdata": [u.n for u in shown],
                "hovertemplate": "%{y}: %{x:+.3f} (%{customdata} sets)<extra></extra>",
            }
        ],
        "layout": {
            "xaxis": {
                "title": {"text": "paired uplift (95% interval: t)"},
                "range": [-span, span],
                "zeroline": True,
            },
            "yaxis": {"automargin": True, "autorange": "reversed", "type": "category"},
            "height": _height(len(shown)),
            "showlegend": False,
        },
    }
