"""Progress consumers: plain lines for logs, a rich bar for terminals."""

from __future__ import annotations

import io
import time

from benchlab.cli.display.progress import LogProgress, RichProgress
from benchlab.engine.events import AttemptFinished, Event, RunFinished, RunStarted, RunTotals


def _events(n: int) -> list[Event]:
    out: list[Event] = [RunStarted("r1", n, 0, ["m"], ["s"])]
    for i in range(n):
        out.append(
            AttemptFinished(
                "r1",
                "s",
                f"c{i}",
                "m",
                0,
                i % 2 == 0,
                {"exact": 1.0},
                5.0,
                None if i == 0 else 0.001,
                False,
                error_type="ServerError" if i == 0 else None,
            )
        )
    out.append(RunFinished("r1", "completed", RunTotals("r1", n, n)))
    return out


def test_log_progress_prints_lines_not_per_event() -> None:
    stream = io.StringIO()
    sink = LogProgress(stream, every=3600)
    for event in _events(500):
        sink.emit(event)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("run r1: 500 attempts")
    assert "500/500 done, 1 errors" in lines[-2]
    assert "spend $0.4990" in lines[-2]  # 499 priced attempts; the errored one costs nothing
    assert lines[-1] == "run r1: completed"
    assert len(lines) == 3


def test_rich_progress_renders_a_bar() -> None:
    from rich.console import Console

    out = io.StringIO()
    sink = RichProgress(Console(file=out, force_terminal=True, width=120))
    for event in _events(50):
        sink.emit(event)
    text = out.getvalue()
    assert "run r1" in text and "50/50" in text and "err 1" in text


def test_rich_progress_keeps_its_counts_whole_at_80_columns() -> None:
    """At 80 columns the bar used to show `79/…`: the run id beside it took the room."""
    import re

    from rich.console import Console

    out = io.StringIO()
    sink = RichProgress(Console(file=out, force_terminal=True, width=80, color_system=None))
    started = RunStarted("20261206-181750-caff19", 120_000, 0, ["m"], ["s"])
    sink.emit(started)
    for event in _events(12_345)[1:-1]:
        sink.emit(event)
    sink._update(time.perf_counter())
    sink.emit(RunFinished(started.run_id, "interrupted", RunTotals(started.run_id, 120_000, 0)))
    text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", out.getvalue()).replace("\r", "\n")
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0].startswith("run 20261206-181750-caff19: 120000 attempts")
    bar = lines[-1]
    assert "…" not in bar and len(bar) <= 80, bar
    assert "12345/120000" in bar and "err 1" in bar and "$12.34" in bar, bar
