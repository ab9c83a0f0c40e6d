"""The engine's one small event interface.

Consumers (the progress bar, the dashboard's live view, tests) implement
`EventSink.emit`; the engine never knows who listens. Events are slots
dataclasses built once per attempt, and `emit` must be cheap: a sink that
renders does so on its own clock, not per event.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

log = logging.getLogger("benchlab.events")


@dataclass(slots=True)
class RunStarted:
    run_id: str
    total: int
    already_done: int
    models: list[str]
    suites: list[str]


@dataclass(slots=True)
class AttemptFinished:
    """One attempt answered (or failed for good) and scored."""

    run_id: str
    suite: str
    case_id: str
    model: str
    sample: int
    passed: bool | None
    scores: dict[str, float | None]
    latency_ms: float | None
    cost_usd: float | None
    cached: bool
    error_type: str | None = None
    error_message: str | None = None


@dataclass(slots=True)
class RunTotals:
    run_id: str
    total: int
    done: int = 0
    errors: int = 0
    passed: int = 0
    cached: int = 0
    cost_usd: float = 0.0
    cost_known: bool = True
    per_model: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class RunFinished:
    run_id: str
    status: str
    totals: RunTotals


Event = RunStarted | AttemptFinished | RunTotals | RunFinished


class EventSink(Protocol):
    """Anything with `emit(event)`: progress bars, live views, a test's recorder. Called on
    the engine's loop for every event, so it must be cheap and must not block."""

    def emit(self, event: Event) -> None: ...


class EventBus:
    """Fans events out to sinks. A failing sink is never allowed to stop a run: it is
    dropped (it would fail again on every attempt), and logged with its traceback, so
    the bug in it is seen rather than the listener going quiet for no stated reason."""

    def __init__(self, sinks: list[EventSink] | None = None) -> None:
        self.sinks: list[EventSink] = list(sinks or [])

    def emit(self, event: Event) -> None:
        for sink in list(self.sinks):
            try:
                sink.emit(event)
            except Exception:
                self.sinks.remove(sink)
                log.warning(
                    "event listener %r failed on %s and was removed; the run goes on",
                    sink,
                    type(event).__name__,
                    exc_info=True,
                )


class Recorder:
    """A sink that keeps every event: for tests and for the Python API."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def emit(self, event: Event) -> None:
        self.events.append(event)
