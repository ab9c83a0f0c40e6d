"""`mmlu_pro`: MMLU-Pro's letter read from a chain-of-thought reply as its authors read it.

MMLU-Pro figures come from TIGER-AI-Lab's evaluation scripts
(`evaluate_from_api.py`, `evaluate_from_local.py`, `compute_accuracy.py` in
github.com/TIGER-AI-Lab/MMLU-Pro), whose prompt asks for "The answer is (X)"
and whose extraction falls back twice. Reading the letter any other way
changes the figure, so the same three steps run here, in order:

1. the first `answer is X` / `answer is (X)` (case-sensitive, letters A-J);
2. else `Answer: X` / `answer: X`: on the first line that holds one, its last
   (the scripts' `.*[aA]nswer:\\s*([A-J])`, whose `.*` stops at a newline);
3. else the last standalone capital A-J anywhere in the reply.

The API script removes markdown bold (`**`) from the reply before reading it;
so does this scorer unless `strip_bold` is false (the local script does not).

Where nothing is found, the scripts draw a random letter and count it as the
model's answer, so a silent model still scores about 10%. A benchmark figure
must not depend on a coin, so here no letter means failed, and the details say
"no answer found". This is the one deliberate difference from the reference:
on replies with no letter at all it reports 0 where the scripts report 1/10
on average.

Steps 2 and 3 are written without the scripts' backtracking regexes (`.*`
before a literal, and a look-ahead over the rest of the reply, both
quadratic on long replies) but pick the same letter on every reply; the tests
check them against the scripts' own patterns.
"""

from __future__ import annotations

import re
from typing import Any

from benchlab.domain import Case
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.normalize import as_text, preview, require_bool

__all__ = ["LETTERS", "MmluProScorer", "extract_mmlu_pro", "mmlu_pro"]

LETTERS = "ABCDEFGHIJ"
_ANSWER_IS = re.compile(r"answer is \(?([A-J])\)?")
_ANSWER_COLON = re.compile(r"[aA]nswer:\s*([A-J])")
_LONE_LETTER = re.compile(r"\b[A-J]\b")
NO_ANSWER = "no answer found"


def extract_mmlu_pro(text: str) -> tuple[str | None, str]:
    """The letter the reference scripts read from `text`, and which step found it."""
    first = _ANSWER_IS.search(text)
    if first is not None:
        return first.group(1), "answer is (X)"
    # Every start position, overlapping ones included ("Answer: Answer: B" reads B); `.*`
    # cannot cross a newline, so only matches starting on the first match's line count.
    chosen: re.Match[str] | None = None
    match = _ANSWER_COLON.search(text)
    while match is not None:
        if chosen is not None and "\n" in text[chosen.start() : match.start()]:
            break
        chosen = match
        match = _ANSWER_COLON.search(text, match.start() + 1)
    if chosen is not None:
        return chosen.group(1), "Answer: X"
    last: re.Match[str] | None = None
    for last in _LONE_LETTER.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    if last is not None:
        return last.group(0), "last letter"
    return None, NO_ANSWER


class MmluProScorer:
    """Pass when the extracted letter is the expected one; no letter found fails."""

    __slots__ = ("_strip_bold", "name")

    def __init__(self, strip_bold: bool) -> None:
        self.name = "mmlu_pro"
        self._strip_bold = strip_bold

    @staticmethod
    def expected_letter(case: Case) -> str:
        raw = case.expected
        if isinstance(raw, str) and raw.strip().upper() in tuple(LETTERS):
            return raw.strip().upper()
        raise ValueError(
            f"case {case.id!r}: mmlu_pro needs `expected` to be the correct letter A-J "
            f"(the row's `answer`), got {preview(raw)}"
        )

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        want = self.expected_letter(case)
        text = as_text(answer.output)
        if self._strip_bold:
            text = text.replace("**", "")
        letter, how = extract_mmlu_pro(text)
        details = {"extracted": letter, "how": how}
        if letter is None:
            return ScoreResult(0.0, False, f"expected {want}, {NO_ANSWER}", details)
        ok = letter == want
        return ScoreResult(
            1.0 if ok else 0.0, ok, f"expected {want}, found {letter} ({how})", details
        )


def mmlu_pro(*, strip_bold: Any = True) -> MmluProScorer:
    """`strip_bold`: remove `**` before reading, as `evaluate_from_api.py` does (default)."""
    return MmluProScorer(require_bool("strip_bold", strip_bold))
