"""`benchlab power`: how many cases a comparison needs, before spending money on it."""

import sys
from typing import Annotated

import typer

from benchlab.cli.app import JsonOpt, app, print_json


@app.command()
def power(
    rate: Annotated[float, typer.Option("--rate", help="The baseline pass rate, e.g. 0.8.")],
    delta: Annotated[
        float | None, typer.Option("--delta", help="The drop to detect, e.g. 0.03 (3 pp).")
    ] = None,
    cases: Annotated[
        int | None, typer.Option("--cases", help="Instead: what drop can N cases detect?")
    ] = None,
    alpha: Annotated[float, typer.Option("--alpha", help="Two-sided significance level.")] = 0.05,
    power_: Annotated[
        float, typer.Option("--power", help="Chance to detect a real drop of --delta.")
    ] = 0.8,
    discordance: Annotated[
        float | None,
        typer.Option(
            "--discordance",
            help="Share of cases that flip between two runs, if measured (default: assume "
            "independent answers, an upper bound).",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Cases needed to detect a drop in pass rate (paired McNemar test), or the reverse."""
    from benchlab import api

    data = api.power(
        rate, delta=delta, cases=cases, alpha=alpha, power=power_, discordance=discordance
    )
    if json_out:
        print_json(data)
        return
    assumption = (
        f"a measured flip share of {discordance:g}"
        if discordance is not None
        else "independent answers between the two runs, an upper bound: pass --discordance "
        "with the flip share seen in earlier comparisons for a smaller number"
    )
    level = f"two-sided alpha {data['alpha']:g}, power {100 * data['power']:.0f}%"
    if delta is not None:
        sys.stdout.write(
            f"{data['cases']:,} cases detect a drop from {100 * rate:.1f}% to "
            f"{100 * (rate - delta):.1f}% ({level}; McNemar test, assuming {assumption}).\n"
        )
    else:
        found = data["detectable_delta"]
        what = (
            "no drop at all"
            if found is None
            else f"a drop of {100 * found:.1f} pp (to {100 * (rate - found):.1f}%)"
        )
        sys.stdout.write(
            f"{cases:,} cases detect {what} from {100 * rate:.1f}% ({level}; McNemar test, "
            f"assuming {assumption}).\n"
        )
