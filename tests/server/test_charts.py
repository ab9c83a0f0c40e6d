"""The dashboard's chart figures."""

from __future__ import annotations

from dataclasses import dataclass

from benchlab.analysis.overview_views import SuiteChange, TrendPoint, TrendSeries
from benchlab.server.charts import rates, scatter, trend


@dataclass(frozen=True)
class _Row:
    """What the cost chart reads of a leaderboard row."""

    model: str
    cost_usd: float | None
    pass_rate: float | None = 0.5


def test_the_cost_chart_hovers_money_as_the_tables_show_it() -> None:
    figure = scatter([_Row("m", 1234.5)])
    assert figure is not None
    (trace,) = figure["data"]
    assert trace["customdata"] == ["$1,234.50"]
    assert "%{customdata}" in trace["hovertemplate"]


def test_a_model_without_a_price_is_drawn_apart_not_dropped() -> None:
    figure = scatter([_Row("priced", 0.02), _Row("mystery", None, 0.9)])
    assert figure is not None
    priced, apart = figure["data"]
    assert priced["text"] == ["priced"] and priced.get("xaxis") is None
    assert apart["text"] == ["mystery"] and apart["y"] == [0.9]
    assert apart["xaxis"] == "x2" and apart["x"] == ["no known price"]
    assert figure["layout"]["xaxis2"]["categoryarray"] == ["no known price"]
    assert figure["layout"]["xaxis"].get("type") != "log"  # one priced model: linear


def test_costs_spanning_decades_go_on_a_log_axis_with_free_models_beside_it() -> None:
    rows = [_Row("cheap", 0.001), _Row("dear", 2.0), _Row("free", 0.0), _Row("unknown", None)]
    figure = scatter(rows)
    assert figure is not None
    layout = figure["layout"]
    assert layout["xaxis"]["type"] == "log"
    assert "log scale" in layout["xaxis"]["title"]["text"]
    on_axis, apart = figure["data"]
    assert on_axis["x"] == [0.001, 2.0]  # zero has no place on a log axis...
    assert dict(zip(apart["text"], apart["x"], strict=True)) == {
        "free": "$0",  # ...so it is shown beside it, named
        "unknown": "no known price",
    }
    # on a linear axis a free model is an ordinary point at zero
    linear = scatter([_Row("a", 0.5), _Row("free", 0.0)])
    assert linear is not None and linear["data"][0]["x"] == [0.5, 0.0]
    assert linear["layout"]["xaxis"]["rangemode"] == "tozero" and len(linear["data"]) == 1


def test_only_unpriced_models_still_make_a_chart() -> None:
    figure = scatter([_Row("a", None), _Row("b", None, 0.2)])
    assert figure is not None
    (apart,) = figure["data"]
    assert apart["text"] == ["a", "b"]
    assert scatter([_Row("a", None, None)]) is None  # no pass rate: nothing to draw


def test_the_trend_draws_each_models_interval_band_in_its_colour() -> None:
    series = [
        TrendSeries(
            model="m",
            points=[
                TrendPoint(
                    run_id=f"r{i}",
                    created_at=f"2026-01-0{i}T10:00:00+02:00",
                    value=0.5,
                    n=10,
                    ci95=[0.2, 0.8],
                    ci_method="wilson",
                )
                for i in (1, 2)
            ],
        )
    ]
    changes = [
        SuiteChange(
            run_id="r2",
            created_at="2026-01-02T10:00:00+02:00",
            suite_hash="h2",
            cases=4,
            previous_hash="h1",
            previous_cases=3,
        )
    ]
    figure = trend(series, changes)
    assert figure is not None
    band, line = figure["data"]
    assert band["fill"] == "toself" and band["hoverinfo"] == "skip"
    assert band["y"] == [0.8, 0.8, 0.2, 0.2]  # upper bounds, then lower ones backwards
    days = ["2026-01-01 08:00:00", "2026-01-02 08:00:00"]  # in UTC, as every date on the page
    assert band["x"] == days + days[::-1] and line["x"] == days
    assert (line["line"]["color"], band["fillcolor"]) == ("#5b9cff", "rgba(91,156,255,0.18)")
    assert "wilson" in figure["layout"]["yaxis"]["title"]["text"]
    (mark,) = figure["layout"]["shapes"]
    assert mark["x0"] == "2026-01-02 08:00:00"
    (note,) = figure["layout"]["annotations"]
    assert note["text"] == "suite changed (3 \u2192 4 cases)"


def test_the_pass_rate_chart_is_as_tall_as_its_bars() -> None:
    def models(n: int) -> list[dict[str, object]]:
        return [
            {"model": f"m{i}", "pass_rate": 0.5, "ci95": [0.4, 0.6], "ci_method": "wilson"}
            for i in range(n)
        ]

    heights = []
    for n in (1, 2, 30):
        figure = rates(models(n))
        assert figure is not None
        heights.append(figure["layout"]["height"])
    assert heights[0] < heights[1] < heights[2]
    assert heights[1] < 320 - 100  # two bars: far less than the page's default chart height
    assert heights[2] - heights[1] == (30 - 2) * (heights[1] - heights[0])  # same room per bar


def test_names_at_the_ends_of_the_cost_axis_read_inwards_and_zero_is_not_on_the_edge() -> None:
    figure = scatter([_Row("oracle", 0.0), _Row("mid", 0.5), _Row("openai/gpt-4.1-mini", 1.0)])
    assert figure is not None
    (trace,) = figure["data"]
    assert trace["textposition"] == ["top right", "top center", "top left"]
    assert trace["cliponaxis"] is False
    low, high = figure["layout"]["xaxis"]["range"]
    assert low < 0 < 1.0 < high  # the $0 point and the dearest one both inside the plot


def test_when_nothing_cost_anything_the_models_stand_in_the_free_column() -> None:
    figure = scatter([_Row("oracle", 0.0, 1.0), _Row("echo", 0.0, 0.1)])
    assert figure is not None
    (apart,) = figure["data"]
    assert apart["xaxis"] == "x2" and apart["x"] == ["$0", "$0"]
    assert figure["layout"]["xaxis"]["visible"] is False  # no empty $0-$1 axis
    assert apart["marker"]["symbol"] == ["circle", "circle"]  # free, not "no known price"


def test_models_at_the_same_point_share_one_label() -> None:
    figure = scatter([_Row("oracle", 0.0, 1.0), _Row("acme", 0.0, 1.0), _Row("dear", 0.2, 0.4)])
    assert figure is not None
    (trace,) = figure["data"]
    assert trace["text"] == ["oracle, acme", "dear"] and trace["x"] == [0.0, 0.2]
