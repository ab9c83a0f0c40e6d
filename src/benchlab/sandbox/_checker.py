"""The checker: the one process whose word makes a program pass.

Each fork server forks one checker before it runs any job, and keeps it for
job after job (one fork, one exit and one warm-up less per program than a
checker per job). For a Python job with tests, the server forks the program
(confined as every program is, see _child.py), then hands the checker the
wire to it; only then does the checker read the tests, straight from the
server's input, so neither the program nor the server that forks later
programs ever holds them. The checker runs the tests itself, in its own
process, with every name of the program standing for a `Remote` (see
_rpc.py), and gives its verdict on a pipe the program never had: `passed`
only when the tests ran to their end, no exception left them, and the
program answered every question it was asked.

The checker never runs a program's code, and a program never gets a
descriptor of it, its memory (it is not dumpable) or, under a uid of its
own, a way to signal it; a job that left it in doubt (a broken wire, a
timeout, an exception of its own) retires it, and the server forks a fresh
one for the next job.

Standard library only, imported by path inside the sandbox.
"""

from __future__ import annotations

import builtins
import contextlib
import linecache
import os
import signal
import sys
import traceback
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING or __package__:  # as part of benchlab (tests, type checking)
    from benchlab.sandbox import _child, _rpc
else:  # imported by path by the fork server, whose sys.path holds this folder then
    import _child
    import _rpc

_PR_SET_DUMPABLE = 4
_PR_SET_PDEATHSIG = 1
_TIMERS = (
    (signal.ITIMER_REAL, signal.SIGALRM),
    (signal.ITIMER_VIRTUAL, signal.SIGVTALRM),
    (signal.ITIMER_PROF, signal.SIGPROF),
)
# the tests' text -> (code object, lines for tracebacks), most recently used last
_COMPILED: dict[str, tuple[Any, list[str]]] = {}
_KEEP_COMPILED = 64
READ_MARK = "read;"  # written once the tests are read: the server's input is in step again
# Written before a verdict after which this checker will not be kept (the tests left a thread
# behind): the server, which may answer before we are gone, retires us before its next job.
LEAVING_MARK = "leaving;"


class Connection:
    """The checker's end of the wire to the program, and whether it ever broke."""

    def __init__(self, requests: int, replies: int) -> None:
        self.requests = requests
        self.replies = replies
        self.pending = bytearray()  # read from `replies` past the last answer
        self.broken = ""  # why the program stopped answering, once it did

    def names(self) -> Any:
        """The program's globals, which it sends unasked once loaded (see _child._serve)."""
        return self.ask(None)

    def ask(self, request: dict[str, Any] | None) -> Any:
        if self.broken:
            raise _rpc.RemoteExit(self.broken)
        try:
            if request is not None:
                _rpc.send(self.requests, request)
            reply = _rpc.receive(self.replies, self.pending)
        except BrokenPipeError:
            reply = None
        except _rpc.ProtocolError as exc:
            self.broken = str(exc)
            raise
        if reply is None:
            self.broken = "the program's process ended before its tests finished"
            raise _rpc.RemoteExit(self.broken)
        if not isinstance(reply, dict):
            self.broken = "the program answered out of turn"
            raise _rpc.ProtocolError(self.broken)
        if "err" in reply:
            _rpc.raise_error(reply["err"])
        try:
            return _rpc.decode(reply["ok"], self.remote)
        except (KeyError, _rpc.ProtocolError) as exc:
            self.broken = f"unreadable answer: {exc}"
            raise _rpc.ProtocolError(self.broken) from None

    def remote(self, handle: int) -> Remote:
        return Remote(self, handle)

    def send_value(self, value: Any) -> Any:
        def handle(obj: Any) -> int:
            if isinstance(obj, Remote) and obj._conn is self:
                return obj._handle
            raise CheckError(f"the tests passed a {type(obj).__name__} to the program")

        return _rpc.encode(value, handle)


class CheckError(Exception):
    """The tests themselves cannot be run: a fault of the tests, never of the program."""


