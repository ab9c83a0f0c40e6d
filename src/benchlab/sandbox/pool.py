"""The local executor: warm fork servers, one job computing per core, fed from one queue.

Each worker slot is a thread that owns one fork server and runs one program
at a time on it, and a program that kills its server (or wedges it) costs
only its own execution: the slot starts a fresh server for the next one.
Threads rather than asyncio so that the same pool serves the engine's event
loop (`await run(job)`), plain scripts and benchmarks (`run_many`), and a
Ray actor, alike.

Cores and slots are counted apart. A slot needs one of `workers` core
tokens to take a job, and gives it back as soon as its server says the
program is only waiting (asleep, blocked on a read: see _wait.IDLE_AFTER),
so a program that sits on its time-out no longer keeps a core idle: another
slot (started on demand, up to `in_flight`) takes the next job meanwhile.
A program that computes keeps its token until it ends or is killed, by its
CPU-time limit or its wall-clock time-out, whichever comes first.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import queue
import select
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

from benchlab.sandbox.isolation import (
    BACKENDS,
    Isolation,
    available,
    home_plan,
    launch_command,
    mount_namespace,
    namespaces_for,
    scrubbed_env,
)
from benchlab.sandbox.job import ExecResult, Job

DEFAULT_PRELOAD = (
    "typing",
    "math",
    "cmath",
    "re",
    "string",
    "collections",
    "itertools",
    "functools",
    "operator",
    "heapq",
    "bisect",
    "array",
    "copy",
    "hashlib",
    "random",
    "statistics",
    "fractions",
    "decimal",
    "json",
    "datetime",
    "dataclasses",
    "enum",
    "textwrap",
    "unicodedata",
    "traceback",
)
_START_TIMEOUT = 30.0
_MAX_SLOTS = 64  # the slot number is part of the program's uid (see _Worker.start)
_SLOT_MEMORY = 1 << 30  # what a slot is reserved when its jobs have no memory limit
_GRACE = 5.0  # beyond a job's own timeout, before its server is presumed wedged


class SandboxError(RuntimeError):
    """The sandbox itself failed (a worker would not start); not the program's fault."""

    error_kind = "sandbox"  # the attempt is an error of this kind, never a fail


