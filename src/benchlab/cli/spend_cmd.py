"""`benchlab spend`: what the month's runs really cost, per model and suite."""

from typing import Annotated

import typer

from benchlab.cli.app import DbOpt, JsonOpt, app, print_json


@app.command()
def spend(
    month: Annotated[
        str | None, typer.Option("--month", help="YYYY-MM (default: this month, UTC).")
    ] = None,
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Spend per model and suite for a month and the average per run.

    Runs of every status count; cached answers cost 0; an unpriced model's spend is
    "unknown", never $0."""
    from benchlab import api

    data = api.spend(month, db=db)
    if json_out:
        print_json(data)
        return
    from benchlab.analysis.spend import spend_line
    from benchlab.cli.display.tables import make_console, print_table
    from benchlab.format import money

    make_console().print(spend_line(data), highlight=False, markup=False)
    for key in ("model", "suite"):
        rows = [{**r, "cost_usd": money(r["cost_usd"])} for r in data[f"by_{key}"]]
        print_table(f"By {key}", [key, "cost_usd", "requests", "unpriced_requests"], rows)
