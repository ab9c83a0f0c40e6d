"""The `benchlab` command: parse flags, build a config, call the library, print.

Handlers stay thin; everything they do is available from `import benchlab`.
Heavy modules (SQLAlchemy, aiohttp, the engine) are imported inside the
handlers so that `benchlab --help` starts in a fraction of a second.
A `UserError` becomes one line on stderr and exit code 2; nothing else is
caught, so a bug still shows its traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from benchlab.engine.events import EventSink

app = typer.Typer(
    name="benchlab",
    help="Run benchmark suites against LLMs, score every answer, keep every run.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or SQLite path (default: $BENCHLAB_DB or .benchlab/)"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _parse_tags(tags: list[str]) -> dict[str, str]:
    from benchlab.errors import ConfigError

    out: dict[str, str] = {}
    for tag in tags:
        key, sep, value = tag.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--tag {tag!r}: expected KEY=VALUE")
        out[key.strip()] = value
    return out


def _sinks(json_mode: bool, quiet: bool) -> list[EventSink]:
    if quiet:
        return []
    from benchlab.engine.progress import LogProgress, RichProgress

    if sys.stderr.isatty():
        return [RichProgress()]
    return [LogProgress()]


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
        typer.Option(help="Scorer name (or module:function) for cases without their own."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Render prompts, estimate tokens and cost; send nothing."),
    ] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore cached responses.")] = False,
    tag: Annotated[list[str] | None, typer.Option(help="KEY=VALUE label for the run.")] = None,
    db: DbOpt = None,
    json_out: JsonOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Run suites against models and store every attempt."""
    from benchlab import api
    from benchlab.domain import ScorerSpec
    from benchlab.providers.profiles import resolve_models
    from benchlab.validation import build_config

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
            "scorers": [ScorerSpec(name=s) for s in (scorer or [])],
            "cache": not no_cache,
            "dry_run": dry_run,
            "tags": _parse_tags(tag or []),
            "db": db,
        },
        param_overrides=overrides,
    )
    if dry_run:
        report = api.plan(config)
        if json_out:
            _print_json(report.as_dict())
        else:
            from benchlab.render import print_dry_run

            print_dry_run(report)
        return
    result = _run_async(api.arun(config, sinks=_sinks(json_out, quiet)))
    _finish(result, json_out)


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


def _finish(result: Any, json_out: bool) -> None:
    if json_out:
        _print_json(result.summary)
    else:
        from benchlab.render import print_summary

        print_summary(result.summary)
    if result.status != "completed":
        raise typer.Exit(1)


@app.command()
def resume(
    run_id: Annotated[str, typer.Argument(help="The run to finish.")],
    retry_errors: Annotated[
        bool, typer.Option("--retry-errors", help="Ask again the attempts that errored.")
    ] = False,
    concurrency: Annotated[int | None, typer.Option("--concurrency", "-c")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache")] = False,
    db: DbOpt = None,
    json_out: JsonOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Finish an interrupted run without redoing finished attempts."""
    from benchlab import api

    overrides: dict[str, Any] = {}
    if concurrency is not None:
        overrides["concurrency"] = concurrency
    if no_cache:
        overrides["cache"] = False
    result = _run_async(
        api.aresume(
            run_id,
            db=db,
            retry_errors=retry_errors,
            sinks=_sinks(json_out, quiet),
            overrides=overrides,
        )
    )
    _finish(result, json_out)


@app.command("runs")
def runs_cmd(
    limit: Annotated[int, typer.Option(help="Show the newest N runs.")] = 20,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Only runs of this model.")
    ] = None,
    suite: Annotated[str | None, typer.Option(help="Only runs of this suite.")] = None,
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """List runs, newest first."""
    from benchlab import api

    found = api.list_runs(db=db, limit=limit, model=model, suite=suite)
    rows = [
        {
            "run_id": r.id,
            "status": r.status,
            "suites": r.suites,
            "models": r.models,
            "created_at": r.created_at.isoformat(),
            "finished_at": r.finished_at.isoformat() if r.finished_at else None,
            "seed": r.seed,
            "tags": r.tags,
        }
        for r in found
    ]
    if json_out:
        _print_json(rows)
        return
    from benchlab.render import print_runs

    print_runs(rows)


@app.command()
def show(
    run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix).")],
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Per-model summary of a run: pass rate with 95% interval, latency, tokens, cost."""
    from benchlab import api

    summary = api.show(run_id, db=db)
    if json_out:
        _print_json(summary)
        return
    from benchlab.render import print_summary

    print_summary(summary)


@app.command()
def export(
    run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or json")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Export a run: one row per attempt (jsonl, csv) or the whole run (json)."""
    from benchlab import api
    from benchlab.analysis.export import FORMATS
    from benchlab.errors import ConfigError

    if fmt not in FORMATS:
        raise ConfigError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    if output is None:
        api.export(run_id, fmt, sys.stdout, db=db)
        return
    tmp = output.with_name(output.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            count = api.export(run_id, fmt, handle, db=db)
        tmp.replace(output)  # never leave a half-written export under the real name
    finally:
        tmp.unlink(missing_ok=True)
    sys.stderr.write(f"wrote {count} attempts to {output}\n")


@app.command()
def suites(json_out: JsonOpt = False) -> None:
    """List the built-in suites."""
    from benchlab.suites import builtin_suites, load_suite

    rows = []
    for name in sorted(builtin_suites()):
        suite = load_suite(name)
        rows.append(
            {
                "name": name,
                "version": suite.header.version,
                "cases": suite.n_cases,
                "description": suite.header.description,
            }
        )
    if json_out:
        _print_json(rows)
        return
    from benchlab.render import print_table

    print_table("Built-in suites", ["name", "version", "cases", "description"], rows)


@app.command()
def models(
    models_file: Annotated[
        Path | None, typer.Option("--models", help="Also list this file.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """List provider families, priced models and the profiles of a models file."""
    from benchlab.providers.pricing import priced_models
    from benchlab.providers.profiles import load_models_file
    from benchlab.providers.registry import FAMILIES

    families = [
        {
            "provider": f.name,
            "description": f.description,
            "key": f.key_env or "",
            "base_url": f.base_url_env or "",
        }
        for f in FAMILIES.values()
    ]
    prices = [
        {"model": spec, "input_per_1m": p.input, "output_per_1m": p.output}
        for spec, p in sorted(priced_models().items())
    ]
    profiles = (
        [p.model_dump(mode="json", exclude_none=True) for p in load_models_file(models_file)]
        if models_file
        else []
    )
    if json_out:
        _print_json({"providers": families, "prices": prices, "profiles": profiles})
        return
    from benchlab.render import print_table

    print_table("Providers", ["provider", "description", "key", "base_url"], families)
    print_table(
        "Built-in prices (US$ per 1M tokens)", ["model", "input_per_1m", "output_per_1m"], prices
    )
    if profiles:
        print_table("Profiles", ["name", "spec"], profiles)


@app.command()
def version() -> None:
    """Print benchlab's version."""
    from benchlab import __version__

    sys.stdout.write(__version__ + "\n")


def main() -> None:
    from benchlab.errors import UserError

    try:
        app()
    except UserError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
