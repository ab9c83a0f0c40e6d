"""`benchlab run` and `benchlab resume`."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from benchlab.cli._run_errors import check_max_error_rate, report_errors
from benchlab.cli._standard import (
    CotOpt,
    DataOpt,
    ModeOpt,
    MultiturnOpt,
    ReleaseOpt,
    RevisionOpt,
    ShotsOpt,
    SinceOpt,
    SubsetOpt,
    UntilOpt,
    with_standard_options,
)
from benchlab.cli.app import DbOpt, JsonOpt, app, print_json, progress_sinks


@app.command()
def run(
    suites: Annotated[list[str], typer.Argument(help="Built-in suite names or suite files.")],
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help="provider/model, or a profile name from --models."),
    ] = None,
    models_file: Annotated[
        Path | None, typer.Option("--models", help="A models YAML file with profiles.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option(help="Ask at most N cases per suite (stratified sample).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for sampling cases.")] = 0,
    samples: Annotated[int, typer.Option(help="Answers per case and model.")] = 1,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", help="Requests in flight at most.")
    ] = 16,
    temperature: Annotated[float | None, typer.Option(help="Override every model's.")] = None,
    max_tokens: Annotated[int | None, typer.Option(help="Override every model's.")] = None,
    timeout: Annotated[float, typer.Option(help="Seconds per request.")] = 120.0,
    retries: Annotated[int, typer.Option(help="Retries per request on transient errors.")] = 4,
    scorer: Annotated[
        list[str] | None,
        typer.Option(
            help="Scorer name (or module:function, or '{name: judge, criteria: [...]}') "
            "for cases without their own."
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Render prompts, estimate tokens and cost; send nothing."),
    ] = False,
    cache: Annotated[
        bool | None,
        typer.Option(
            "--cache/--no-cache",
            help="Reuse stored answers to identical requests instead of asking again "
            "(default: ask; --no-cache also asks judges again).",
        ),
    ] = None,
    judge_model: Annotated[
        str | None,
        typer.Option("--judge-model", help="The model judging scorers (judge, stance) ask."),
    ] = None,
    no_score: Annotated[
        bool,
        typer.Option("--no-score", help="Only generate; score later with `benchlab score`."),
    ] = False,
    max_cost: Annotated[
        float | None,
        typer.Option("--max-cost", help="Stop sending requests once the run has spent USD."),
    ] = None,
    include_unreviewed: Annotated[
        bool,
        typer.Option(
            "--include-unreviewed",
            help="Suites built from production samples: also ask the cases nobody has "
            "reviewed yet (default: accepted cases only).",
        ),
    ] = False,
    max_error_rate: Annotated[
        float | None,
        typer.Option(
            "--max-error-rate",
            help="Accept up to this share (0..1) of errored attempts: exit 0 instead of 3.",
        ),
    ] = None,
    tag: Annotated[list[str] | None, typer.Option(help="KEY=VALUE label for the run.")] = None,
    db: DbOpt = None,
    json_out: JsonOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    executor: Annotated[
        str | None,
        typer.Option(help="Where code runs: local (default) or ray ($RAY_ADDRESS)."),
    ] = None,
    summary_csv: Annotated[
        Path | None,
        typer.Option(
            "--summary-csv",
            help="Grid suites: once the run completes, write its per-level and uplift "
            "summary here (as `export --format summary-csv`).",
        ),
    ] = None,
    data: DataOpt = None,
    revision: RevisionOpt = None,
    shots: ShotsOpt = None,
    subset: SubsetOpt = None,
    cot: CotOpt = False,
    fewshot_as_multiturn: MultiturnOpt = False,
    mode: ModeOpt = None,
    release: ReleaseOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
) -> None:
    """Run suites against models and store every attempt."""
    from benchlab import api
    from benchlab.engine.validation import build_config, parse_scorer
    from benchlab.providers.profiles import resolve_models

    suites = with_standard_options(
        suites,
        data=data,
        revision=revision,
        shots=shots,
        subset=subset,
        cot=cot,
        fewshot_as_multiturn=fewshot_as_multiturn,
        mode=mode,
        release=release,
        since=since,
        until=until,
    )
    if summary_csv is not None:
        _check_summary_flags(summary_csv, suites, dry_run=dry_run, no_score=no_score)
    check_max_error_rate(max_error_rate)

    if executor is not None:
        from benchlab.sandbox.executor import check_executor

        check_executor(executor)
    from benchlab.store.run_query import parse_tags

    profiles = resolve_models(model or [], models_file)
    overrides: dict[str, Any] = {}
    if temperature is not None:
        overrides["temperature"] = temperature
    if max_tokens is not None:
        overrides["max_tokens"] = max_tokens
    config = build_config(
        {
            "suites": suites,
            "models": profiles,
            "limit": limit,
            "seed": seed,
            "samples": samples,
            "concurrency": concurrency,
            "timeout": timeout,
            "retries": retries,
            "scorers": [parse_scorer(s) for s in (scorer or [])],
            "cache": bool(cache),
            "judge_cache": cache is not False,
            "dry_run": dry_run,
            "tags": parse_tags(tag or []),
            "db": db,
            "max_cost": max_cost,
            "judge_model": judge_model,
            "score": not no_score,
            "executor": executor,
            "include_unreviewed": include_unreviewed,
        },
        param_overrides=overrides,
    )
    if dry_run:
        from benchlab.engine.budget import over_budget_warning

        report = api.plan(config)
        estimate = report.as_dict()["total_cost_usd"]  # the budget counts judges' spend too
        warning = over_budget_warning(estimate, max_cost)
        if warning:
            sys.stderr.write(warning + "\n")
        if json_out:
            over = None if max_cost is None or estimate is None else estimate > max_cost
            print_json({**report.as_dict(), "max_cost_usd": max_cost, "over_budget": over})
        else:
            from benchlab.cli.display.tables import print_dry_run

            print_dry_run(report)
        return
    result = _run_async(api.arun(config, sinks=progress_sinks(json_out, quiet)))
    if summary_csv is not None:
        _write_summary(result, summary_csv, config.db)
    _finish(result, json_out, max_error_rate)


def _check_summary_flags(path: Path, suites: list[str], *, dry_run: bool, no_score: bool) -> None:
    """`--summary-csv` needs a scored run of a grid: say so before anything is sent."""
    from benchlab.errors import ConfigError
    from benchlab.suites import load_suite

    if dry_run:
        raise ConfigError("--summary-csv: a dry run stores no results to summarise")
    if no_score:
        raise ConfigError(
            "--summary-csv: --no-score leaves nothing to summarise (after `benchlab score "
            "RUN_ID`, use `benchlab export RUN_ID --format summary-csv`)"
        )
    if not path.parent.is_dir():
        raise ConfigError(f"--summary-csv {path}: no such directory {path.parent}")
    if not any(load_suite(ref).header.factors for ref in suites):
        raise ConfigError(
            f"--summary-csv: no grid suite among {', '.join(suites)} (a grid declares factors)"
        )


def _write_summary(result: Any, path: Path, db: str | None) -> None:
    """The summary of a completed run; any other outcome leaves it to `export` later,
    and a summary that cannot be made is a warning: the run itself is stored either way."""
    import io

    from benchlab import api
    from benchlab.cli._files import write_text
    from benchlab.errors import ConfigError

    if result.status != "completed":
        sys.stderr.write(
            f"--summary-csv: not written, run {result.run_id} is {result.status}; once it "
            f"completes: benchlab export {result.run_id} --format summary-csv -o {path}\n"
        )
        return
    text = io.StringIO()
    try:
        count = api.export(result.run_id, "summary-csv", text, db=db)
        write_text(path, text.getvalue(), flag="--summary-csv")
    except ConfigError as exc:
        sys.stderr.write(f"warning: no summary written: {exc}\n")
        return
    sys.stderr.write(f"wrote {count} summary rows to {path}\n")


def _run_async(coro: Any) -> Any:
    """Run the engine; Ctrl-C or SIGTERM stop it cleanly (status `interrupted`, resumable)."""
    import asyncio
    import signal

    async def main() -> Any:
        task = asyncio.current_task()
        assert task is not None
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        return await coro

    try:
        return asyncio.run(main())
    except (KeyboardInterrupt, asyncio.CancelledError):
        sys.stderr.write("interrupted: finished attempts are stored; `benchlab resume RUN_ID`\n")
        raise typer.Exit(130) from None


def _finish(result: Any, json_out: bool, max_error_rate: float | None = None) -> None:
    """Print the summary; exit 0 all judged, 1 budget stop, 3 errored attempts (stderr says
    which, grouped by kind, and how to finish them)."""
    for warning in getattr(result, "warnings", []):
        sys.stderr.write(warning + "\n")
    if json_out:
        print_json(result.summary)
    else:
        from benchlab.cli.display.tables import print_summary

        print_summary(result.summary)
    budget = result.summary.get("budget")
    if result.status == "stopped_budget" and budget:
        from benchlab.engine.budget import stop_line

        line = stop_line(result.run_id, budget["spent_usd"], budget["cap_usd"], budget["not_sent"])
        sys.stderr.write(line + "\n")
    code = report_errors(result.summary, max_error_rate)
    if code:
        raise typer.Exit(code)


@app.command()
def resume(
    run_id: Annotated[str, typer.Argument(help="The run to finish.")],
    retry_errors: Annotated[
        bool,
        typer.Option(
            "--retry-errors", help="Ask again exactly the attempts that errored (replacing them)."
        ),
    ] = False,
    concurrency: Annotated[int | None, typer.Option("--concurrency", "-c")] = None,
    cache: Annotated[
        bool | None,
        typer.Option(
            "--cache/--no-cache",
            help="Reuse stored answers for what is left (default: as the run was started).",
        ),
    ] = None,
    max_cost: Annotated[
        float | None, typer.Option("--max-cost", help="A new spend cap in USD (whole run).")
    ] = None,
    max_error_rate: Annotated[
        float | None,
        typer.Option(
            "--max-error-rate",
            help="Accept up to this share (0..1) of errored attempts: exit 0 instead of 3.",
        ),
    ] = None,
    db: DbOpt = None,
    json_out: JsonOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    executor: Annotated[
        str | None,
        typer.Option(help="Where code runs: local (default) or ray ($RAY_ADDRESS)."),
    ] = None,
) -> None:
    """Finish an interrupted run without redoing finished attempts."""
    from benchlab import api

    check_max_error_rate(max_error_rate)
    overrides: dict[str, Any] = {}
    if executor is not None:
        from benchlab.sandbox.executor import check_executor

        overrides["executor"] = check_executor(executor)
    if concurrency is not None:
        overrides["concurrency"] = concurrency
    if cache is not None:
        overrides["cache"] = cache
    if max_cost is not None:
        overrides["max_cost"] = max_cost
    result = _run_async(
        api.aresume(
            run_id,
            db=db,
            retry_errors=retry_errors,
            sinks=progress_sinks(json_out, quiet),
            overrides=overrides,
        )
    )
    _finish(result, json_out, max_error_rate)
