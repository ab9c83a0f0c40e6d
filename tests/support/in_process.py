"""`benchlab ARGS` run inside the test process, observed as if it had been a process of its own.

A fresh `python -m benchlab` pays 0.4-0.5 s of CPU for interpreter start-up and imports before
it parses a flag (a second and more of wall time on a busy 2-core machine; in the test process
a command costs 0.02-0.08 s), and the suite ran several hundred commands to check what a
command prints, stores or refuses, not how a process starts or dies. Here the real
`benchlab.cli.main()` runs with what a process would have had of its own swapped in for the
call and put back after it: argv and `__main__` (Click names the program from them: "python -m
benchlab"), the environment, the working directory, stdin/stdout/stderr, the warning filters of
a fresh interpreter (the suite turns warnings into errors; a user's process prints them), and
the exit status and traceback Python would have produced. The result is the `CompletedProcess`
that `subprocess.run(..., capture_output=True, text=True)` would have returned.

Tests about the process itself (signals, what start-up imports, `serve`, the installed
script) keep a real one: `support.runs.cli_process`.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import traceback
import types
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

# A fresh interpreter's filters (Python's `warnings` documentation, "Default Warning Filter").
_DEFAULT_FILTERS: tuple[tuple[str, type[Warning], str], ...] = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)


def run_main(
    args: tuple[str, ...], env: Mapping[str, str], cwd: Path | str | None, timeout: float
) -> subprocess.CompletedProcess[str]:
    """`main()` on `args` in the environment `env` (the whole of it, as `subprocess.run`'s
    `env=`) and the directory `cwd`; past `timeout` seconds it is stopped and TimeoutExpired
    raised, as `subprocess.run` does, so that a command that hangs fails its test."""
    import benchlab.cli

    command = [sys.executable, "-m", "benchlab", *args]
    out, err = _pipe(), _pipe(errors="backslashreplace")
    with _process_state(args, env, cwd, out, err):
        try:
            with _deadline(timeout):
                code = _status(benchlab.cli.main)
        except _Expired:
            raise subprocess.TimeoutExpired(command, timeout, _read(out), _read(err)) from None
    return subprocess.CompletedProcess(command, code, _read(out), _read(err))


class _Expired(BaseException):
    """Raised in the main thread when a command outlives its time-out; a BaseException, so
    that the command's own `except Exception` does not take it for one of its errors."""


_armed: list[bool] = []  # the deadline of the command running now, if any


def _on_watchdog(signum: int, frame: types.FrameType | None) -> None:
    if _armed:
        raise _Expired


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """A timer thread signals the main thread (SIGUSR1) when `seconds` have passed. The handler
    stays installed for good and raises only while a command runs: a signal that arrives after
    the command ended, as the timer fires, does nothing (not SIGUSR1's default, an exit)."""
    if signal.getsignal(signal.SIGUSR1) is not _on_watchdog:
        signal.signal(signal.SIGUSR1, _on_watchdog)
    main = threading.get_ident()
    timer = threading.Timer(seconds, signal.pthread_kill, (main, signal.SIGUSR1))
    timer.daemon = True
    _armed.append(True)
    timer.start()
    try:
        yield
    finally:
        _armed.clear()
        timer.cancel()


def _status(main: Callable[[], None]) -> int:
    """The exit status of the interpreter that ran `main`: SystemExit's code (a message
    printed, status 1), an uncaught exception's traceback on stderr and status 1."""
    try:
        main()
    except SystemExit as exc:
        if exc.code is None:
            return 0
        if isinstance(exc.code, int):
            return exc.code
        sys.stderr.write(f"{exc.code}\n")
        return 1
    except Exception:
        traceback.print_exc()
        return 1
    return 0


@contextmanager
def _process_state(
    args: tuple[str, ...],
    env: Mapping[str, str],
    cwd: Path | str | None,
    out: io.TextIOWrapper,
    err: io.TextIOWrapper,
) -> Iterator[None]:
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    saved = (sys.argv, sys.stdin, sys.stdout, sys.stderr, sys.modules["__main__"])
    entry = Path(sys.modules["benchlab"].__file__ or "benchlab").with_name("__main__.py")
    main_module = types.ModuleType("__main__")
    main_module.__package__ = "benchlab"
    main_module.__file__ = str(entry)
    try:
        with warnings.catch_warnings():
            warnings.resetwarnings()
            for action, category, module in reversed(_DEFAULT_FILTERS):
                warnings.filterwarnings(action, category=category, module=module)  # type: ignore[arg-type]
            os.environ.clear()
            os.environ.update(env)
            if cwd is not None:
                os.chdir(cwd)
            sys.argv = [str(entry), *args]
            sys.modules["__main__"] = main_module
            sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), out, err
            yield
    finally:
        sys.argv, sys.stdin, sys.stdout, sys.stderr, sys.modules["__main__"] = saved
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def _pipe(errors: str = "strict") -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors, write_through=True)


def _read(stream: io.TextIOWrapper) -> str:
    """What the reading end of a text-mode pipe gets: universal newlines."""
    stream.flush()
    raw = stream.buffer
    assert isinstance(raw, io.BytesIO)
    text = raw.getvalue().decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")
