"""User-style custom scorers for tests of `module:function` references."""

from __future__ import annotations

from typing import Any

from benchlab.domain import Case
from benchlab.scorers.base import Answer, NoModels, ScoreResult

NOT_CALLABLE = 42


def mentions(case: Case, answer: Answer, word: str = "refund") -> bool:
    return word in answer.output


def length_ratio(case: Case, answer: Answer) -> float:
    return min(1.0, len(answer.output) / max(1, len(str(case.expected))))


def as_int(case: Case, answer: Answer) -> int:
    return 1 if answer.output == case.expected else 0


async def async_result(case: Case, answer: Answer, bonus: float = 0.0) -> ScoreResult:
    ok = answer.output.strip() == str(case.expected)
    return ScoreResult(1.0 if ok else bonus, ok, "async compared")


def as_dict(case: Case, answer: Answer) -> dict[str, Any]:
    ok = answer.output == case.expected
    return {"value": 1.0 if ok else 0.25, "explanation": "dict verdict", "details": {"n": 1}}


def dict_with_passed(case: Case, answer: Answer) -> dict[str, Any]:
    return {"passed": True}


def wants_ctx(case: Case, answer: Answer, ctx: Any = None) -> bool:
    return isinstance(ctx, NoModels)


def seen_kwargs(case: Case, answer: Answer, **kwargs: Any) -> dict[str, Any]:
    return {"value": 1.0, "explanation": ",".join(sorted(kwargs))}


def returns_none(case: Case, answer: Answer) -> None:
    return None


def returns_text_value(case: Case, answer: Answer) -> dict[str, Any]:
    return {"value": "high"}


class Namespace:
    @staticmethod
    def nested(case: Case, answer: Answer) -> bool:
        return True


def raises_on_odd(case: Case, answer: Answer) -> bool:
    """A buggy scorer: right on even cases, raises on odd ones (c1, c3, ...)."""
    if int(case.id.lstrip("c")) % 2:
        raise RuntimeError(f"odd case {case.id}: this scorer has a bug")
    return True
