"""`fuzzy`: rapidfuzz similarity to the reference, for answers that are right but worded loosely.

Both sides are normalised first (see `normalize`) and punctuation becomes
space (rapidfuzz's `default_process`), so the similarity measures wording,
not capitalisation or commas, and the token methods see "Tower," as "tower".
rapidfuzz is imported when the scorer is built, not when benchlab starts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchlab.domain import Case
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.match import expected_strings
from benchlab.scorers.normalize import (
    as_text,
    normalize_cached,
    normalize_text,
    preview,
    require_bool,
    require_choice,
    require_number,
)

METHODS = ("ratio", "partial_ratio", "token_set_ratio", "token_sort_ratio")


class FuzzyScorer:
    """Value is the best similarity (0..1) over the references; passed when >= threshold."""

    __slots__ = ("_method", "_method_name", "_process", "_threshold", "name")

    def __init__(
        self,
        method: Callable[..., float],
        method_name: str,
        threshold: float,
        process: Callable[[str], str] | None,
    ) -> None:
        self.name = "fuzzy"
        self._method = method
        self._method_name = method_name
        self._threshold = threshold
        self._process = process

    def _clean(self, text: str, reference: bool) -> str:
        if self._process is None:
            return text.strip()
        text = normalize_cached(text) if reference else normalize_text(text)
        return self._process(text)

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        refs = expected_strings(case, self.name)
        text = as_text(answer.output)
        got = self._clean(text, reference=False)
        best, best_ref = -1.0, refs[0]
        for ref in refs:
            want = self._clean(ref, reference=True)
            if not want and not got:
                similarity = 1.0  # rapidfuzz says 0 for two empty strings under some methods
            else:
                similarity = self._method(want, got, processor=None) / 100.0
            if similarity > best:
                best, best_ref = similarity, ref
        ok = best >= self._threshold
        return ScoreResult(
            best,
            ok,
            f"{self._method_name} {best:.2f} vs {preview(best_ref)} "
            f"({'>=' if ok else '<'} threshold {self._threshold:g})",
        )


def fuzzy(*, threshold: Any = 0.8, method: Any = "ratio", normalize: Any = True) -> FuzzyScorer:
    """`threshold` is a fraction in [0, 1], not rapidfuzz's 0..100 percentage."""
    limit = require_number("threshold", threshold, low=0.0, high=1.0)
    name = require_choice("method", method, METHODS)
    flag = require_bool("normalize", normalize)
    from rapidfuzz import fuzz, utils

    fn: Callable[..., float] = getattr(fuzz, name)
    return FuzzyScorer(fn, name, limit, utils.default_process if flag else None)
