"""`benchlab history`: a suite's pass rate over runs, with intervals and regression alerts."""

from typing import Annotated, Any

import typer

from benchlab.cli.app import DbOpt, JsonOpt, app, print_json


@app.command()
def history(
    suite: Annotated[str, typer.Argument(help="Suite name, as runs record it.")],
    model: Annotated[str | None, typer.Option("--model", "-m", help="Only this model.")] = None,
    last: Annotated[int, typer.Option("--last", help="The newest N completed runs.")] = 20,
    alpha: Annotated[float, typer.Option("--alpha", help="Alert level (BH-adjusted).")] = 0.05,
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Latest result, the trend over runs, and the runs that changed it significantly."""
    from benchlab import api

    data = api.history(suite, db=db, model=model, last=last, alpha=alpha)
    if json_out:
        print_json(data)
        return
    print_history(data)


def print_history(data: dict[str, Any]) -> None:
    from benchlab.analysis.render.markdown import (
        HISTORY_HEAD,
        VERDICT,
        alert_lines,
        ci_text,
        history_rows,
    )
    from benchlab.cli.display import tables as render
    from benchlab.format import percent, points

    console = render.make_console()
    console.print(f"[bold]{data['suite']}[/bold]: last {len(data['runs'])} completed runs")
    console.print("[bold]Latest[/bold]")
    for entry in data["models"]:
        p = entry["latest"]
        change = next((c for c in entry["changes"] if c["run_id"] == p["run_id"]), None)
        since = (
            ""
            if change is None
            else f", {points(change['delta'])} vs previous run ({VERDICT[change['verdict']]})"
        )
        console.print(
            f"  {entry['model']}: {percent(p['pass_rate'])} {ci_text(p['ci95'])} over {p['n']} "
            f"attempts in run {p['run_id']}{since}",
            highlight=False,
        )
    for entry in data["models"]:
        table = render.new_table(
            f"{entry['model']} on {data['suite']}",
            list(HISTORY_HEAD),
            left=("date (UTC)", "verdict"),
        )
        for row in history_rows(entry):
            table.add_row(*row)
        render.print_fitting(console, table)
    alerts = [
        {"suite": data["suite"], "model": entry["model"], **a}
        for entry in data["models"]
        for a in entry["alerts"]
    ]
    console.print("[bold]Alerts[/bold]")
    for line in alert_lines({"alerts": alerts}):
        console.print(f"  {line}", highlight=False)
