"""benchlab's unittest runner for Python tasks: `{unittest} MODULE...` in a task's test command.

It runs inside the sandbox (`python -I`, copied into the job as
`.benchlab/unittest_runner.py`), so it imports nothing of benchlab. Its
report is one JSON line (reports.UNITTEST_MARKER) naming every test and how
it ended, written last, on a copy of stdout taken before any code of the
answer runs: the program's own stdout is sent to stderr, so printing a
report does not make one. What it defends against:

- exits before or during the tests (`os._exit(0)`, `sys.exit(0)` on import,
  atexit hooks): no report, or one without the tests, so the attempt fails;
- unittest patched on import (`TestCase.run` that does nothing, a loader
  that finds no tests): the classes are restored after loading, and a test
  that did not report a success is not a pass;
- a workspace module shadowing `unittest` (`python -m unittest` would run
  it): `-I` keeps the working directory off sys.path until unittest is in.

What it cannot: code of the answer shares this process, so a program
written against this runner (patching it during a test, writing a report
line of its own on the saved descriptor and exiting) can still forge one;
see scorers/task_exec.py for the whole threat model.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
import unittest
from typing import Any

MARKER = "BENCHLAB-UNITTEST-REPORT "  # the same as reports.UNITTEST_MARKER (no import here)
_GUARDED = (unittest.TestCase, unittest.TestSuite, unittest.TestResult, unittest.TestLoader)


class _Recorder(unittest.TestResult):
    """How each test ended, by test id; a test passes only on its own addSuccess."""

    def __init__(self) -> None:
        super().__init__()
        self.outcomes: dict[str, str] = {}

    def _set(self, test: Any, status: str) -> None:
        name = test.id() if hasattr(test, "id") else str(test)
        if self.outcomes.get(name) != "failed":
            self.outcomes[name] = status

    def startTest(self, test: Any) -> None:
        super().startTest(test)
        self.outcomes.setdefault(test.id(), "started")

    def addSuccess(self, test: Any) -> None:
        self._set(test, "passed")

    def addFailure(self, test: Any, err: Any) -> None:
        self._set(test, "failed")
        sys.stderr.write(f"FAIL: {test}\n{_text(err)}\n")

    def addError(self, test: Any, err: Any) -> None:
        self._set(test, "failed")
        sys.stderr.write(f"ERROR: {test}\n{_text(err)}\n")

    def addSkip(self, test: Any, reason: str) -> None:
        self._set(test, "skipped")

    def addExpectedFailure(self, test: Any, err: Any) -> None:
        self._set(test, "skipped")

    def addUnexpectedSuccess(self, test: Any) -> None:
        self._set(test, "failed")

    def addSubTest(self, test: Any, subtest: Any, err: Any) -> None:
        if err is not None:
            self._set(test, "failed")
            sys.stderr.write(f"FAIL: {subtest}\n{_text(err)}\n")


def _text(err: Any) -> str:
    return "".join(traceback.format_exception(*err)) if isinstance(err, tuple) else str(err)


def main(names: list[str]) -> int:
    report = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever the program prints goes to stderr; the report alone to stdout
    saved: list[tuple[type[Any], dict[str, Any]]] = [(c, dict(vars(c))) for c in _GUARDED]
    # `-I` kept these off the path until unittest was in: the task's folder, then its PYTHONPATH.
    extra = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    sys.path[:0] = [os.getcwd(), *extra]
    recorder = _Recorder()
    error = ""
    try:
        suite = unittest.TestLoader().loadTestsFromNames(names)
        _restore(saved)
        suite.run(recorder)
    except BaseException:  # SystemExit and KeyboardInterrupt from the program too
        error = traceback.format_exc(limit=3).strip().splitlines()[-1]
        sys.stderr.write(traceback.format_exc())
    tests = [
        [name, status if status in ("passed", "failed", "skipped") else "failed"]
        for name, status in recorder.outcomes.items()
    ]  # "started" without an end: the test did not finish
    for stream in (sys.stdout, sys.stderr):  # the program's prints, to stderr, before the report
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    counts = {s: sum(status == s for _, status in tests) for s in ("passed", "failed", "skipped")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    os.write(2, f"\nRan {len(tests)} tests: {summary}\n".encode())  # for people (stderr.log)
    report.write(MARKER + json.dumps({"tests": tests, "error": error}) + "\n")
    report.flush()
    ok = not error and bool(tests) and all(status != "failed" for _, status in tests)
    return 0 if ok else 1


def _restore(saved: list[tuple[type[Any], dict[str, Any]]]) -> None:
    """Undo what importing the tests (and so the answer) did to unittest's own classes."""
    for cls, attributes in saved:
        for name in [n for n in vars(cls) if n not in attributes]:
            delattr(cls, name)
        for name, value in attributes.items():
            if name not in ("__dict__", "__weakref__") and vars(cls).get(name) is not value:
                setattr(cls, name, value)


if __name__ == "__main__":
    os._exit(main(sys.argv[1:]))  # no atexit hook of the program runs after the report
