"""Telling a waiting program from a computing one, on real process trees."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from benchlab.sandbox import _wait

BUSY = "while True:\n    pass"
SLEEPY = "import time\ntime.sleep(30)"
# A parent asleep while its child computes: the shape of a checker waiting on its program.
PARENT_OF_BUSY = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {BUSY!r}])"


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:  # each started in a session of its own: its children go too
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def watch(code: str, procs: list[subprocess.Popen[bytes]], seconds: float = 1.0) -> bool:
    """Whether a process tree running `code` is found idle within `seconds`."""
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    procs.append(proc)
    time.sleep(0.3)  # past its start-up, which computes
    watcher = _wait._IdleWatch(proc.pid)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if watcher.idle(time.monotonic()):
            return True
        time.sleep(0.01)
    return False


def test_a_sleeping_program_is_idle(started: list[subprocess.Popen[bytes]]) -> None:
    assert watch(SLEEPY, started)


def test_a_busy_program_is_never_idle(started: list[subprocess.Popen[bytes]]) -> None:
    assert not watch(BUSY, started)


def test_a_waiting_parent_of_a_busy_child_is_not_idle(
    started: list[subprocess.Popen[bytes]],
) -> None:
    assert not watch(PARENT_OF_BUSY, started)


def test_tree_usage_counts_descendants(started: list[subprocess.Popen[bytes]]) -> None:
    proc = subprocess.Popen([sys.executable, "-c", PARENT_OF_BUSY], start_new_session=True)
    started.append(proc)
    time.sleep(0.3)
    first, _ = _wait._tree_usage(proc.pid)
    time.sleep(0.5)
    later, running = _wait._tree_usage(proc.pid)
    assert running
    assert later - first >= 5  # at least 50 ms of the child's CPU in 0.5 s, shared cores or not


def test_a_vanished_process_counts_for_nothing() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert _wait._tree_usage(proc.pid) == (0, False)
