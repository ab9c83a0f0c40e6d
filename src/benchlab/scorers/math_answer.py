"""`math`: a MATH / MATH-500 answer graded by Hugging Face's `math-verify`, called as documented.

Whether `0.5`, `\\frac{1}{2}` and `1/2` are the same answer, or `(-\\infty, 1)`
the same as `x < 1`, is exactly where hand-written graders drift apart and
MATH figures stop comparing. `math-verify` is what the Open LLM Leaderboard,
lighteval and open-r1 grade MATH-500 with, so this scorer only calls it, the
way its README and lighteval do, and compares nothing itself:

- the gold is the dataset's `answer` field (`Case.expected`, LaTeX without
  `$`), parsed as `$answer$` with the library's default extraction (LaTeX,
  then plain expressions);
- the reply is parsed with LaTeX and expression extraction, `\\boxed{}`
  first (`boxed_match_priority=0`, as lighteval's MATH metrics), so the
  boxed final answer wins over numbers met along the way;
- `verify(gold, prediction)` decides, with the library's default precision.

A reply from which nothing can be extracted fails ("no answer found"). A gold
the library cannot read is the case's error, not the model's failure.
The library is a dependency of benchlab (it brings sympy); an install that
left it out gets one line naming it when the scorer is built.

Time-outs: math-verify bounds each parse and comparison with `signal.alarm`
(5 s by default), which works only in the main thread. Called there (the
CLI, the engine's event loop) the library's own time-outs apply; called from
any other thread (a run launched by the server's scheduler in a worker
thread) they are turned off, as the library requires (`parsing_timeout=None`,
`timeout_seconds=None`), rather than raising. A timed-out parse or comparison
is the library's "no match", the same verdict the reference gives.
"""

from __future__ import annotations

import threading
from typing import Any

from benchlab.domain import Case
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.normalize import as_text, preview

__all__ = ["MathScorer", "gold_text", "math_answer", "timeouts"]

_DEFAULT_TIMEOUT = 5  # math-verify's own default for parse and verify


def gold_text(answer: str) -> str:
    """The dataset's answer as the text math-verify parses for the gold."""
    return f"${answer}$"


def timeouts() -> int | None:
    """math-verify's signal-based time-out where it can work (the main thread), else none."""
    return _DEFAULT_TIMEOUT if threading.current_thread() is threading.main_thread() else None


def _shown(parsed: list[Any]) -> str | None:
    """The text math-verify matched (kept beside the sympy value), without printing sympy:
    turning a huge expression into a string can itself take seconds."""
    for item in reversed(parsed):
        if isinstance(item, str):
            return item
    return None


class MathScorer:
    """Pass when math-verify finds the reply's answer equal to the gold."""

    __slots__ = ("_gold_config", "_golds", "_library", "_prediction_config", "name")

    def __init__(self) -> None:
        # Imported here, not with the module: math-verify loads sympy (seconds), which
        # only a run that grades with it should pay for, not a look-up of scorer names.
        try:
            import math_verify
        except ImportError as exc:
            raise ValueError(
                "it grades with math-verify, which is not installed: "
                "pip install 'math-verify[antlr4_13_2]'"
            ) from exc

        self.name = "math"
        self._library: Any = math_verify
        self._gold_config = (
            math_verify.LatexExtractionConfig(),
            math_verify.ExprExtractionConfig(),
        )
        self._prediction_config = (
            math_verify.LatexExtractionConfig(boxed_match_priority=0),
            math_verify.ExprExtractionConfig(),
        )
        self._golds: dict[str, list[Any]] = {}

    def gold(self, case: Case, seconds: int | None) -> list[Any]:
        raw = case.expected
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            raw = str(raw)
        if not isinstance(raw, str) or not raw.strip():
            raise ValueError(
                f"case {case.id!r}: math needs `expected` to be the dataset's answer "
                f"(LaTeX without $), got {preview(raw)}"
            )
        parsed = self._golds.get(raw)
        if parsed is None:
            parsed = self._library.parse(gold_text(raw), self._gold_config, parsing_timeout=seconds)
            if not parsed:
                raise ValueError(f"case {case.id!r}: math-verify cannot read the answer {raw!r}")
            if len(self._golds) > 4096:
                self._golds.clear()
            self._golds[raw] = parsed
        return parsed

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        seconds = timeouts()
        gold = self.gold(case, seconds)
        want = preview(case.expected, 40)
        predicted = self._library.parse(
            as_text(answer.output), self._prediction_config, parsing_timeout=seconds
        )
        found = _shown(predicted)
        details = {"extracted": found, "gold": _shown(gold)}
        if not predicted:
            return ScoreResult(0.0, False, f"expected {want}, no answer found", details)
        ok = bool(self._library.verify(gold, predicted, timeout_seconds=seconds))
        shown = "an expression" if found is None else preview(found, 40)
        return ScoreResult(
            1.0 if ok else 0.0,
            ok,
            f"expected {want}, found {shown} ({'equal' if ok else 'not equal'})",
            details,
        )


def math_answer() -> MathScorer:
    """No options: the reference configuration is the point."""
    return MathScorer()
