"""Progress consumers of the engine's events: a rich bar on a TTY, plain log lines otherwise.

Neither renders per event. The rich bar redraws on rich's own 10 Hz refresh
thread from counters the events update; the log prints a line at most every
few seconds. At thousands of attempts per second, rendering per event would
cost more than the requests themselves.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Any

from benchlab.engine.events import AttemptFinished, Event, RunFinished, RunStarted
from benchlab.format import money


class _Tally:
    """Done, errors and spend so far, as both consumers show them."""

    def __init__(self) -> None:
        self.done = self.errors = 0
        self.cost = 0.0
        self.known = True

    def add(self, event: AttemptFinished) -> None:
        self.done += 1
        if event.error_type:
            self.errors += 1
        if event.cost_usd is None:
            self.known = self.known and event.error_type is not None
        else:
            self.cost += event.cost_usd

    @property
    def spend(self) -> str:
        return money(self.cost) if self.known else f"{money(self.cost)}+?"


class RichProgress:
    def __init__(self, console: Any = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.table import Column

        console = console or Console(stderr=True)
        # The run id is printed once above the bar, not beside it: at 80 columns the counts,
        # errors and spend must fit whole. The bar takes what room is left (at least 10).
        keep = Column(no_wrap=True)
        self._progress = Progress(
            BarColumn(bar_width=None, table_column=Column(ratio=1, min_width=10)),
            MofNCompleteColumn(table_column=keep),
            TextColumn("{task.fields[rate]}/s"),
            TextColumn("err {task.fields[errors]}"),
            TextColumn("{task.fields[spend]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            refresh_per_second=8,
            expand=True,
            transient=False,
        )
        self._task: Any = None
        self._tally = _Tally()
        self._started = time.perf_counter()
        self._last = 0.0

    def emit(self, event: Event) -> None:
        if isinstance(event, AttemptFinished):
            self._tally.add(event)
            now = time.perf_counter()
            if now - self._last >= 0.1:  # rich's refresh thread draws; we only update fields
                self._last = now
                self._update(now)
        elif isinstance(event, RunStarted):
            self._started = time.perf_counter()
            resumed = f" ({event.already_done} already done)" if event.already_done else ""
            self._progress.console.print(
                f"run {event.run_id}: {event.total} attempts over "
                f"{len(event.models)} model(s){resumed}",
                highlight=False,
            )
            self._progress.start()
            self._task = self._progress.add_task(
                f"run {event.run_id}",
                total=event.total,
                completed=event.already_done,
                rate="0",
                errors=0,
                spend="$0",
            )
            self._tally.done = event.already_done
        elif isinstance(event, RunFinished):
            self._update(time.perf_counter())
            self._progress.stop()

    def _update(self, now: float) -> None:
        if self._task is None:
            return
        tally = self._tally
        rate = tally.done / max(now - self._started, 1e-9)
        self._progress.update(
            self._task,
            completed=tally.done,
            rate=f"{rate:.1f}",
            errors=tally.errors,
            spend=tally.spend,
        )


class LogProgress:
    """For pipes and CI logs: a line at start, every `every` seconds, and at the end."""

    def __init__(self, stream: IO[str] | None = None, every: float = 5.0) -> None:
        self._stream = stream or sys.stderr
        self._every = every
        self._tally = _Tally()
        self._total = 0
        self._started = self._last = time.perf_counter()

    def _line(self, text: str) -> None:
        self._stream.write(text + "\n")
        self._stream.flush()

    def emit(self, event: Event) -> None:
        if isinstance(event, AttemptFinished):
            self._tally.add(event)
            now = time.perf_counter()
            if now - self._last >= self._every:
                self._last = now
                self._status(now)
        elif isinstance(event, RunStarted):
            self._total, self._tally.done = event.total, event.already_done
            self._started = self._last = time.perf_counter()
            resumed = f" ({event.already_done} already done)" if event.already_done else ""
            self._line(
                f"run {event.run_id}: {event.total} attempts over "
                f"{len(event.models)} model(s){resumed}"
            )
        elif isinstance(event, RunFinished):
            self._status(time.perf_counter())
            self._line(f"run {event.run_id}: {event.status}")

    def _status(self, now: float) -> None:
        elapsed = max(now - self._started, 1e-9)
        tally = self._tally
        self._line(
            f"{tally.done}/{self._total} done, {tally.errors} errors, "
            f"{tally.done / elapsed:.1f}/s, spend {tally.spend}"
        )
