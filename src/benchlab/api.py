"""The library functions that the CLI (and later the server) are thin layers over.

>>> import benchlab
>>> result = benchlab.run(benchlab.RunConfig(suites=["quickstart"],
...                       models=benchlab.resolve_models(["oracle"])))
>>> result.summary["models"][0]["pass_rate"]
1.0
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from benchlab.analysis.export import export_run
from benchlab.analysis.summary import summarize_run
from benchlab.domain import Attempt, Run
from benchlab.engine.config import RunConfig
from benchlab.engine.dry_run import DryRunReport, dry_run
from benchlab.engine.events import EventBus, EventSink
from benchlab.errors import ConfigError
from benchlab.store import Store


@dataclass
class RunResult:
    run_id: str
    status: str
    summary: dict[str, Any]
    db: str

    def attempts(self, model: str | None = None) -> Iterator[Attempt]:
        with Store(self.db) as store:
            yield from store.iter_attempts(self.run_id, model=model)


async def arun(
    config: RunConfig,
    *,
    sinks: list[EventSink] | None = None,
    env: Mapping[str, str] | None = None,
) -> RunResult:
    """Run a suite set against models; returns when every attempt is stored."""
    from benchlab.engine.runner import Engine

    if config.dry_run:
        raise ConfigError("dry runs don't create a run: call benchlab.plan(config)")
    with Store(config.db) as store:
        engine = Engine(config, store, events=EventBus(sinks), env=env)
        outcome = await engine.run()
        return RunResult(
            outcome.run_id, outcome.status, summarize_run(store, outcome.run_id), store.url
        )


def run(
    config: RunConfig,
    *,
    sinks: list[EventSink] | None = None,
    env: Mapping[str, str] | None = None,
) -> RunResult:
    return asyncio.run(arun(config, sinks=sinks, env=env))


async def aresume(
    run_id: str,
    *,
    db: str | None = None,
    retry_errors: bool = False,
    sinks: list[EventSink] | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> RunResult:
    """Finish an interrupted run: finished attempts are kept, only the rest are asked.

    The run's own stored config is used (not today's flags or files), so the
    same cases are asked of the same model profiles; `overrides` may change
    only how the run is executed (concurrency, timeout, retries, cache).
    """
    from benchlab.engine.runner import Engine

    allowed = {
        "concurrency",
        "timeout",
        "retries",
        "retry_base_delay",
        "retry_max_delay",
        "cache",
        "flush_interval",
    }
    with Store(db) as store:
        stored = store.get_run(run_id)
        data = dict(stored.config)
        for key, value in (overrides or {}).items():
            if key not in allowed:
                raise ConfigError(f"resume: {key} cannot change on resume")
            data[key] = value
        config = RunConfig.model_validate({**data, "db": db, "run_id": stored.id})
        engine = Engine(config, store, events=EventBus(sinks), env=env)
        outcome = await engine.run(resume_id=stored.id, retry_errors=retry_errors)
        return RunResult(
            outcome.run_id, outcome.status, summarize_run(store, outcome.run_id), store.url
        )


def resume(run_id: str, **kwargs: Any) -> RunResult:
    return asyncio.run(aresume(run_id, **kwargs))


def plan(config: RunConfig) -> DryRunReport:
    """What a run would send, with token and cost estimates; sends nothing."""
    return dry_run(config)


def show(run_id: str, *, db: str | None = None) -> dict[str, Any]:
    with Store(db) as store:
        return summarize_run(store, run_id)


def list_runs(
    *,
    db: str | None = None,
    limit: int | None = None,
    model: str | None = None,
    suite: str | None = None,
) -> list[Run]:
    with Store(db) as store:
        return store.list_runs(limit=limit, model=model, suite=suite)


def export(run_id: str, fmt: str, out: IO[str], *, db: str | None = None) -> int:
    with Store(db) as store:
        return export_run(store, run_id, fmt, out)
