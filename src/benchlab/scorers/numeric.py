"""`numeric`: the answer's final number against the expected number, within a tolerance.

Math answers are written in many surface forms (`$1,234.00`, `1234`,
`#### 1234`, `1.234e3`), so the comparison is on values, not strings. Values
are `Decimal`s read from the text: integers of any size compare exactly and
`0.1` means exactly one tenth; a small floor (1e-9) on the tolerance absorbs
the float noise some models print (`0.30000000000000004`).
"""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Any

from benchlab.domain import Case
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.normalize import (
    final_number,
    format_number,
    parse_number,
    preview,
    require_number,
)

FLOOR = Decimal("1e-9")
# Arithmetic on numbers read from model output must never raise: no traps,
# an exponent range wide enough for anything the number pattern admits.
_CTX = Context(prec=50, Emax=999_999, Emin=-999_999, traps=[])


def expected_numbers(case: Case) -> list[Decimal]:
    """The reference value(s) of a case: a number, a numeric string, or a list of them.

    A full GSM8K solution (`... #### 72`) is accepted as is, so a dataset's
    answer field can be used without preprocessing.
    """
    raw = case.expected
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise ValueError(f"case {case.id!r}: numeric scorer needs `expected`, got an empty list")
    values: list[Decimal] = []
    for item in items:
        value = parse_number(item)
        if value is None and isinstance(item, str) and "####" in item:
            found = final_number(item)
            value = None if found is None else found.value
        if value is None:
            raise ValueError(
                f"case {case.id!r}: numeric scorer needs `expected` to be a number "
                f"or a numeric string, got {preview(item)}"
            )
        values.append(value)
    return values


class NumericScorer:
    """Pass when |found - expected| <= max(tolerance, relative * |expected|, 1e-9)."""

    __slots__ = ("_memo", "_relative", "_relative_text", "_tolerance", "_tolerance_text", "name")

    def __init__(self, tolerance: float, relative: float | None) -> None:
        self.name = "numeric"
        self._tolerance = max(Decimal(repr(tolerance)), FLOOR)
        self._relative = None if relative is None else Decimal(repr(relative))
        self._tolerance_text = f"{tolerance:g}"
        self._relative_text = None if relative is None else f"{relative:g}"
        self._memo: dict[tuple[type, object], tuple[list[Decimal], str]] = {}

    def _allowed(self, expected: Decimal) -> Decimal:
        if self._relative is None:
            return self._tolerance
        return max(self._tolerance, _CTX.multiply(self._relative, _CTX.abs(expected)))

    def _within(self, found: Decimal, expected: Decimal) -> bool:
        diff = _CTX.abs(_CTX.subtract(found, expected))
        return diff.is_finite() and _CTX.compare(diff, self._allowed(expected)) <= 0

    def _suffix(self) -> str:
        parts = []
        if self._tolerance > FLOOR:
            parts.append(f"tolerance {self._tolerance_text}")
        if self._relative_text is not None:
            parts.append(f"relative {self._relative_text}")
        return f" ({', '.join(parts)})" if parts else ""

    def _expected(self, case: Case) -> tuple[list[Decimal], str]:
        """The parsed reference and how it is shown, memoised for scalar references
        (a case is scored once per model and sample)."""
        raw = case.expected
        key = (type(raw), raw) if isinstance(raw, str | int | float) else None
        found = self._memo.get(key) if key is not None else None
        if found is None:
            values = expected_numbers(case)
            found = (values, " or ".join(format_number(v) for v in values))
            if key is not None:
                if len(self._memo) > 4096:
                    self._memo.clear()
                self._memo[key] = found
        return found

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        expected, shown = self._expected(case)
        found = final_number(answer.output)
        if found is None:
            return ScoreResult(0.0, False, f"expected {shown}, found no number{self._suffix()}")
        ok = any(self._within(found.value, v) for v in expected)
        return ScoreResult(
            1.0 if ok else 0.0,
            ok,
            f"expected {shown}, found {format_number(found.value)}{self._suffix()}",
            {"found": found.text[:64]},
        )


def numeric(*, tolerance: Any = 0.0, relative: Any = None) -> NumericScorer:
    """`tolerance` is absolute; `relative` is a fraction of |expected|; either one suffices."""
    tol = require_number("tolerance", tolerance)
    rel = None if relative is None else require_number("relative", relative)
    return NumericScorer(tol, rel)
