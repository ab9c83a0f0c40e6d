"""Run a scorer synchronously in tests, so hypothesis can call it thousands of times.

Built-in scorers never await anything, so their coroutine finishes on the
first `send`; a scorer that does suspend is a test failure here, not a hang.
"""

from __future__ import annotations

from typing import Any

from benchlab.domain import Case
from benchlab.scorers.base import Answer, NoModels, Scorer, ScoreResult


def make_case(expected: Any = None, **fields: Any) -> Case:
    fields.setdefault("id", "c1")
    fields.setdefault("input", "question?")
    return Case(expected=expected, **fields)


def run(scorer: Scorer, expected: Any, output: Any, **case_fields: Any) -> ScoreResult:
    """Score `output` against `expected` and check the invariants every verdict must hold."""
    case = make_case(expected, **case_fields)
    coro = scorer.score(case, Answer(output=output), NoModels())
    try:
        coro.send(None)
    except StopIteration as done:
        result: ScoreResult = done.value
    else:
        coro.close()
        raise AssertionError("a built-in scorer suspended; it must not await anything")
    assert isinstance(result, ScoreResult)
    assert result.value is not None and 0.0 <= result.value <= 1.0
    assert isinstance(result.passed, bool)
    assert result.explanation and "\n" not in result.explanation
    return result
