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
    """Spend per model and suite for a month and the average per run (cached answers are free)."""
    from benchlab import api

    data = api.spend(month, db=db)
    if json_out:
        print_json(data)
        return
    from benchlab.render import make_console, print_table

    def usd(x: float) -> str:
        return f"${x:,.4f}"

    avg = data["avg_per_run_usd"]
    make_console().print(
        f"[bold]{data['month']}[/bold]: {usd(data['total_usd'])} over {data['runs']} runs "
        f"({data['requests']:,} requests sent), {'-' if avg is None else usd(avg)} per run"
        + (
            f"; {data['unknown_cost_requests']:,} requests without a known price not counted"
            if data["unknown_cost_requests"]
            else ""
        ),
        highlight=False,
    )
    for key in ("model", "suite"):
        rows = [{**r, "cost_usd": usd(r["cost_usd"])} for r in data[f"by_{key}"]]
        print_table(f"By {key}", [key, "cost_usd", "requests", "unknown_cost"], rows)
