"""`gsm8k`: GSM8K graded as lm-evaluation-harness grades it, so the figures compare.

Published GSM8K numbers are lm-eval's `exact_match` under two filters, and
they differ by several points on the same replies. Reproducing one filter
"in spirit" (say, "the last number") gives a third figure that matches
neither, so this scorer computes both exactly as lm-eval 0.4's task files
define them (`tasks/gsm8k/gsm8k.yaml`, `tasks/gsm8k/gsm8k-cot.yaml`):

- `strict-match` reads the number after the answer marker the few-shot
  examples teach: `#### N` (variant `gsm8k`) or `The answer is N.`
  (variant `cot`); the first such marker counts.
- `flexible-extract` reads the last number-like run in the reply (digits,
  `.`, `,`, `$`; at least two characters, or a lone digit).
- `exact_match` then compares the extraction with the target after removing
  `,`, `$`, everything up to the last `#### `, and one final `.`, ignoring
  case. A reply with nothing to extract is lm-eval's `[invalid]`, which no
  real target equals: it fails.

The target is derived from the dataset row's `answer` field (`Case.expected`)
as the variant's `doc_to_target` does: the whole field for `gsm8k` (the
metric's `.*#### ` removal reduces it to the final number), the text after
the last `####`, stripped, for `cot`.

The reply is first cut at the variant's stop sequences (`until` in the task
file), as lm-eval's backends do, so a model that keeps writing the next
"Question:" is graded on its answer only. `passed` and `value` follow the
`filter` option; `details` always carries both verdicts and extractions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchlab.domain import Case
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.normalize import as_text, preview, require_choice

__all__ = ["FILTERS", "VARIANTS", "Gsm8kScorer", "Variant", "gsm8k", "gsm8k_target"]

FILTERS = ("strict-match", "flexible-extract")
# What lm-eval's regex filter yields when nothing matches; graded like any other string.
_FALLBACK = "[invalid]"


@dataclass(frozen=True, slots=True)
class Variant:
    """One lm-eval gsm8k task file: its strict pattern, its target rule, its stop sequences."""

    name: str
    strict: re.Pattern[str]
    whole_answer_is_target: bool
    until: tuple[str, ...]


VARIANTS: dict[str, Variant] = {
    "gsm8k": Variant(
        "gsm8k", re.compile(r"#### (\-?[0-9\.\,]+)"), True, ("Question:", "</s>", "<|im_end|>")
    ),
    "cot": Variant(
        "cot", re.compile(r"The answer is (\-?[0-9\.\,]+)."), False, ("Q:", "</s>", "<|im_end|>")
    ),
}
# Both task files: the last match, its first non-empty group.
_FLEXIBLE = re.compile(r"(-?[$0-9.,]{2,})|(-?[0-9]+)")
# The metric's `regexes_to_ignore`, applied in this order to reply and target alike.
_IGNORED = tuple(re.compile(p) for p in (",", r"\$", r"(?s).*#### ", r"\.$"))


def gsm8k_target(answer: str, variant: str = "gsm8k") -> str:
    """The target lm-eval's `doc_to_target` makes of a row's `answer` field, for `variant`."""
    if VARIANTS[variant].whole_answer_is_target:
        return answer
    return answer.split("####")[-1].strip()


def _normalized(text: str) -> str:
    """`exact_match` with the gsm8k options: the ignored patterns removed, then lower case.

    lm-eval compares numpy string arrays, which drop trailing NUL characters.
    """
    for pattern in _IGNORED:
        text = pattern.sub("", text)
    return text.lower().rstrip("\x00")


def _extract(pattern: re.Pattern[str], text: str, *, last: bool) -> str | None:
    """lm-eval's regex filter: the first (or last) match, its first non-empty group, stripped."""
    found = pattern.findall(text)
    if not found:
        return None
    match = found[-1 if last else 0]
    if isinstance(match, tuple):
        groups = [g for g in match if g]
        if not groups:
            return None
        match = groups[0]
    return str(match).strip()


def _cut(text: str, until: Sequence[str]) -> str:
    """The reply up to the first stop sequence, as a backend honouring `until` returns it."""
    for stop in until:
        if stop:
            text = text.split(stop, 1)[0]
    return text


class Gsm8kScorer:
    """Pass when the chosen filter's extraction equals the target under lm-eval's exact_match."""

    __slots__ = ("_filter", "_until", "_variant", "name")

    def __init__(self, variant: Variant, filter_name: str, until: tuple[str, ...]) -> None:
        self.name = "gsm8k"
        self._variant = variant
        self._filter = filter_name
        self._until = until

    def target(self, case: Case) -> str:
        raw = case.expected
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = str(raw)
        if not isinstance(raw, str) or not raw.strip():
            raise ValueError(
                f"case {case.id!r}: gsm8k needs `expected` to be the dataset row's `answer` "
                f"string (`... #### N`), got {preview(raw)}"
            )
        return gsm8k_target(raw, self._variant.name)

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        target = _normalized(self.target(case))
        reply = _cut(as_text(answer.output), self._until)
        strict = _extract(self._variant.strict, reply, last=False)
        flexible = _extract(_FLEXIBLE, reply, last=True)
        strict_ok = _normalized(_FALLBACK if strict is None else strict) == target
        flexible_ok = _normalized(_FALLBACK if flexible is None else flexible) == target
        chosen, ok = (
            (strict, strict_ok) if self._filter == "strict-match" else (flexible, flexible_ok)
        )
        found = "no answer found" if chosen is None else f"found {preview(chosen, 40)}"
        return ScoreResult(
            1.0 if ok else 0.0,
            ok,
            f"expected {preview(target, 40)}, {self._filter} {found}",
            {
                "strict_match": strict_ok,
                "flexible_extract": flexible_ok,
                "strict_extracted": strict,
                "flexible_extracted": flexible,
                "target": target,
            },
        )


def gsm8k(
    *, variant: Any = "gsm8k", filter: Any = "strict-match", until: Any = None
) -> Gsm8kScorer:
    """`variant`: "gsm8k" (gsm8k.yaml) or "cot" (gsm8k-cot.yaml); `filter`: which verdict
    passes ("strict-match" or "flexible-extract"); `until`: stop sequences the reply is cut
    at (default: the variant's task file; `[]` keeps the whole reply)."""
    chosen = VARIANTS[require_choice("variant", variant, tuple(VARIANTS))]
    filter_name = require_choice("filter", filter, FILTERS)
    if until is None:
        stops = chosen.until
    elif isinstance(until, list | tuple) and all(isinstance(s, str) for s in until):
        stops = tuple(until)
    else:
        raise ValueError(f"option 'until' must be a list of strings, got {until!r}")
    return Gsm8kScorer(chosen, filter_name, stops)
