"""`benchlab run` and `benchlab resume`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from benchlab.cli.app import DbOpt, JsonOpt, app, parse_tags, print_json, progress_sinks


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
            "tags": parse_tags(tag or []),
            "db": db,
        },
        param_overrides=overrides,
    )
    if dry_run:
        report = api.plan(config)
        if json_out:
            print_json(report.as_dict())
        else:
            from benchlab.render import print_dry_run

            print_dry_run(report)
        return
    result = _run_async(api.arun(config, sinks=progress_sinks(json_out, quiet)))
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
        print_json(result.summary)
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
            sinks=progress_sinks(json_out, quiet),
            overrides=overrides,
        )
    )
    _finish(result, json_out)