class Remote:
    """An object living in the program's process: it can be called, asked, listed; not compared."""

    __slots__ = ("_conn", "_handle")

    def __init__(self, conn: Connection, handle: int) -> None:
        self._conn = conn
        self._handle = handle

    def _ask(self, op: str, **extra: Any) -> Any:
        return self._conn.ask({"op": op, "h": self._handle, **extra})

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        send = self._conn.send_value
        return self._ask("call", a=send(list(args)), k=send(dict(kwargs)))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._ask("attr", n=name)

    def __bool__(self) -> bool:
        return bool(self._ask("bool"))

    def __len__(self) -> int:
        return int(self._ask("len"))

    def __iter__(self) -> Any:
        return iter(self._ask("iter"))

    def __getitem__(self, key: Any) -> Any:
        return self._ask("item", key=self._conn.send_value(key))

    def __repr__(self) -> str:
        return f"<the program's object #{self._handle}>"


def serve(sock_fd: int, ctx: dict[str, Any]) -> None:
    """The checker's life (forked by the server before any job): judge one job after another.

    Each job arrives on `sock_fd` as a small header with the descriptors it
    needs (the wire to the program, the job's output pipes, the verdict
    pipe); its tests are read from the server's input only then, after the
    server forked the program, which therefore never holds them. Between jobs
    the checker holds no job's descriptor and writes nowhere.
    """
    import json
    import socket

    libc = ctx["libc"]
    os.setsid()
    libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)  # no same-uid ptrace or /proc/PID/mem of this one
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The checker must not die of SIGPIPE when it asks a program that has just exited: the
    # write then fails with BrokenPipeError, which `Connection.ask` reads as the program's end.
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    null = os.open(os.devnull, os.O_RDWR)
    log = os.dup(2)  # the server's log, for the checker's own failures between jobs
    source = os.dup(0)  # the server's input, where each job's tests come: never the tests'
    os.dup2(null, 0)
    os.dup2(null, 1)  # never the server's reply pipe
    keep = sorted({0, 1, 2, sock_fd, null, log, source})
    first = 0
    for fd in keep:
        if first < fd:
            os.closerange(first, fd)
        first = fd + 1
    os.closerange(first, 1024)
    sock = socket.socket(fileno=sock_fd)
    home, path = os.getcwd(), list(sys.path)
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(sock, 1 << 16, 8)
        except OSError:
            os._exit(0)
        if not data:  # the server is gone
            os._exit(0)
        if len(fds) != 5:
            os.write(log, b"checker: a job came without its descriptors\n")
            os._exit(_child.EXIT_SETUP)
        try:
            judge(json.loads(data), fds, source, null, ctx)
        finally:
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            os.dup2(null, 1)
            os.dup2(log, 2)
        if not _reset(home, path):
            os._exit(0)  # the tests left a thread behind: the next job gets a fresh checker


def _reset(home: str, path: list[str]) -> bool:
    """Undo what tests commonly change in their process; False if that cannot be undone.

    A timer the tests armed must not go off in a later job's, a folder they
    entered or an import path they added must not outlive them, and a thread
    they started could write to a later job's descriptors (the numbers are
    reused): a checker left with one is not kept.
    """
    for timer, signum in _TIMERS:
        signal.setitimer(timer, 0)  # ITIMER_REAL is alarm()'s too
        if signal.getsignal(signum) is not signal.SIG_DFL:
            signal.signal(signum, signal.SIG_DFL)
    with contextlib.suppress(OSError):
        os.chdir(home)
    sys.path[:] = path
    return _alone()


def _alone() -> bool:
    """Whether no thread the tests started is left (none can start one once none is left)."""
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() <= 1


def judge(job: dict[str, Any], fds: list[int], source: int, null: int, ctx: dict[str, Any]) -> None:
    """One job: read its tests, run them against the program, write the verdict.

    The verdict pipe carries READ_MARK once the tests are read (the server's
    input is in step again), then `outcome;why the wire broke` (empty when it
    held), after LEAVING_MARK when this checker will not judge another job.
    What the tests printed is flushed and the output pipes are off fds 1 and
    2 before the verdict is written: once the verdict pipe ends, all the
    job's output is in its pipes (the program flushes before each answer).
    """
    requests, replies, out_fd, err_fd, verdict_fd = fds
    frame = _child_frame(source)  # the tests, from the server's input
    os.write(verdict_fd, READ_MARK.encode())
    # Nothing the tests do may reach the server's pipes: what they print is the job's
    # output, and they read nothing (fd 0 is /dev/null: the server's input holds the next job).
    os.dup2(out_fd, 1)
    os.dup2(err_fd, 2)
    sys.stdout, sys.stderr = _streams()
    limited = _limit(job.get("memory"), ctx)
    conn = Connection(requests, replies)
    try:
        outcome = _judge(frame, conn)
    finally:
        if limited:
            _unlimit()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    _flush_streams()
    os.dup2(null, 1)
    os.dup2(null, 2)
    leaving = "" if _alone() else LEAVING_MARK
    os.write(verdict_fd, f"{leaving}{outcome};{conn.broken}".encode(errors="replace"))
    # Only now does the program's loop see the end of its input: the server, woken by the
    # verdict, finds it still waiting (its usage readable) and stops it itself.
    os.close(requests)
    fds[0] = -1  # not closed twice by `serve` (the number may be reused by then)


