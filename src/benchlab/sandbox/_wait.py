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
# A job still running after IDLE_AFTER seconds is sampled every IDLE_TICK seconds; once its
# processes used at most one clock tick of CPU over a sample and none of them is runnable,
# it is waiting (asleep, blocked on a read), and `on_idle` tells the pool so, which lets it
# start another job: a program that waits on its time-out must not keep a core idle.
IDLE_AFTER = 0.1
IDLE_TICK = 0.05
_READ = 65536
_VERDICT = 4096  # what is kept of a checker's verdict (an outcome and why the wire broke)
# Once the checker has judged, the program (told so by the end of its input) has this long
# to leave by itself, flushing what it printed last; then it is stopped.
VERDICT_GRACE = 0.2
_DRAIN_READS = 64  # at most this many reads per pipe when a settled job is drained


class Waiter:
    """Wait for one child while reading its pipes; kill its group at the deadline.

    `fds` are its stdout and stderr (capped at `cap`), then small status
    pipes. With `verdict` (the index of the checker's verdict pipe) the job is
    over only once that pipe has ended too, however early the program left;
    and once it has, the program gets VERDICT_GRACE to leave by itself before
    it is stopped (its work is done: that is no timeout). `roots` are more
    processes whose computing keeps the job from counting as idle (the
    checker, which runs the tests).

    With `settle`, a verdict it accepts (given while the program still runs)
    ends the wait at once: what the pipes hold is read, the program's usage
    is read from /proc, and `settled` tells the caller that stopping the
    program is left to it. Waiting for the program's own exit (the kernel
    tearing down its copy of the server's memory) costs a millisecond per
    job, which the caller can spend after its reply instead of before it.
    """

    def __init__(
        self,
        pid: int,
        fds: tuple[int, ...],
        cap: int,
        sweep: Callable[[], None],
        on_idle: Callable[[], None] | None = None,
        *,
        verdict: int | None = None,
        roots: tuple[int, ...] = (),
        settle: Callable[[bytes], bool] | None = None,
    ) -> None:
        self.pid = pid
        self.sweep = sweep
        self.on_idle = on_idle
        self.fds = fds
        self.cap = cap
        self.buffers = tuple(bytearray() for _ in fds)
        self.totals = [0, 0]
        self.verdict = verdict
        self.roots = roots
        self.ended: set[int] = set()  # indexes of the pipes read to their end
        self.settle = settle
        self.settled = False  # returned on the verdict, the program still to be stopped
        self.usage: tuple[float | None, int | None] = (None, None)  # cpu ms, peak RSS kB

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
        judged: float | None = None if self.verdict is not None else 0.0  # when it ended
        watch = _IdleWatch(self.pid, self.roots) if self.on_idle is not None else None
        try:
            while open_fds or status is None:
                now = time.monotonic()
                if status is None and judged and now >= judged + VERDICT_GRACE:
                    poller.unregister(pidfd)  # judged, and lingering: stopped, not timed out
                    status, rusage = self._stop()
                    hard_stop = min(deadline, time.monotonic() + DRAIN_SECONDS)
                    continue
                remaining = hard_stop - now
                if remaining <= 0:
                    if status is None or judged is None:
                        timed_out = True
                    if status is None:
                        status, rusage = self._stop()
                    break
                if status is None and judged:
                    remaining = min(remaining, judged + VERDICT_GRACE - now)
                if watch is not None and status is None:
                    if watch.idle(now):
                        watch = None
                        self.on_idle()  # type: ignore[misc]
                    else:
                        remaining = min(remaining, watch.next_sample - now)
                for fd, _ in poller.poll(max(1, int(remaining * 1000) + 1)):
                    if fd == pidfd:
                        poller.unregister(pidfd)
                        self._kill_group()  # stragglers holding the pipes die with the leader
                        status, rusage = _wait4(self.pid)
                        self.sweep()  # and so do escaped ones, re-parented to us by now
                        if judged is not None:
                            hard_stop = min(deadline, time.monotonic() + DRAIN_SECONDS)
                    else:
                        index = open_fds[fd]
                        self._read(fd, open_fds, poller)
                        if index == self.verdict and fd not in open_fds:
                            judged = time.monotonic()
                            if status is not None:
                                hard_stop = min(deadline, judged + DRAIN_SECONDS)
                            elif self.settle and self.settle(bytes(self.buffers[index])):
                                self.usage = _usage(self.pid)
                                self._drain(open_fds)
                                self.settled = True
                                return None, None, False
        finally:
            os.close(pidfd)
            for fd in self.fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
        return status, rusage, timed_out

    def _drain(self, open_fds: dict[int, int]) -> None:
        """Read what the pipes hold now, without waiting for their end (the program still runs).

        Bounded: a program writing on after its verdict cannot keep us here.
        """
        for fd in list(open_fds):
            ready = select.poll()
            ready.register(fd, select.POLLIN)
            for _ in range(_DRAIN_READS):
                if fd not in open_fds or not ready.poll(0):
                    break
                self._read(fd, open_fds, None)

    def _stop(self) -> tuple[int, Any]:
        self._kill_group()
        found = _wait4(self.pid)
        self._kill_group()
        return found

    def _read(self, fd: int, open_fds: dict[int, int], poller: select.poll | None) -> None:
        data = os.read(fd, _READ)
        index = open_fds[fd]
        if not data:
            if poller is not None:
                poller.unregister(fd)
            del open_fds[fd]
            self.ended.add(index)
            return
        buf = self.buffers[index]
        if index < 2:
            self.totals[index] += len(data)
            room = self.cap - len(buf)
            if room > 0:
                buf += data[:room]
        elif len(buf) < (_VERDICT if index == self.verdict else 128):
            buf += data

    def _kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)


