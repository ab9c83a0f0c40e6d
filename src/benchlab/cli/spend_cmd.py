"""`benchlab spend`: what the month's runs really cost, per model and suite."""

from typing import Annotated

import typer

from benchlab.cli.app import DbOpt, JsonOpt, app, print_json


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
        print_json(data if status is None else {**data, "budget": status})
        if status is not None and status["over"]:
            raise typer.Exit(1)
        return
    from benchlab.analysis.spend import spend_line
    from benchlab.cli.display.tables import make_console, print_table
    from benchlab.format import money

    make_console().print(spend_line(data), highlight=False, markup=False)
    for key in ("model", "suite"):
        rows = [{**r, "cost_usd": money(r["cost_usd"])} for r in data[f"by_{key}"]]
        print_table(f"By {key}", [key, "cost_usd", "requests", "unpriced_requests"], rows)
    if data["by_judge"]:
        rows = [{**r, "cost_usd": money(r["cost_usd"])} for r in data["by_judge"]]
        print_table("Judges", ["judge", "cost_usd", "calls", "cached_calls", "unpriced"], rows)
    if status is not None:
        make_console().print(status["line"], highlight=False, markup=False)
        if status["over"]:
            raise typer.Exit(1)