class _Worker:
    """One fork server process and the pipes to it."""

    def __init__(self, slot: int, config: dict[str, Any], env: Mapping[str, str]) -> None:
        self.slot = slot
        self.config = config
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None
        self.log: IO[bytes] | None = None
        self.isolation: Isolation | None = None
        self.crashed = False  # the server stopped on a traceback of its own
        self.last_words = ""  # the last line it wrote to stderr before it stopped
        self._pending = bytearray()  # read from the server past the last frame

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, backend: str) -> Isolation:
        self.stop()
        # As root, each slot runs its programs under a uid of its own, under every backend:
        # no access to anyone's files or processes (other slots' folders included), and a
        # process cap that binds (root is exempt from RLIMIT_NPROC).
        root = os.geteuid() == 0
        uid = 100_000_000 + os.getpid() * 64 + self.slot if root else None
        config = {
            **self.config,
            "workroot": os.path.join(self.config["workroot"], f"s{self.slot}"),
            "backend": backend,
            "namespaces": namespaces_for(backend),
            "uid": uid,
        }
        if root and backend == "unshare":  # the view bwrap gives, so the uid reaches its tools
            config["private_home"] = home_plan(self.env)
            config["host_mount_ns"] = mount_namespace()
        self.log = tempfile.TemporaryFile(prefix="benchlab-worker-")  # noqa: SIM115 (kept open)
        self.proc = subprocess.Popen(
            launch_command(backend, config, self.env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=dict(self.env),
            bufsize=0,
            start_new_session=True,
        )
        ready = self.request(None, _START_TIMEOUT)
        if not ready or not ready.get("ready"):
            reason = self.log_tail() or "no reply"
            self.stop()
            raise SandboxError(f"{backend} worker did not start: {reason}")
        self.isolation = Isolation.from_report(ready["isolation"])
        return self.isolation

    def request(
        self,
        frame: dict[str, Any] | None,
        timeout: float,
        *more: dict[str, Any] | None,
        on_waiting: Callable[[], None] | None = None,
    ) -> dict[str, Any] | None:
        """Send frames (None: just read) and wait for the one reply; None if the server died.

        A `waiting` notice the server sends before the reply (the program is
        only waiting) goes to `on_waiting`.
        """
        import json

        proc = self.proc
        assert proc is not None and proc.stdin is not None and proc.stdout is not None
        deadline = time.monotonic() + timeout
        try:
            out = b""
            for each in (frame, *more):
                if each is not None:
                    data = json.dumps(each).encode()
                    out += struct.pack(">I", len(data)) + data
            view = memoryview(out)
            while view:  # all frames in one write, as a rule
                view = view[proc.stdin.write(view) or 0 :]
            while True:
                body = self._frame(proc.stdout.fileno(), deadline)
                if body is None:
                    return None
                reply: dict[str, Any] = json.loads(body)
                if not reply.get("waiting"):
                    return reply
                if on_waiting is not None:
                    on_waiting()
        except (BrokenPipeError, ConnectionResetError):
            return None

    def _frame(self, fd: int, deadline: float) -> bytes | None:
        """The next frame's body; None at end of input or past the deadline.

        Each read takes what the pipe holds (a whole reply, usually); bytes of
        the next frame wait in `_pending`, which only this slot's thread uses.
        """
        pending = self._pending
        size: int | None = None
        while size is None or len(pending) < 4 + size:
            if size is None and len(pending) >= 4:
                size = struct.unpack_from(">I", pending)[0]
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return None
            pending += chunk
        body = bytes(pending[4 : 4 + size])
        del pending[: 4 + size]
        return body

    def log_tail(self) -> str:
        if self.log is None:
            return ""
        self.log.seek(0)
        lines = self.log.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else ""

    def kill_leftovers(self) -> None:
        """After a server died: its namespaces took their processes along, a uid can do the same.

        Without a pid namespace, processes the program started outlive the
        server; when they run under the slot's own uid, `kill -1` as that uid
        reaches exactly them.
        """
        uid = self.isolation.uid if self.isolation is not None else None
        if uid is not None and "pid" not in self.isolation.namespaces:  # type: ignore[union-attr]
            subprocess.run(["kill", "-KILL", "-1"], user=uid, check=False, capture_output=True)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        self.crashed = False
        self._pending.clear()
        if proc is not None:
            if proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()  # the server exits on end of input
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        if self.log is not None:
            if proc is not None and proc.returncode:
                self.log.seek(0)
                words = self.log.read().decode(errors="replace")
                self.crashed = "Traceback (most recent call last)" in words
                self.last_words = words.strip().splitlines()[-1] if words.strip() else ""
            self.log.close()
            self.log = None


_Item = tuple[Job, "concurrent.futures.Future[ExecResult]"] | None


def _memory_dir() -> str | None:
    """A folder in memory for the job folders (/dev/shm), or None for the usual temp folder.

    Each job gets two fresh folders, removed after it; on a disk mounted with
    `discard` every removal waits for the device (2 ms a folder measured here,
    as long as the rest of a short job), in memory it costs nothing. Only a
    tmpfs with bwrap's room for its private /tmp (1 GiB free) is used: a
    small one (a container's 64 MB /dev/shm) would fail programs that write
    what a disk would hold.
    """
    path = "/dev/shm"
    try:
        stat = os.statvfs(path)
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as fh:
            kinds = {fields[1]: fields[2] for fields in (line.split() for line in fh)}
    except OSError:
        return None
    if kinds.get(path) != "tmpfs" or not os.access(path, os.W_OK | os.X_OK):
        return None
    return path if stat.f_bavail * stat.f_frsize >= 1 << 30 else None


def _available_memory() -> int:
    """The kernel's estimate of memory available without swapping (0 if it cannot say)."""
    try:
        with open("/proc/meminfo", "rb") as fh:
            for line in fh:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class LocalExecutor:
    """Runs jobs in warm, isolated fork servers on this machine, `workers` computing at a time.

    `workers` (default: the cores) bounds the programs that compute at once;
    `in_flight` (default 4x that, at least 8, at most 64) bounds those
    started, waiting ones included: each waiting one holds a fork server, not
    a core (see the module's docstring).

    `isolation` is `auto` (the strongest backend that starts), or one of
    bwrap / unshare / none to insist on it (a SandboxError if it cannot start).
    `landlock=False` and `seccomp=False` leave those layers out (to see what the
    weakest fallback still enforces). Workers start on first use; `close()`
    (or `aclose()`) stops them.
    """

    name = "local"

    def __init__(
        self,
        workers: int | None = None,
        *,
        isolation: str = "auto",
        preload: Iterable[str] = DEFAULT_PRELOAD,
        landlock: bool = True,
        seccomp: bool = True,
        env: Mapping[str, str] | None = None,
        in_flight: int | None = None,
    ) -> None:
        if isolation != "auto" and isolation not in BACKENDS:
            raise ValueError(f"unknown isolation {isolation!r} (use auto, {', '.join(BACKENDS)})")
        self.workers = min(_MAX_SLOTS, max(1, workers or os.cpu_count() or 1))
        wanted = in_flight if in_flight is not None else max(4 * self.workers, 8)
        self.in_flight = min(_MAX_SLOTS, max(self.workers, wanted))
        self._cores = threading.Semaphore(self.workers)
        self._busy = 0  # slots running a job
        self._waiting = 0  # of which, jobs that gave their core back
        self.requested = isolation
        self.env = scrubbed_env(env)
        self._config = {
            "preload": list(preload),
            "landlock": landlock,
            "seccomp": seccomp,
            "workroot": "",
        }
        self._queue: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._backend: str | None = None
        self._isolation: Isolation | None = None
        self._workroot: tempfile.TemporaryDirectory[str] | None = None
        self._ids = 0
        self.restarts = 0
        self._closed = False

    # --- lifecycle ---------------------------------------------------------------------------
    @property
    def isolation(self) -> Isolation:
        """What the workers really run with (starts the pool if it has not started)."""
        self.start()
        assert self._isolation is not None
        return self._isolation

    def start(self) -> None:
        with self._lock:
            if self._closed:
                raise SandboxError("the executor is closed")
            if self._threads:
                return
            first = self._first_worker()
            for slot in range(self.workers):
                self._add_slot(first if slot == 0 else None)

    def _add_slot(self, worker: _Worker | None = None) -> None:
        """Start one more slot thread (under `_lock`); its server starts in that thread."""
        slot = len(self._threads)
        thread = threading.Thread(
            target=self._serve,
            args=(worker or _Worker(slot, self._worker_config(), self.env),),
            name=f"benchlab-sandbox-{slot}",
            daemon=True,
        )
        self._threads.append(thread)
        thread.start()

    def _more_slots(self, memory: int | None) -> None:
        """A job went waiting and gave its core back: make sure a slot is free to use it.

        Waiting jobs come in bursts (a suite's many samples of one problem) and
        a server takes a while to start, so as many start together as the
        queue could use if every job now waiting were joined by as many again.
        Each new slot needs the machine to have a job's memory limit (`memory`,
        1 GiB when unlimited) still available: a waiting program may hold all
        of its own, and the next one may take as much.
        """
        with self._lock:
            self._waiting += 1
            free = len(self._threads) - self._busy
            wanted = max(1, min(self._queue.qsize(), self.workers + self._waiting))
            if self._closed or free >= wanted or len(self._threads) >= self.in_flight:
                return
            room = _available_memory() // (memory or _SLOT_MEMORY)
            while free < wanted and len(self._threads) < self.in_flight and room > 0:
                self._add_slot()
                free += 1
                room -= 1

    def _worker_config(self) -> dict[str, Any]:
        return dict(self._config)

    def _first_worker(self) -> _Worker:
        """Start slot 0 with the requested backend, or in `auto` the first that works."""
        candidates = BACKENDS if self.requested == "auto" else (self.requested,)
        errors: list[str] = []
        for backend in candidates:
            if not available(backend):
                errors.append(f"{backend}: not installed")
                continue
            self._config["workroot"] = self._workroot_for(backend)
            worker = _Worker(0, self._worker_config(), self.env)
            try:
                self._isolation = worker.start(backend)
            except (SandboxError, OSError) as exc:
                errors.append(str(exc))
                continue
            self._backend = backend
            return worker
        raise SandboxError("no sandbox backend started: " + "; ".join(errors))

    def _workroot_for(self, backend: str) -> str:
        if backend == "bwrap":
            return "/tmp/benchlab"  # the sandbox's own private /tmp
        if self._workroot is None:
            self._workroot = tempfile.TemporaryDirectory(
                prefix="benchlab-sandbox-", dir=_memory_dir()
            )
            os.chmod(self._workroot.name, 0o755)
        return os.path.join(self._workroot.name, "w")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            threads, self._threads = self._threads, []
        for _ in threads:
            self._queue.put(None)
        for thread in threads:
            thread.join()
        while True:  # jobs submitted after the workers left
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[1].cancel()
        if self._workroot is not None:
            self._workroot.cleanup()
            self._workroot = None

    async def aclose(self) -> None:
        await asyncio.to_thread(self.close)

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- running -----------------------------------------------------------------------------
    def submit(self, job: Job) -> concurrent.futures.Future[ExecResult]:
        self.start()
        future: concurrent.futures.Future[ExecResult] = concurrent.futures.Future()
        self._queue.put((job, future))
        return future

    async def run(self, job: Job) -> ExecResult:
        if not self._threads:
            await asyncio.to_thread(self.start)  # the first worker's start stays off the loop
        return await asyncio.wrap_future(self.submit(job))

    def run_many(self, jobs: Iterable[Job]) -> list[ExecResult]:
        """Run jobs on all workers at once; results in the jobs' order."""
        futures = [self.submit(job) for job in jobs]
        return [f.result() for f in futures]

    def _serve(self, worker: _Worker) -> None:
        if not worker.alive and self._backend is not None:
            # Warm up now, in parallel with the other slots, not when the first job arrives;
            # a failure here is retried (and reported) by that job.
            with contextlib.suppress(SandboxError, OSError):
                worker.start(self._backend)
        try:
            while True:
                self._cores.acquire()
                item = self._queue.get()
                if item is None:
                    self._cores.release()
                    return
                job, future = item
                if not future.set_running_or_notify_cancel():
                    self._cores.release()
                    continue
                holding = [True]

                def waiting(holding: list[bool] = holding, job: Job = job) -> None:
                    if holding[0]:
                        holding[0] = False
                        self._cores.release()
                        self._more_slots(job.limits.memory)

                with self._lock:
                    self._busy += 1
                try:
                    future.set_result(self._execute(worker, job, waiting))
                except BaseException as exc:
                    future.set_exception(exc)
                finally:
                    with self._lock:
                        self._busy -= 1
                        self._waiting -= not holding[0]
                    if holding[0]:
                        self._cores.release()
        finally:
            worker.stop()

    def _execute(
        self, worker: _Worker, job: Job, waiting: Callable[[], None] | None = None
    ) -> ExecResult:
        """Run one job; a server that fails on its own (not the program's doing) gets one retry.

        A fork that fails, a full disk, a server that died between jobs: none
        of these is the program's fault, so the job runs again on a fresh
        server once before the failure is reported as the sandbox's.
        """
        result = self._execute_once(worker, job, waiting)
        if result is None:
            result = self._execute_once(worker, job, waiting)
        if result is None:
            raise SandboxError(f"sandbox server failed twice: {worker.last_words or 'no reply'}")
        return result

    def _execute_once(
        self, worker: _Worker, job: Job, waiting: Callable[[], None] | None
    ) -> ExecResult | None:
        if not worker.alive:
            assert self._backend is not None
            if worker.isolation is not None:
                self.restarts += 1
            worker.start(self._backend)
        assert worker.isolation is not None
        label = worker.isolation.label()
        with self._lock:
            self._ids += 1
            job_id = self._ids
        started = time.monotonic()
        frame = {**job.wire(job_id, self.env), "notify_idle": waiting is not None}
        reply = worker.request(
            frame, job.limits.timeout + _GRACE, job.check_frame(), on_waiting=waiting
        )
        if reply is None:
            # The server died or wedged: this execution fails, the slot restarts. Whose fault
            # it was decides between a retry and a verdict on the program.
            worker.stop()
            worker.kill_leftovers()
            elapsed = (time.monotonic() - started) * 1000.0
            timed_out = elapsed >= job.limits.timeout * 1000.0
            if worker.crashed:  # a traceback of its own: the server failed, not the program
                return None
            if not timed_out and worker.isolation.uid is not None:
                # Under a uid of its own the program cannot signal the server (root's), so a
                # server that vanished died of something else: not the program's fault.
                return None
            return ExecResult(
                outcome="timeout" if timed_out else "runtime_error",
                exit_code=None,
                duration_ms=elapsed,
                stderr="" if timed_out else "the program killed its sandbox worker\n",
                isolation=label,
                detail=f"worker restarted; its last words: {worker.last_words or '-'}",
            )
        if reply.get("outcome") == "setup_error":
            raise SandboxError(f"sandbox setup failed: {reply.get('stderr', '').strip()}")
        if reply.get("outcome") == "check_error":  # the tests are broken, not the program
            raise SandboxError(f"the tests could not run: {reply.get('stderr', '').strip()}")
        if reply.get("outcome") == "server_error":
            words = str(reply.get("stderr", "")).strip().splitlines()
            worker.last_words = words[-1] if words else "server error"
            worker.stop()
            return None
        return ExecResult.from_wire(reply, label)
