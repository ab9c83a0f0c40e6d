"""Tiny inline SVG charts for reports: rates with interval whiskers, and trends with bands.

Generated here rather than by a charting library so a report is one file
that opens offline, years later, with nothing fetched from a CDN; the charts
are plain SVG elements with `<title>` tooltips, styled by the page's CSS.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from benchlab.format import percent

PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563")


@dataclass
class Bar:
    label: str
    value: float | None
    low: float | None = None
    high: float | None = None


@dataclass
class Point:
    label: str  # the run (x axis)
    value: float | None
    low: float | None = None
    high: float | None = None
    alert: str | None = None  # "regression" or "improvement" marks the point
    tick: str | None = None  # what the x axis shows for this run (default: the label)


def rate_bars(bars: Sequence[Bar], *, title: str, width: int = 640) -> str:
    """Horizontal bars on a 0-100% axis with 95% interval whiskers."""
    row, left, right, top = 26, 190, 20, 28
    height = top + row * len(bars) + 30
    plot = width - left - right

    def x(v: float) -> float:
        return left + plot * min(1.0, max(0.0, v))

    parts = [
        _open(width, height, title),
        f'<text x="{left}" y="16" class="t">{escape(title)}</text>',
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        tx = x(tick)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{height - 24}" class="g"/>'
        )
        parts.append(
            f'<text x="{tx:.1f}" y="{height - 8}" class="a" text-anchor="middle">'
            f"{percent(tick)}</text>"
        )
    for i, bar in enumerate(bars):
        y = top + i * row
        label = escape(bar.label if len(bar.label) <= 28 else bar.label[:27] + "…")
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" class="l" text-anchor="end">{label}</text>'
        )
        if bar.value is None:
            continue
        tip = f"{bar.label}: {percent(bar.value)}"
        if bar.low is not None and bar.high is not None:
            tip += f" (95% CI {percent(bar.low)} to {percent(bar.high)})"
        color = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<rect x="{left}" y="{y + 4}" width="{x(bar.value) - left:.1f}" height="{row - 10}" '
            f'fill="{color}" opacity="0.75"><title>{escape(tip)}</title></rect>'
        )
        if bar.low is not None and bar.high is not None:
            cy = y + row / 2 - 1
            parts.append(
                f'<path d="M{x(bar.low):.1f} {cy - 5}v10M{x(bar.low):.1f} {cy}H{x(bar.high):.1f}'
                f'M{x(bar.high):.1f} {cy - 5}v10" class="w"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def trend_chart(
    series: Sequence[tuple[str, Sequence[Point]]], *, title: str, width: int = 900
) -> str:
    """One line per model over runs (oldest left), a shaded 95% band, alerts ringed."""
    labels: list[str] = []
    ticks: dict[str, str] = {}
    for _, points in series:
        for p in points:
            if p.label not in labels:
                labels.append(p.label)
                ticks[p.label] = p.tick or p.label
    height, left, right, top, bottom = 240, 48, 48, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(labels) - 1)

    def x(label: str) -> float:
        return left + (labels.index(label) * step if len(labels) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1.0 - min(1.0, max(0.0, v)))

    parts = [
        _open(width, height, title),
        f'<text x="{left}" y="16" class="t">{escape(title)}</text>',
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        ty = y(tick)
        parts.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" class="g"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" class="a" text-anchor="end">'
            f"{percent(tick)}</text>"
        )
    every = max(1, math.ceil(len(labels) / max(1, plot_w // 90)))
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            short = escape(ticks[label][:15])
            parts.append(
                f'<text x="{x(label):.1f}" y="{height - bottom + 16}" class="a" '
                f'text-anchor="middle">{short}</text>'
            )
    for index, (name, points) in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        known = [p for p in points if p.value is not None]
        banded = [p for p in known if p.low is not None and p.high is not None]
        if len(banded) > 1:
            upper = " ".join(f"{x(p.label):.1f},{y(p.high or 0):.1f}" for p in banded)
            lower = " ".join(f"{x(p.label):.1f},{y(p.low or 0):.1f}" for p in reversed(banded))
            parts.append(f'<polygon points="{upper} {lower}" fill="{color}" opacity="0.12"/>')
        if len(known) > 1:
            line = " ".join(f"{x(p.label):.1f},{y(p.value or 0):.1f}" for p in known)
            parts.append(
                f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2"/>'
            )
        for p in known:
            tip = f"{name} · {p.label}: {percent(p.value or 0)}"
            if p.low is not None and p.high is not None:
                tip += f" (95% CI {percent(p.low)} to {percent(p.high)})"
            if p.alert:
                tip += f" · {p.alert}"
            ring = ' stroke="#111" stroke-width="2.5"' if p.alert else ""
            radius = 6 if p.alert else 3.5
            parts.append(
                f'<circle cx="{x(p.label):.1f}" cy="{y(p.value or 0):.1f}" r="{radius}" '
                f'fill="{color}"{ring}><title>{escape(tip)}</title></circle>'
            )
        parts.append(
            f'<text x="{left + 8 + 130 * index}" y="{height - 6}" class="l" fill="{color}">'
            f"■ {escape(name[:18])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
    )
