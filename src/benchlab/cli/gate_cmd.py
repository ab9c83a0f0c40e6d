"""`benchlab gate`: exit 0 on no significant regression, 1 on a regression or broken threshold.

Errored attempts on the compared cases also exit 1 (check `errors`), unless
`--allow-errors`. Exit 2 (bad input) comes from `UserError` like every other
command: an unknown run, no baseline found, runs with no case in common, a
flag out of range.
"""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from benchlab.cli.app import DbOpt, JsonOpt, app, print_json


@app.command()
def gate(
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            help="A run id, or latest[:TAG=VALUE,...]: the newest completed run of the "
            "candidate's model(s) on its suite.",
        ),
    ] = None,
    candidate: Annotated[str | None, typer.Option("--candidate", help="The run judged.")] = None,
    max_drop: Annotated[
        float, typer.Option("--max-drop", help="Significant drops up to D (0.02 = 2 pp) pass.")
    ] = 0.0,
    min_pass_rate: Annotated[
        float | None, typer.Option("--min-pass-rate", help="Every model must pass at least R.")
    ] = None,
    alpha: Annotated[float, typer.Option("--alpha", help="Significance level (Holm).")] = 0.05,
    max_cost_increase: Annotated[
        float | None,
        typer.Option("--max-cost-increase", help="Cost may grow at most F (0.1 = +10%)."),
    ] = None,
    allow_errors: Annotated[
        bool,
        typer.Option(
            "--allow-errors",
            help="Accept errored attempts: their cases are left out instead of failing the gate.",
        ),
    ] = False,
    markdown: Annotated[
        Path | None, typer.Option("--markdown", help="Write a pull-request comment here.")
    ] = None,
    junit: Annotated[
        Path | None,
        typer.Option("--junit", help="Write JUnit XML (a test per case and model, and per check)."),
    ] = None,
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Fail CI only on a significant regression (or a broken threshold)."""
    from benchlab import api
    from benchlab.errors import ConfigError

    if baseline is None:
        raise ConfigError("--baseline is required (a run id, latest, or latest:TAG=VALUE)")
    if candidate is None:
        raise ConfigError("--candidate is required (the run to judge)")
    result = api.gate(
        baseline,
        candidate,
        db=db,
        max_drop=max_drop,
        min_pass_rate=min_pass_rate,
        alpha=alpha,
        max_cost_increase=max_cost_increase,
        allow_errors=allow_errors,
    )
    from benchlab.analysis.render.gate_output import gate_junit, gate_markdown
    from benchlab.cli._files import write_text

    if markdown is not None:
        write_text(
            markdown, gate_markdown(result, os.environ.get("BENCHLAB_URL")), flag="--markdown"
        )
    if junit is not None:
        write_text(junit, gate_junit(result), flag="--junit")
    if json_out:
        print_json(result.as_dict())
    else:
        comp = result.comparison
        verdict = "passed" if result.passed else "FAILED"
        sys.stdout.write(f"gate {verdict}: {comp.run_b.id} against baseline {comp.run_a.id}\n")
        for check in result.checks:
            mark = "ok  " if check.passed else "FAIL"
            sys.stdout.write(f"  {mark} {check.model} {check.name}: {check.detail}\n")
        for model, cases in result.as_dict()["cases"].items():
            sys.stdout.write(
                f"  cases {model}: {cases['pass']} pass, {len(cases['regressed'])} pass -> fail, "
                f"{len(cases['known_failure'])} failing in both runs, "
                f"{len(cases['error'])} errored (left out), {len(cases['left_out'])} not compared\n"
            )
    raise typer.Exit(0 if result.passed else 1)