_STREAMS: list[Any] = []  # this checker's sys.stdout and sys.stderr, on fds 1 and 2


def _streams() -> tuple[Any, Any]:
    """Text streams on fds 1 and 2 (the job's output pipes by now), made once, kept while whole.

    They write to whatever fds 1 and 2 are, so they serve job after job; a
    pair the last tests closed or detached, or that could not be flushed
    (see `_flush_streams`), is made anew.
    """
    if not _STREAMS:
        _STREAMS[:] = [open(fd, "w", closefd=False) for fd in (1, 2)]  # noqa: SIM115
    return _STREAMS[0], _STREAMS[1]


def _flush_streams() -> None:
    """Everything the tests wrote to our streams, out before fds 1 and 2 leave the job's pipes.

    A stream that cannot be emptied (closed, detached, its pipe gone) is
    dropped: what it still holds must never reach a later job's output.
    """
    for stream in _STREAMS:
        try:
            stream.flush()
        except (OSError, ValueError):
            _STREAMS.clear()
            return


def _limit(memory: int | None, ctx: dict[str, Any]) -> bool:
    """A memory cap as the program has, for this job: answers it sends are bounded, not its copies.

    Only the soft limit moves (the hard one could not come back up); the
    wall-clock deadline, which the server keeps, bounds the checker's time.
    True if a cap was set (for `_unlimit`).
    """
    import resource

    if not memory:
        return False
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = int(memory) + ctx["vm_bytes"]()
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    return True


def _unlimit() -> None:
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    resource.setrlimit(resource.RLIMIT_DATA, (hard, hard))


def _child_frame(source: int) -> str:
    frame = _rpc.read_frame(source)
    if frame is None:
        os._exit(_child.EXIT_SETUP)
    return str(frame["check"])


def _compiled(check: str) -> tuple[Any, list[str]]:
    """The tests' code object and lines, made once per text: a suite's samples share their tests."""
    tests = _COMPILED.pop(check, None)
    if tests is None:
        tests = (compile(check, "tests.py", "exec"), check.splitlines(True))
        while len(_COMPILED) >= _KEEP_COMPILED:
            del _COMPILED[next(iter(_COMPILED))]  # the least recently used
    _COMPILED[check] = tests
    return tests


def _judge(check: str, conn: Connection) -> str:
    try:
        tests, lines = _compiled(check)
    except (SyntaxError, ValueError) as exc:
        sys.stderr.write(f"the tests do not compile: {exc}\n")
        return "check_error"
    linecache.cache["tests.py"] = (len(check), None, lines, "tests.py")
    namespace: dict[str, Any] = {"__name__": "tests", "__builtins__": builtins}
    try:
        for name, value in conn.names():
            namespace[str(name)] = value
        exec(tests, namespace)
    except AssertionError:
        _print_traceback()
        outcome = "failed"
    except CheckError as exc:
        sys.stderr.write(f"the tests cannot be run in the sandbox: {exc}\n")
        return "check_error"
    except MemoryError:
        sys.stderr.write("MemoryError\n")
        outcome = "memory_limit"
    except (_rpc.RemoteExit, _rpc.ProtocolError):
        outcome = "failed"  # `run` says why, unless the program said it first
    except BaseException:
        _print_traceback()
        outcome = "runtime_error"
    else:
        outcome = "passed"
    if conn.broken:  # the tests swallowed the program's death or garbage: still no pass
        return "failed" if outcome == "passed" else outcome
    return outcome


def _print_traceback() -> None:
    """The traceback of the tests' own frames: the checker's and the wire's are noise."""
    kind, value, tb = sys.exc_info()
    frames = [f for f in traceback.extract_tb(tb) if f.filename == "tests.py"]
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames) + traceback.format_exception_only(kind, value)
    sys.stderr.write("".join(lines))
