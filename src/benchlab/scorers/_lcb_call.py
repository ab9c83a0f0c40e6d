"""The trusted half of LiveCodeBench's call-based tests: call, then print what came back.

Standard library only: `stdio_exec` ships this file's text as a job's
`check`, run in a namespace of its own once the model's program is loaded:
in the program's process, or, under the sandbox's checker, in a process of
its own where the program's names are proxies. It resolves the entry point
as lcb_runner does, calls it once per test with that test's JSON arguments
(one shared instance, tests in order, a wall-clock alarm per call) and
prints each return value as a type-preserving JSON record tagged with a
secret of the job. It never sees the expected values: the parent compares
(`lcb_grading.lcb_values_match`), so nothing the program does (patching
`json`, printing records of its own, exiting early) turns a wrong value
into a pass: a record passes only if it holds the value the parent holds.
"""

from __future__ import annotations

import json
import numbers
import os
import signal
import sys
from typing import Any

MARKER = "\x1ebenchlab-lcb\x1e"
TAG = "~"


class _CallTimeout(BaseException):
    """Raised by the alarm; a BaseException so `except Exception` in the program misses it."""


class _Sink:
    """Where the program's own prints go during a call: lcb_runner never reads them."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def encode(value: Any) -> Any:
    """A JSON tree that decodes to a value with the same `==` against JSON data.

    Lists, str, int, float, bool and None are JSON already; tuples and dicts
    are tagged (`[(1, 2)] == [[1, 2]]` is False in Python, as in lcb_runner,
    and must stay so); other numbers become the int or float they equal
    (numpy's, Fraction, Decimal, complex with no imaginary part), as they
    would compare with the expected number; anything else (sets, arrays,
    objects with an `__eq__` of their own) is tagged `other`, equal to nothing.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, list):
        return [encode(item) for item in list.__iter__(value)]
    if isinstance(value, tuple):
        return {TAG: "tuple", "items": [encode(item) for item in tuple.__iter__(value)]}
    if isinstance(value, dict):
        pairs = dict.items(value)
        return {TAG: "dict", "items": [[encode(k), encode(v)] for k, v in pairs]}
    if isinstance(value, numbers.Number):  # numpy's, Fraction, Decimal, complex
        number: Any = value
        for convert in (int, float, _real):
            try:
                plain = convert(number)
                if plain == number:
                    return plain
            except (TypeError, ValueError, ArithmeticError):
                continue
    return {TAG: "other", "type": type(value).__name__}


def _real(value: Any) -> float:
    if value.imag != 0:
        raise ValueError("not a real number")
    return float(value.real)


def normalise_return(value: Any) -> Any:
    """lcb_runner's one conversion (a returned tuple is a list; nested ones stay), encoded."""
    return encode(list(value) if isinstance(value, tuple) else value)


def _emit(record: dict[str, Any] | str, tag: str) -> None:
    text = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
    data = ("\n" + MARKER + tag + " " + text + "\n").encode()
    while data:
        data = data[os.write(1, data) :]


def _describe(exc: BaseException) -> str:
    try:
        return f"{type(exc).__name__}: {exc}"[:300]
    except BaseException:
        return "an exception that cannot be shown"


def _alarm(signum: int, frame: Any) -> None:
    raise _CallTimeout


def main(
    namespace: dict[str, Any], fn: str, solution: bool, inputs: list[str], timeout: float, tag: str
) -> None:
    """Call `fn` once per test; a timeout stops the tests, as in lcb_runner.

    Each record carries `tag`, a secret of this job: the parent reads only
    records with it, so lines the program prints itself are never results.
    """
    try:
        target = namespace["Solution"]() if solution else None
        method = getattr(target, fn) if solution else namespace[fn]
    except BaseException as exc:  # no Solution, no such method: every test fails
        detail = f"cannot find {'Solution().' if solution else ''}{fn}: {type(exc).__name__}"
        for index in range(len(inputs)):
            _emit({"test": index, "error": "runtime_error", "detail": detail}, tag)
        return
    for index, text in enumerate(inputs):
        args = [json.loads(line) for line in text.split("\n")]
        saved = sys.stdout
        signal.signal(signal.SIGALRM, _alarm)
        try:
            sys.stdout = _Sink()
            signal.setitimer(signal.ITIMER_REAL, timeout)
            value = method(*args)
            signal.setitimer(signal.ITIMER_REAL, 0)
        except _CallTimeout:
            _emit(
                {"test": index, "error": "timeout", "detail": f"call took over {timeout:g} s"}, tag
            )
            return
        except BaseException as exc:
            signal.setitimer(signal.ITIMER_REAL, 0)
            _emit({"test": index, "error": "runtime_error", "detail": _describe(exc)}, tag)
            continue
        finally:
            sys.stdout = saved
        try:
            record = json.dumps(
                {"test": index, "value": normalise_return(value)}, ensure_ascii=False
            )
        except BaseException:  # too deep, too long, or an object that fights back: equals nothing
            record = json.dumps({"test": index, "value": {TAG: "other", "type": "?"}})
        _emit(record, tag)
