"""`benchlab spend`: what the month's runs really cost, per model and suite."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from benchlab.cli.app import DbOpt, JsonOpt, app, print_json

if TYPE_CHECKING:
    from benchlab.analysis.spend import SpendByJudge, SpendByModel, SpendBySuite

Rows = list[dict[str, Any]]


@app.command()
def spend(
    month: Annotated[
        str | None, typer.Option("--month", help="YYYY-MM (default: this month, UTC).")
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option(
            "--budget",
            help="Monthly budget in US dollars: exit 1 when the month's spend is over it.",
        ),
    ] = None,
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Spend per model and suite for a month and the average per run.

    Runs of every status count, judges included; cached answers cost 0; an unpriced
    model's spend is "unknown", never $0. With --budget, exit 1 when the month's spend
    (its known part, a lower bound when some price is unknown) is over the budget."""
    from benchlab import api
    from benchlab.analysis.budget import budget_status, check_budget

    if budget is not None:
        check_budget(budget)
    data = api.spend(month, db=db)
    status = None if budget is None else budget_status(data, budget)
    if json_out:
        figures = data.model_dump(by_alias=True, exclude={"line"})  # the line is for terminals
        print_json(figures if status is None else {**figures, "budget": status})
        if status is not None and status["over"]:
            raise typer.Exit(1)
        return
    from benchlab.cli.display.tables import make_console, print_table

    make_console().print(data.line, highlight=False, markup=False)
    columns = ["cost_usd", "requests", "unpriced_requests"]
    print_table("By model", ["model", *columns], _priced(data.by_model))
    print_table("By suite", ["suite", *columns], _priced(data.by_suite))
    if data.by_judge:
        columns = ["judge", "cost_usd", "calls", "cached_calls", "unpriced"]
        print_table("Judges", columns, _priced(data.by_judge))
    if status is not None:
        make_console().print(status["line"], highlight=False, markup=False)
        if status["over"]:
            raise typer.Exit(1)


def _priced(
    # quoted: the spend models are imported only when a command runs (a quick start)
    rows: "Sequence[SpendByModel] | Sequence[SpendBySuite] | Sequence[SpendByJudge]",
) -> Rows:
    """Table rows, their cost as the tables spell money."""
    from benchlab.format import money

    return [{**r.model_dump(), "cost_usd": money(r.cost_usd)} for r in rows]
