"""Reading stored runs: `runs`, `show`, `export`."""

import io
import sys
from pathlib import Path
from typing import Annotated

import typer

from benchlab.cli.app import DbOpt, JsonOpt, PassOpt, app, print_json


@app.command("runs")
def runs_cmd(
    limit: Annotated[int, typer.Option(help="Show the first N runs in --sort's order.")] = 20,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Only runs of this model.")
    ] = None,
    suite: Annotated[str | None, typer.Option(help="Only runs of this suite.")] = None,
    status: Annotated[
        str | None,
        typer.Option(
            help="Only runs with this status: running, completed, failed, interrupted "
            "or stopped_budget."
        ),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option(help="Only runs tagged KEY=VALUE (repeatable).")
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            metavar="KEY",
            help="Order by created, pass_rate, cost, attempts, errors, duration or status; "
            "a leading - for descending (--sort=-pass_rate); runs without the value last "
            "either way. The dashboard's runs list sorts by the same keys.",
        ),
    ] = "-created",
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """List runs, newest first or as --sort says (--json: with per-model totals, as
    GET /api/runs)."""
    from benchlab import api
    from benchlab.domain import RUN_STATUSES
    from benchlab.errors import ConfigError
    from benchlab.store.run_query import RUN_SORTS, parse_tags

    if status is not None and status not in RUN_STATUSES:
        raise ConfigError(f"--status: expected one of {', '.join(RUN_STATUSES)}, got {status!r}")
    if sort not in RUN_SORTS:  # before the database is opened
        raise ConfigError(f"--sort: expected one of {', '.join(RUN_SORTS)}, got {sort!r}")
    found = api.run_rows(
        db=db,
        limit=limit,
        model=model,
        suite=suite,
        status=status,
        tags=parse_tags(tag or []),
        sort=sort,
    )
    rows = [row.model_dump(mode="json") for row in found.items]
    if json_out:
        print_json(rows)
        return
    from benchlab.cli.display.tables import print_runs

    print_runs(rows, sort)


@app.command()
def show(
    run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix).")],
    attempt: Annotated[
        str | None,
        typer.Option(help="Show one attempt's artifacts instead: an attempt id or a case id."),
    ] = None,
    failures: Annotated[
        bool,
        typer.Option(
            "--failures", help="List failing and errored attempts with their reasons instead."
        ),
    ] = False,
    model: Annotated[
        str | None, typer.Option(help="With --attempt or --failures: only this model.")
    ] = None,
    sample: Annotated[int | None, typer.Option(help="With --attempt: only this sample.")] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Grid runs: mean, interval and bins per level.")
    ] = None,
    paired_by: Annotated[
        str | None,
        typer.Option("--paired-by", help="Grid runs: paired uplift between levels of a factor."),
    ] = None,
    pivot: Annotated[
        str | None,
        typer.Option(
            "--pivot",
            metavar="ROWS,COLS",
            help="Grid runs: mean, n and interval per pair of levels of two factors.",
        ),
    ] = None,
    csv_out: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            help="With --by/--paired-by: also write what is shown as a tidy CSV "
            "(the layout of `export --format summary-csv`).",
        ),
    ] = None,
    score_pass: PassOpt = None,
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Per-model summary of a run: pass rate with 95% interval, latency, tokens, cost."""
    from benchlab import api
    from benchlab.errors import ConfigError

    if csv_out is not None and (attempt is not None or (by is None and paired_by is None)):
        raise ConfigError("--csv: needs --by FACTOR or --paired-by FACTOR (and no --attempt)")
    if failures:
        from benchlab.cli.display.tables import print_failures

        found_failures = api.show_failures(run_id, db=db, model=model)
        if json_out:
            print_json(found_failures)
        else:
            print_failures(found_failures)
        return
    if attempt is not None:
        from benchlab.cli.display.artifacts import print_attempts

        found = api.show_attempt(run_id, attempt, db=db, model=model, sample=sample)
        if json_out:
            print_json(found)
        else:
            print_attempts(found)
        return
    if pivot is not None:
        from benchlab.analysis.factors import parse_pivot
        from benchlab.cli.display.tables import print_pivot

        rows, cols = parse_pivot(pivot) or ("", "")
        table = api.show_pivot(run_id, rows, cols, db=db, score_pass=score_pass)
        if json_out:
            print_json(table)
        else:
            print_pivot(table)
        return
    if by is not None or paired_by is not None:
        from benchlab.cli.display.tables import print_factors

        report = api.show_factors(run_id, by, paired_by=paired_by, db=db, score_pass=score_pass)
        if csv_out is not None:
            from benchlab.cli._files import write_text

            text = io.StringIO()
            count = api.write_factor_csv(report, text, db=db)
            write_text(csv_out, text.getvalue(), flag="--csv")
            sys.stderr.write(f"wrote {count} rows to {csv_out}\n")
        if json_out:
            print_json(report)
        else:
            print_factors(report)
        return
    summary = api.show(run_id, db=db, score_pass=score_pass)
    if json_out:
        print_json(summary)
        return
    from benchlab.cli.display.tables import print_summary

    print_summary(summary)


@app.command()
def export(
    run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix).")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="jsonl, csv, json or summary-csv")
    ] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    score_pass: PassOpt = None,
    db: DbOpt = None,
) -> None:
    """Export a run: one row per attempt (jsonl, csv) or the whole run (json).

    summary-csv (grid runs): one tidy table with a `kind` column. kind=level rows,
    one per model, factor and level: n cases, mean score, ci_low/ci_high (95%)
    and ci_method (t: Student's t over cases), and the stance bin shares
    neg/neu/pos (empty for other scorers). kind=uplift rows, one per model,
    paired factor and level vs baseline: mean of score(level) - score(baseline)
    over n matched sets, with its 95% interval (t: Student's t over the sets'
    differences); the paired factors are those outside the suite's `matched_by`.
    Columns: kind, run_id, score_pass, judge_model, model, scorer, factor, level,
    baseline, n, mean, ci_low, ci_high, ci_method, neg, neu, pos.

    Scores come from one scoring pass (--pass; default the latest completed), and
    every row names it (score_pass, judge_model; per score in score_details: pass,
    judge model, stance bin, the judge's reasoning).
    """
    from benchlab import api
    from benchlab.analysis.export import FORMATS
    from benchlab.errors import ConfigError

    if fmt not in FORMATS:
        raise ConfigError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    if output is None:
        api.export(run_id, fmt, sys.stdout, db=db, score_pass=score_pass)
        return
    _check_output(output)
    tmp = output.with_name(output.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            count = api.export(run_id, fmt, handle, db=db, score_pass=score_pass)
        tmp.replace(output)  # never leave a half-written export under the real name
    except OSError as exc:
        raise ConfigError(f"--output {output}: cannot write: {exc.strerror}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    what = "rows" if fmt == "summary-csv" else "attempts"
    sys.stderr.write(f"wrote {count} {what} to {output}\n")


def _check_output(output: Path) -> None:
    """Before the run is read: a file in a folder that exists, not a folder itself."""
    from benchlab.errors import ConfigError

    if output.is_dir():
        raise ConfigError(f"--output {output}: is a directory (give a file name)")
    if not output.parent.is_dir():
        raise ConfigError(f"--output {output}: no such directory {output.parent}")
