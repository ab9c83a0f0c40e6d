"""`choice`: which letter a multiple-choice answer commits to, against the expected letter.

Models answer "B", "(B)", "**B**", "The answer is (B).", "Answer: b" or a
paragraph that discusses every option before concluding. Reading the wrong
letter out of such text silently biases accuracy, so extraction goes from the
most explicit evidence to the least and refuses to guess when the weaker
evidence is ambiguous:

1. explicit statements ("answer is X", "Answer: X", "I choose X",
   "option X is correct", `\\boxed{X}`) - the last one wins, because models
   revise themselves as they reason;
2. an answer that is only a letter ("B", "(B).", "**B**");
3. a bold letter (`**C**`, `**C) Paris**`), a letter opening a line ("B) because"),
   a parenthesised letter "(B)", a stray capital letter - each tier only when
   every candidate in it names the same letter.

A model that merely lists all options therefore scores no choice rather than
"A".

Option `parse` reads replies as a reference harness does instead, for figures
that must compare with theirs: "lm-eval" (lm-evaluation-harness's mmlu
generative grading) or "inspect" (inspect_ai's "ANSWER: X"); see
`choice_parsers`.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from benchlab.domain import Case
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.choice_parsers import PARSERS, extract_inspect, extract_lm_eval
from benchlab.scorers.normalize import as_text, normalize_text, preview, require_choice

DEFAULT_CHOICES = "ABCD"
# What may wrap a letter: spaces, markdown emphasis, brackets, quotes, math mode.
_WRAP = r"(?:[\s*_(\[{\"'`$]|\\boxed\{|\\text(?:bf)?\{|\\mathrm\{)*"
_END = r"(?![a-z0-9])"
# Explicit patterns run on an ASCII-lowercased copy of the answer, so they can
# be case-sensitive: a pattern that starts with a literal word lets `re` jump
# between occurrences instead of trying every position, and a plain substring
# test skips the pattern entirely when its keyword is absent. ASCII-only
# lowering keeps every index the same as in the original text.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_NOT_WORD_BEFORE = r"(?<![a-z0-9_])"


@dataclass(frozen=True, slots=True)
class _Explicit:
    keywords: tuple[str, ...]  # the pattern can only match when one of these occurs
    pattern: re.Pattern[str]
    wordy: bool  # the captured letter may be the English word "a" / "I"


@dataclass(frozen=True, slots=True)
class _Patterns:
    explicit: tuple[_Explicit, ...]
    lone: re.Pattern[str]
    tiers: tuple[tuple[str, str, str, re.Pattern[str]], ...]  # (name, plural, keyword, pattern)
    stray: re.Pattern[str]


@lru_cache(maxsize=64)
def _patterns(letters: str) -> _Patterns:
    """Regexes for one set of choice letters, compiled once per distinct set."""
    cls = "[" + letters.lower() + "]"
    letter = f"(?P<l>{cls}){_END}"
    explicit = (
        _Explicit(
            ("answer",),
            re.compile(
                r"answer(?<![a-z0-9_]answer)(?![a-z0-9_])"
                r"(?:\s+(?:is|would\s+be|should\s+be|will\s+be|must\s+be))?"
                r"(?:\s+(?:actually|clearly|definitely|probably|likely|therefore|thus|then|indeed))?"
                r"(?:\s*(?:is|:|=|-|->|\u2192))?\s*(?:\*\*|__)?\s*"
                r"(?:(?:option|choice|letter)\s*)?" + _WRAP + letter
            ),
            True,
        ),
        _Explicit(
            ("choose", "chose", "pick", "select", "with"),
            re.compile(
                _NOT_WORD_BEFORE + r"(?:choose|chose|pick|select|go\s+with|going\s+with)\s+"
                r"(?:(?:option|choice|letter)\s+)?" + _WRAP + letter
            ),
            True,
        ),
        _Explicit(
            ("option", "choice"),
            re.compile(
                _NOT_WORD_BEFORE + r"(?:option|choice)\s*" + _WRAP + letter + r"[\s*_)\].:]*"
                r"(?:is|seems)\s+(?:the\s+)?(?:correct|right|best|true)(?![a-z])"
            ),
            False,
        ),
        _Explicit(
            ("correct", "right", "best"),
            re.compile(
                r"(?<![a-z0-9])[(*]*" + letter + r"[)*]*\s+is\s+(?:the\s+)?"
                r"(?:correct|right|best)\s+(?:answer|option|choice)(?![a-z])"
            ),
            False,
        ),
        _Explicit(
            ("\\boxed",),
            re.compile(r"\\boxed\{\s*(?:\\text(?:bf)?\{)?\s*\(?" + letter + r"\)?\s*\}?\}"),
            False,
        ),
    )
    lone = re.compile(r"\s*" + _WRAP + letter + r"[\s*_)\]}.:$]*")
    tiers = (
        (
            "bold letter",
            "bold letters",
            "**",
            re.compile(r"\*\*\s*\(?" + letter + r"\)?(?:[.:)][^*\n]*)?\*\*"),
        ),
        (
            "letter opening a line",
            "letters opening lines",
            "",
            re.compile(r"^[ \t>*_#-]*\(?(?P<l>" + cls + r")(?:\)|\.(?![0-9])|:|\])", re.M),
        ),
        (
            "parenthesised letter",
            "parenthesised letters",
            "(",
            re.compile(r"\((?P<l>" + cls + r")\)"),
        ),
    )
    # Stray letters are read from the original text: only capitals count.
    stray = re.compile(r"(?<![A-Za-z0-9'])(?P<l>[" + letters + r"])(?![A-Za-z0-9'])")
    return _Patterns(explicit, lone, tiers, stray)


_WORD_AFTER = re.compile(r"\s+[A-Za-z]")


def _is_word(text: str, start: int, *, stray: bool = False) -> bool:
    """True when the letter at `text[start]` reads as the English word "a" / "I".

    After "answer is" only a lowercase letter can be the word ("the answer is
    a bit tricky"); a capital there is a choice ("The answer is A because").
    Among stray capitals, "A cat" and "I think" are words.
    """
    letter = text[start]
    after = _WORD_AFTER.match(text, start + 1)
    if after is None:
        return False
    if letter in "ai":
        return True
    if not stray:
        return False
    return letter == "I" or (letter == "A" and after.group()[-1].islower())


@dataclass(frozen=True, slots=True)
class Extracted:
    letter: str | None
    how: str
    candidates: tuple[str, ...] = ()


def extract_choice(text: str, letters: str = DEFAULT_CHOICES) -> Extracted:
    """The letter `text` commits to, with how it was found, or None with the reason."""
    p = _patterns(letters)
    low = text.translate(_ASCII_LOWER)
    best = -1
    for rule in p.explicit:
        if not any(k in low for k in rule.keywords):
            continue
        for m in rule.pattern.finditer(low):
            pos = m.start("l")
            if pos > best and not (rule.wordy and _is_word(text, pos)):
                best = pos
    if best >= 0:
        return Extracted(low[best].upper(), "explicit answer")
    lone = p.lone.fullmatch(low)
    if lone is not None:
        return Extracted(lone.group("l").upper(), "lone letter")
    for how, plural, keyword, pattern in p.tiers:
        if keyword not in low:
            continue
        found = tuple(dict.fromkeys(x.group("l").upper() for x in pattern.finditer(low)))
        if len(found) == 1:
            return Extracted(found[0], how)
        if len(found) > 1:
            return Extracted(None, f"ambiguous {plural}", found)
    strays = tuple(
        dict.fromkeys(
            m.group("l")
            for m in p.stray.finditer(text)
            if not _is_word(text, m.start("l"), stray=True)
        )
    )
    if len(strays) == 1:
        return Extracted(strays[0], "single letter in text")
    if strays:
        return Extracted(None, "ambiguous letters", strays)
    return Extracted(None, "no choice letter")


def _letters_option(choices: Any) -> str:
    items = list(choices) if isinstance(choices, str | list | tuple) else None
    if not items or not all(isinstance(c, str) and len(c) == 1 for c in items):
        raise ValueError(
            f"option 'choices' must be a string of letters like 'ABCD' or a list of "
            f"single letters, got {choices!r}"
        )
    letters = "".join(items).upper()
    if not all(c in string.ascii_uppercase for c in letters) or len(set(letters)) != len(letters):
        raise ValueError(f"option 'choices' must be distinct letters A-Z, got {choices!r}")
    if len(letters) < 2:
        raise ValueError(f"option 'choices' needs at least two letters, got {choices!r}")
    return letters


_STRIP = " \t\r\n()[]{}*_.:"


class ChoiceScorer:
    """Pass when the extracted letter equals the expected one."""

    __slots__ = ("_letters", "_options", "_parse", "name")

    def __init__(self, letters: str, options: list[str] | None, parse: str = "benchlab") -> None:
        self.name = "choice"
        self._letters = letters
        self._options = options
        self._parse = parse

    def expected_letter(self, case: Case) -> str:
        """The case's correct letter from a letter, a 0-based index or the correct option's text."""
        raw = case.expected
        letters = self._letters
        if isinstance(raw, int) and not isinstance(raw, bool):
            if 0 <= raw < len(letters):
                return letters[raw]
            raise ValueError(
                f"case {case.id!r}: choice index {raw} is outside choices {letters} (0-based)"
            )
        if not isinstance(raw, str) or not raw.strip(_STRIP):
            raise ValueError(
                f"case {case.id!r}: choice scorer needs `expected` to be a letter, "
                f"a 0-based index or the correct option's text, got {preview(raw)}"
            )
        bare = raw.strip(_STRIP)
        if len(bare) == 1 and bare.upper() in letters:
            return bare.upper()
        options = self._options
        if options is None:
            meta = case.metadata.get("options")
            if isinstance(meta, list) and all(isinstance(o, str) for o in meta):
                options = meta
        if options is not None:
            wanted = normalize_text(raw)
            for index, option in enumerate(options):
                if normalize_text(option) == wanted:
                    if index >= len(letters):
                        raise ValueError(
                            f"case {case.id!r}: option {index + 1} has no letter in "
                            f"choices {letters}; set the `choices` option"
                        )
                    return letters[index]
        head = re.match(r"\s*\(?([A-Za-z])[).:]\s", raw)
        if head is not None and head.group(1).upper() in letters:
            return head.group(1).upper()
        where = "" if options is None else f" or the text of one of {preview(options)}"
        raise ValueError(
            f"case {case.id!r}: expected {preview(raw)} is not one of the choices {letters}{where}"
        )

    def _reference(self, want: str, text: str) -> ScoreResult:
        """A verdict read the way a reference harness reads replies (`parse` option)."""
        reader = extract_lm_eval if self._parse == "lm-eval" else extract_inspect
        letter, read = reader(text, self._letters)
        if letter is None:
            return ScoreResult(
                0.0, False, f"expected {want}, no answer found ({self._parse} read {preview(read)})"
            )
        ok = letter == want
        return ScoreResult(
            1.0 if ok else 0.0, ok, f"expected {want}, found {letter} (as {self._parse} reads it)"
        )

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        want = self.expected_letter(case)
        if self._parse != "benchlab":
            return self._reference(want, as_text(answer.output))
        got = extract_choice(as_text(answer.output), self._letters)
        if got.letter is None:
            detail = f" ({', '.join(got.candidates)})" if got.candidates else ""
            return ScoreResult(0.0, False, f"expected {want}, found {got.how}{detail}")
        ok = got.letter == want
        return ScoreResult(
            1.0 if ok else 0.0, ok, f"expected {want}, found {got.letter} ({got.how})"
        )


def choice(*, choices: Any = None, options: Any = None, parse: Any = "benchlab") -> ChoiceScorer:
    """`options` lists the option texts in order, so `expected` may be the correct text.

    Without `choices`, the letters are A-D, or as many as there are options.
    `parse`: "benchlab" (default), "lm-eval" or "inspect" (see the module's docstring).
    """
    reader = require_choice("parse", parse, PARSERS)
    opts: list[str] | None = None
    if options is not None:
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            raise ValueError(f"option 'options' must be a list of strings, got {options!r}")
        if not 2 <= len(options) <= 26:
            raise ValueError(f"option 'options' needs 2 to 26 entries, got {len(options)}")
        opts = options
    if choices is None:
        letters = DEFAULT_CHOICES if opts is None else string.ascii_uppercase[: len(opts)]
    else:
        letters = _letters_option(choices)
        if opts is not None and len(opts) > len(letters):
            raise ValueError(
                f"option 'options' has {len(opts)} entries but choices {letters} "
                f"only {len(letters)} letters"
            )
    return ChoiceScorer(letters, opts, reader)