class _IdleWatch:
    """Whether one job's processes (the child and all its descendants) have stopped computing."""

    def __init__(self, pid: int, roots: tuple[int, ...] = ()) -> None:
        self.pid = pid
        self.roots = roots
        self.next_sample = time.monotonic() + IDLE_AFTER
        self.ticks: int | None = None

    def idle(self, now: float) -> bool:
        if now < self.next_sample:
            return False
        self.next_sample = now + IDLE_TICK
        ticks, running = _tree_usage(self.pid)
        for root in self.roots:
            more, busy = _tree_usage(root)
            ticks, running = ticks + more, running or busy
        before, self.ticks = self.ticks, ticks
        return before is not None and not running and ticks - before <= 1


def _tree_usage(pid: int) -> tuple[int, bool]:
    """CPU clock ticks used so far by `pid` and its live descendants, and whether any is runnable.

    Read from /proc (children through every thread's `children` list); a
    process that vanishes while being read simply counts for nothing.
    """
    ticks = 0
    running = False
    todo = [pid]
    seen: set[int] = set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            with open(f"/proc/{current}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            tids = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        running = running or fields[0] == b"R"
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (all threads)
        for tid in tids:
            try:
                with open(f"/proc/{current}/task/{tid}/children", "rb") as fh:
                    todo.extend(int(child) for child in fh.read().split())
            except (OSError, ValueError):
                continue
    return ticks, running


def _usage(pid: int) -> tuple[float | None, int | None]:
    """CPU ms and peak RSS kB of a process not yet reaped, from /proc (None where unreadable).

    The CPU time sums its live threads' run time (nanoseconds, schedstat); the
    peak RSS is there only while the process has its memory (it has not begun to exit).
    """
    cpu: float | None = None
    try:
        total = 0
        for tid in os.listdir(f"/proc/{pid}/task"):
            total += int(_read(f"/proc/{pid}/task/{tid}/schedstat").split()[0])
        cpu = round(total / 1e6, 3)
    except (OSError, ValueError, IndexError):
        pass
    peak: int | None = None
    try:
        status = _read(f"/proc/{pid}/status")
        start = status.index(b"VmHWM:")
        peak = int(status[start : status.index(b"\n", start)].split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return cpu, peak


def _read(path: str) -> bytes:
    """A small /proc file in one read (no buffered file object: this runs once per job)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, 1 << 16)
    finally:
        os.close(fd)


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
