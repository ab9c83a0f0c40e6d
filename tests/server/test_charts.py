"""The dashboard's chart figures."""

from __future__ import annotations

from benchlab.server.charts import scatter


def test_the_cost_chart_hovers_money_as_the_tables_show_it() -> None:
    figure = scatter([{"model": "m", "cost_usd": 1234.5, "pass_rate": 0.5}])
    assert figure is not None
    (trace,) = figure["data"]
    assert trace["customdata"] == ["$1,234.50"]
    assert "%{customdata}" in trace["hovertemplate"]
