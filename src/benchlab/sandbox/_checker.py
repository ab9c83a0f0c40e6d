"""The checker: the one process whose word makes a program pass.

For a Python job with tests, the fork server forks this checker instead of
the program. The checker forks the program (confined as every program is,
see _child.py) and only then reads the tests, straight from the server's
input, so neither the program nor the server that forks later programs ever
holds them. It runs the tests itself, in its own process, with every name of
the program standing for a `Remote` (see _rpc.py), and reports on the
server's status pipe, which the program never had: `passed` only when the
tests ran to their end, no exception left them, and the program answered
every question it was asked.

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
READ_MARK = "read;"  # written once the tests are read: the server's input is in step again


class Connection:
    """The checker's end of the wire to the program, and whether it ever broke."""

    def __init__(self, requests: int, replies: int) -> None:
        self.requests = requests
        self.replies = replies
        self.broken = ""  # why the program stopped answering, once it did

    def ask(self, request: dict[str, Any]) -> Any:
        if self.broken:
            raise _rpc.RemoteExit(self.broken)
        try:
            _rpc.send(self.requests, request)
            reply = _rpc.receive(self.replies)
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


def run(
    req: dict[str, Any], fds: tuple[int, int, int, int, int | None], ctx: dict[str, Any]
) -> None:
    """In the checker (forked by the server): fork the program, read the tests, judge."""
    stdin_fd, out_fd, err_fd, status_fd, ruleset = fds
    libc = ctx["libc"]
    os.setsid()
    libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)  # no same-uid ptrace or /proc/PID/mem of this one
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    requests_r, requests_w = os.pipe()
    replies_r, replies_w = os.pipe()
    program_status_r, program_status_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the program; it never sees the tests, which are not read yet
        try:
            rpc = {_rpc.REQUEST_FD: requests_r, _rpc.REPLY_FD: replies_w}
            _child.enter(req, (stdin_fd, out_fd, err_fd, program_status_w, ruleset), ctx, rpc)
            _child.run_python(req["code"], serve=True)
        finally:
            os._exit(_child.EXIT_SETUP)
    # The program keeps SIGPIPE as a normal program has it (the server's default); the
    # checker must not die of it when it asks a program that has just exited: the write then
    # fails with BrokenPipeError, which `Connection.ask` reads as the program's end (a fail).
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    for fd in (requests_r, replies_w, program_status_w, stdin_fd):
        os.close(fd)
    if ruleset is not None:
        os.close(ruleset)
    frame = _child_frame()  # the tests, from the server's input
    os.write(status_fd, READ_MARK.encode())
    # From here on nothing the tests do may reach the server's pipes: what they print is the
    # job's output, and they read nothing (the server's input holds the next job).
    null = os.open(os.devnull, os.O_RDONLY)
    for target, fd in ((0, null), (1, out_fd), (2, err_fd)):
        os.dup2(fd, target)
    for fd in (null, out_fd, err_fd):
        if fd > 2:
            os.close(fd)
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 (the process ends with them)
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    _limit(req["limits"], ctx)
    conn = Connection(requests_w, replies_r)
    outcome = _judge(frame, conn)
    os.close(requests_w)  # the program's loop ends on end of input
    program = _finish(pid, program_status_r)
    if conn.broken and program:
        outcome = program  # the program said why it stopped answering: a failure of its own kind
    elif conn.broken:
        sys.stderr.write(f"{conn.broken}\n")
    if program == "setup_error":
        outcome = "setup_error"
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os.write(status_fd, outcome.encode())
    os._exit(0 if outcome == "passed" else 1)


def _limit(limits: dict[str, Any], ctx: dict[str, Any]) -> None:
    """CPU and memory caps as the program has: answers it sends are bounded, not its copies."""
    import resource

    cpu = int(limits["cpu"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    if limits.get("memory"):
        cap = int(limits["memory"]) + ctx["base_vm"]
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))


def _child_frame() -> str:
    frame = _rpc.read_frame(0)
    if frame is None:
        os._exit(_child.EXIT_SETUP)
    return str(frame["check"])


def _judge(check: str, conn: Connection) -> str:
    try:
        tests = compile(check, "tests.py", "exec")
    except (SyntaxError, ValueError) as exc:
        sys.stderr.write(f"the tests do not compile: {exc}\n")
        return "check_error"
    linecache.cache["tests.py"] = (len(check), None, check.splitlines(True), "tests.py")
    namespace: dict[str, Any] = {"__name__": "tests", "__builtins__": builtins}
    try:
        for name, value in conn.ask({"op": "names"}):
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


def _finish(pid: int, status_fd: int) -> str:
    """Stop the program (its work is done) and return what it said about itself, if anything.

    It leaves by itself once its input ends; a moment is allowed for that, so
    that what it printed last is flushed, then whatever is left is killed.
    """
    import select

    with contextlib.suppress(OSError):
        pidfd = os.pidfd_open(pid)
        select.select([pidfd], [], [], 0.2)
        os.close(pidfd)
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
    os.set_blocking(status_fd, False)
    try:
        said = os.read(status_fd, 128).decode(errors="replace")
    except (BlockingIOError, OSError):
        said = ""
    said = _child.said(said)
    return said if said in _child.OUTCOMES_SAID else ""


def _print_traceback() -> None:
    """The traceback of the tests' own frames: the checker's and the wire's are noise."""
    kind, value, tb = sys.exc_info()
    frames = [f for f in traceback.extract_tb(tb) if f.filename == "tests.py"]
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames) + traceback.format_exception_only(kind, value)
    sys.stderr.write("".join(lines))
