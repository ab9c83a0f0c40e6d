"""Runs launched from the browser, each in its own thread with its own event loop.

The engine is async, but running it on the server's loop would let a large
run starve HTTP requests, the more so as its batched store writes run on the
loop that drives it (see store/writer.py). A thread per run keeps them apart:
the engine, writer included, runs on that thread's loop exactly as it does
under the CLI. Progress reaches the browser the same way a CLI run's does:
through the store (see live.py).
`launch` returns once the run exists (or failed validation), so a bad suite
or model is a 400, not a run that dies later.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from benchlab.engine.config import RunConfig
from benchlab.engine.events import Event, RunStarted
from benchlab.errors import ConfigError


@dataclass
class _Launch:
    config: RunConfig
    started: threading.Event = field(default_factory=threading.Event)
    total: int | None = None
    error: BaseException | None = None
    loop: asyncio.AbstractEventLoop | None = None
    task: asyncio.Task[Any] | None = None
    thread: threading.Thread | None = None

    def emit(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.total = event.total
            self.started.set()


class Launcher:
    def __init__(self, env: dict[str, str], on_finished: Callable[[], None] | None = None) -> None:
        """`on_finished` is called from the run's thread once each run ends, whatever its
        status (the server checks its budget there: server/budget_watch.py)."""
        self._env = env
        self.on_finished = on_finished
        self._runs: dict[str, _Launch] = {}
        self._lock = threading.Lock()

    def launch(self, config: RunConfig, *, wait: float = 60.0) -> str:
        from benchlab.engine.runner import new_run_id

        run_id = config.run_id or new_run_id()
        config = config.model_copy(update={"run_id": run_id})
        entry = _Launch(config)
        thread = threading.Thread(
            target=self._main, args=(entry,), name=f"benchlab-run-{run_id}", daemon=True
        )
        entry.thread = thread
        with self._lock:
            self._runs[run_id] = entry
        thread.start()
        if not entry.started.wait(wait) and entry.error is None:
            raise ConfigError(f"run {run_id} did not start within {wait:.0f}s")
        if entry.error is not None and entry.total is None:
            with self._lock:
                self._runs.pop(run_id, None)
            raise entry.error
        return run_id

    def total(self, run_id: str) -> int | None:
        entry = self._runs.get(run_id)
        return None if entry is None else entry.total

    def running(self, run_id: str) -> bool:
        """Whether a run this launcher started is still going (the scheduler's no-pile-up
        rule asks this rather than the store, where a run killed with its process would
        stay `running` for ever)."""
        entry = self._runs.get(run_id)
        return entry is not None and entry.thread is not None and entry.thread.is_alive()

    def _main(self, entry: _Launch) -> None:
        from benchlab import api

        async def go() -> None:
            entry.loop = asyncio.get_running_loop()
            entry.task = asyncio.current_task()
            await api.arun(entry.config, sinks=[entry], env=self._env)

        try:
            asyncio.run(go())
        except BaseException as exc:  # recorded on the run by the engine; kept for launch()
            entry.error = exc
        finally:
            entry.started.set()
            if self.on_finished is not None and entry.total is not None:
                self.on_finished()

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop runs still going (they end `interrupted`, resumable) and wait for them."""
        with self._lock:
            entries = list(self._runs.values())
        for entry in entries:
            if entry.loop is not None and entry.task is not None and not entry.task.done():
                # RuntimeError: the loop has closed, so the run has finished anyway
                with contextlib.suppress(RuntimeError):
                    entry.loop.call_soon_threadsafe(entry.task.cancel)
        for entry in entries:
            if entry.thread is not None:
                entry.thread.join(timeout)
