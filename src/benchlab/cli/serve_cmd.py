"""`benchlab serve` (API + dashboard) and `benchlab push` (send a run to a server).

FastAPI and uvicorn are imported inside `serve` only, so every other command
starts without them.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from benchlab.cli.app import DbOpt, JsonOpt, app, print_json


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port for the API and the dashboard.")] = 8000,
    db: DbOpt = None,
    suite_dir: Annotated[
        Path | None,
        typer.Option(
            "--suite-dir", help="Suite files the dashboard may launch (besides built-ins)."
        ),
    ] = None,
    rate_limit: Annotated[
        int, typer.Option("--rate-limit", help="Admin API requests per minute per key.")
    ] = 10,
    schedules: Annotated[
        Path | None,
        typer.Option("--schedules", help="A YAML file of suites to run on cron expressions."),
    ] = None,
    max_body_bytes: Annotated[
        int,
        typer.Option(
            "--max-body-bytes", help="Largest request body (a launch, a label); 413 past it."
        ),
    ] = 1024 * 1024,
    max_upload_bytes: Annotated[
        int,
        typer.Option("--max-upload-bytes", help="Largest run document POST /api/results takes."),
    ] = 512 * 1024 * 1024,
    allowed_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-origin",
            help="Another site whose pages may open the live WebSocket (repeatable), "
            "e.g. https://dash.example.org; the server's own pages always may.",
        ),
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option(
            "--budget",
            help="Monthly budget in US dollars (default: BENCHLAB_BUDGET_USD); the overview "
            "shows spend against it and raises alerts at its thresholds.",
        ),
    ] = None,
    budget_threshold: Annotated[
        list[int] | None,
        typer.Option(
            "--budget-threshold",
            help="Percent of the budget that raises an alert (repeatable; default 80 and 100, "
            "or BENCHLAB_BUDGET_THRESHOLDS=80,100).",
        ),
    ] = None,
    budget_webhook: Annotated[
        str | None,
        typer.Option(
            "--budget-webhook",
            help="URL that each alert is POSTed to as JSON, once per threshold and month "
            "(Slack-compatible `text`; default: BENCHLAB_BUDGET_WEBHOOK).",
        ),
    ] = None,
) -> None:
    """Serve the JSON API (docs at /docs) and the dashboard on one port.

    The write API (POST /api/results, POST /api/runs) is on only when
    BENCHLAB_ADMIN_KEY is set; clients send it as a bearer token. Labels take
    BENCHLAB_LABEL_KEY (shared) or BENCHLAB_LABELER_KEYS="ana=KEY,bo=KEY" (one
    key per labeler, who then labels under that name only).
    """
    import uvicorn

    from benchlab.errors import ConfigError
    from benchlab.server import Settings, create_app
    from benchlab.server.deps import state_of

    if not 0 <= port <= 65535:
        raise ConfigError(f"--port {port}: expected 0-65535")
    if rate_limit < 1:
        raise ConfigError(f"--rate-limit {rate_limit}: expected at least 1")
    settings = Settings(
        store_url=db,
        suite_dir=suite_dir,
        rate_limit=rate_limit,
        schedules=schedules,
        max_body_bytes=max_body_bytes,
        max_upload_bytes=max_upload_bytes,
        allowed_origins=list(allowed_origin or []),
        budget_usd=budget,
        budget_thresholds=budget_threshold or None,
        budget_webhook=budget_webhook,
    )
    application = create_app(settings=settings)
    state = state_of(application)
    sys.stderr.write(
        f"benchlab: serving {state.store.display_url} on http://{host}:{port} "
        f"(write API {'on' if settings.write_enabled else 'off'})\n"
    )
    if settings.budget_usd is not None:
        from benchlab.format import money

        sys.stderr.write(
            f"benchlab: monthly budget {money(settings.budget_usd)}, alerts at "
            f"{', '.join(f'{t}%' for t in settings.budget_thresholds or [])}"
            f"{' (webhook on)' if settings.budget_webhook else ''}\n"
        )
    if state.scheduler is not None:
        from benchlab.server.schedules import announce

        announce(state.scheduler)
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command()
def push(
    run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix).")],
    to: Annotated[str, typer.Option("--to", help="The server's base URL, e.g. http://lab:8000")],
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Send a finished run to a server's POST /api/results (key from BENCHLAB_ADMIN_KEY).

    A server that answers 429/503 is asked again after its Retry-After (5 tries, 60 s)."""
    from benchlab.cli.remote import push_run

    def waiting(attempt: int, wait: float, reason: str) -> None:
        sys.stderr.write(f"{reason}; trying again in {wait:g}s (try {attempt + 1})\n")

    result = push_run(run_id, to, db=db, on_retry=waiting)
    if json_out:
        print_json(
            {"run_id": result.run_id, "created": result.created, "attempts": result.attempts}
        )
        return
    state = "stored" if result.created else "already on the server"
    sys.stderr.write(f"run {result.run_id}: {result.attempts} attempts {state} ({to})\n")
