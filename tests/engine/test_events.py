"""The event bus: a listener that raises is logged and removed, and the others go on."""

from __future__ import annotations

import logging

import pytest

from benchlab.engine.events import EventBus, Recorder, RunStarted, RunTotals


class _Broken:
    def __repr__(self) -> str:
        return "<broken listener>"

    def emit(self, event: object) -> None:
        raise ValueError("listener bug")


def test_a_failing_listener_is_logged_with_its_error_and_removed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    kept = Recorder()
    bus = EventBus([_Broken(), kept])
    started = RunStarted(run_id="r1", total=1, already_done=0, models=["m"], suites=["s"])
    with caplog.at_level(logging.WARNING, logger="benchlab.events"):
        bus.emit(started)
        bus.emit(RunTotals(run_id="r1", total=1))
    (record,) = caplog.records  # logged once: the listener is gone after its first failure
    assert record.levelno == logging.WARNING
    assert "<broken listener>" in record.getMessage()
    assert "RunStarted" in record.getMessage()
    assert record.exc_info is not None and isinstance(record.exc_info[1], ValueError)
    assert bus.sinks == [kept]
    assert [type(e).__name__ for e in kept.events] == ["RunStarted", "RunTotals"]
