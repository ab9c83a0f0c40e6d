"""A trend of runs made seconds apart (the seed's two runs, as a CI job makes them) labels
its time axis in whole seconds at the finest, never `09:50:28.9995`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from benchlab.analysis.overview_views import TrendPoint, TrendSeries
from benchlab.server.charts import trend
from support.browser import Watched
from support.live_server import LiveServer

FRACTION = re.compile(r"\d:\d\d\.\d")


def _series(*seconds: float) -> TrendSeries:
    start = datetime(2026, 12, 7, 9, 50, 28, tzinfo=UTC)
    points = [
        TrendPoint(
            run_id=f"r{i}",
            created_at=(start + timedelta(seconds=s)).isoformat(),
            value=0.5,
            n=10,
            ci95=None,
            ci_method=None,
        )
        for i, s in enumerate(seconds)
    ]
    return TrendSeries(model="m", points=points)


@pytest.mark.parametrize("seconds", [(0.0,), (0.0, 0.4), (0.0, 3.0, 7.5)])
def test_runs_seconds_apart_get_an_axis_of_at_least_a_minute(seconds: tuple[float, ...]) -> None:
    figure = trend([_series(*seconds)])
    assert figure is not None
    low, high = (datetime.fromisoformat(x) for x in figure["layout"]["xaxis"]["range"])
    assert high - low >= timedelta(minutes=1)
    xs = [datetime.fromisoformat(x) for x in figure["data"][-1]["x"]]
    assert low < min(xs) and max(xs) < high  # every run inside, off the edges


def test_runs_days_apart_keep_plotlys_own_range() -> None:
    figure = trend([_series(0, 86_400 * 3)])
    assert figure is not None and "range" not in figure["layout"]["xaxis"]


@pytest.mark.slow
def test_the_overview_trend_has_no_fractions_of_a_second(
    server: LiveServer, watched: Watched
) -> None:
    page = watched.page
    page.goto(server.url + "/")
    ticks = page.locator("#trend-chart .xtick text")
    expect(ticks.first).to_be_visible()
    labels = ticks.all_text_contents()
    assert labels and not [t for t in labels if FRACTION.search(t)], labels
