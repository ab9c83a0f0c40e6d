"""A scorer that cannot give a verdict makes an error of the right kind, never a fail."""

from __future__ import annotations

from typing import Any

from benchlab.domain import Case
from benchlab.engine.attempt import overall_passed, score_answer, scoring_error
from benchlab.providers.errors import RateLimited
from benchlab.sandbox.pool import SandboxError
from benchlab.scorers.base import Answer, NoModels, ScoreResult

CASE = Case(id="c1", input="q", expected="a")
ANSWER = Answer(output="a")


class _Raises:
    def __init__(self, exc: Exception) -> None:
        self.name = "broken"
        self.exc = exc

    async def score(self, case: Case, answer: Answer, ctx: Any) -> ScoreResult:
        raise self.exc


class _Passes:
    name = "fine"

    async def score(self, case: Case, answer: Answer, ctx: Any) -> ScoreResult:
        return ScoreResult(1.0, True)


async def _kind(exc: Exception) -> tuple[str, str] | None:
    results = await score_answer(CASE, ANSWER, [_Passes(), _Raises(exc)], NoModels())
    assert overall_passed(results) is None  # not a fail, whatever the other scorers said
    assert results[1][1].passed is None and results[1][1].value is None
    return scoring_error(results)


async def test_a_raising_scorer_is_a_scorer_error() -> None:
    assert await _kind(ValueError("bad pattern")) == (
        "scorer",
        "broken: scorer error: ValueError: bad pattern",
    )


async def test_a_sandbox_that_failed_is_a_sandbox_error() -> None:
    found = await _kind(SandboxError("no sandbox backend started: bwrap: permission denied"))
    assert found is not None and found[0] == "sandbox" and "bwrap" in found[1]


async def test_a_failed_model_call_inside_a_scorer_keeps_its_kind() -> None:
    found = await _kind(RateLimited("HTTP 429 from http://judge/v1"))
    assert found is not None and found[0] == "rate_limit"


async def test_verdicts_without_errors_are_unchanged() -> None:
    results = await score_answer(CASE, ANSWER, [_Passes()], NoModels())
    assert scoring_error(results) is None and overall_passed(results) is True
