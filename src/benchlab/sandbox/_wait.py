"""Waiting for one program: its pipes read and capped, its deadline kept, its verdict made.

Split from _server.py, which imports it by path inside the sandbox (standard
library only). The verdict trusts the harness's word on the status pipe only
when the exit code agrees with it, because the program could write there too.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time
from collections.abc import Callable
from typing import Any

DRAIN_SECONDS = 0.5
_READ = 65536


class Waiter:
    """Wait for one child while reading its pipes; kill its group at the deadline."""

    def __init__(
        self, pid: int, fds: tuple[int, int, int], cap: int, sweep: Callable[[], None]
    ) -> None:
        self.pid = pid
        self.sweep = sweep
        self.fds = fds
        self.cap = cap
        self.buffers = (bytearray(), bytearray(), bytearray())
        self.totals = [0, 0]

    def wait(self, deadline: float) -> tuple[int | None, Any, bool]:
        pidfd = os.pidfd_open(self.pid)
        poller = select.poll()
        open_fds = {fd: i for i, fd in enumerate(self.fds)}
        for fd in (*open_fds, pidfd):
            poller.register(fd, select.POLLIN)
        status: int | None = None
        rusage: Any = None
        timed_out = False
        hard_stop = deadline
        try:
            while open_fds or status is None:
                remaining = hard_stop - time.monotonic()
                if remaining <= 0:
                    if status is None:
                        timed_out = True
                        self._kill_group()
                        status, rusage = _wait4(self.pid)
                        self._kill_group()
                    break
                for fd, _ in poller.poll(max(1, int(remaining * 1000) + 1)):
                    if fd == pidfd:
                        poller.unregister(pidfd)
                        self._kill_group()  # stragglers holding the pipes die with the leader
                        status, rusage = _wait4(self.pid)
                        self.sweep()  # and so do escaped ones, re-parented to us by now
                        hard_stop = min(deadline, time.monotonic() + DRAIN_SECONDS)
                    else:
                        self._read(fd, open_fds, poller)
        finally:
            os.close(pidfd)
            for fd in self.fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
        return status, rusage, timed_out

    def _read(self, fd: int, open_fds: dict[int, int], poller: select.poll) -> None:
        data = os.read(fd, _READ)
        index = open_fds[fd]
        if not data:
            poller.unregister(fd)
            del open_fds[fd]
            return
        buf = self.buffers[index]
        if index < 2:
            self.totals[index] += len(data)
            room = self.cap - len(buf)
            if room > 0:
                buf += data[:room]
        elif len(buf) < 128:
            buf += data

    def _kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)


def _wait4(pid: int) -> tuple[int, Any]:
    _, status, rusage = os.wait4(pid, 0)
    return status, rusage


def verdict(
    *,
    status: int | None,
    rusage: Any,
    timed_out: bool,
    reported: str,
    stdout: bytes,
    stderr: bytes,
    totals: list[int],
    duration_ms: float,
    kind: str,
) -> dict[str, Any]:
    exit_code = os.waitstatus_to_exitcode(status) if status is not None else None
    sig = -exit_code if exit_code is not None and exit_code < 0 else None
    err_text = stderr.decode(errors="replace")
    if timed_out or sig == signal.SIGXCPU:
        outcome = "timeout"
    elif reported and (exit_code == 0) == (reported == "passed"):
        outcome = reported
    elif _out_of_memory(err_text):
        outcome = "memory_limit"
    elif sig is not None:
        outcome = "runtime_error"
    elif kind == "exec":
        outcome = "passed" if exit_code == 0 else "failed"
    else:  # Python that left without a word from the harness: os._exit or a hard crash
        outcome = "failed" if exit_code == 0 else "runtime_error"
    if outcome == "exec_error":
        outcome = "runtime_error"
    return {
        "outcome": outcome,
        "exit_code": exit_code,
        "signal": sig,
        "duration_ms": round(duration_ms, 3),
        "cpu_ms": None
        if rusage is None
        else round((rusage.ru_utime + rusage.ru_stime) * 1000.0, 3),
        "max_rss_kb": None if rusage is None else rusage.ru_maxrss,
        "stdout": stdout.decode(errors="replace"),
        "stderr": err_text,
        "stdout_bytes": totals[0],
        "stderr_bytes": totals[1],
    }


_OOM_MARKS = (
    "MemoryError",
    "std::bad_alloc",
    "memory allocation of",
    "out of memory",
    "Cannot allocate memory",
    "heap out of memory",
)


def _out_of_memory(stderr: str) -> bool:
    tail = stderr[-4096:]
    return any(mark in tail for mark in _OOM_MARKS)
