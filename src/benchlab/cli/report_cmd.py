"""`benchlab report`: one run as a shareable markdown or self-contained HTML document."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from benchlab.cli.app import DbOpt, app


@app.command()
def report(
    run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="md or html")] = "md",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    last: Annotated[int, typer.Option("--last", help="History: the newest N runs.")] = 20,
    db: DbOpt = None,
) -> None:
    """Summary with intervals, categories, cost and latency, history and alerts."""
    from benchlab import api
    from benchlab.analysis.render.formats import FORMATS
    from benchlab.errors import ConfigError

    if fmt not in FORMATS:
        raise ConfigError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    text = api.report(run_id, db=db, fmt=fmt, last=last)
    if output is None:
        sys.stdout.write(text)
        return
    from benchlab.cli._files import write_text

    write_text(output, text, flag="--output")
    sys.stderr.write(f"wrote {output}\n")
