"""Text normalisation and number extraction shared by the string-comparing scorers.

Scorers disagree about what an answer "says" mostly because of surface noise:
a trailing period, `**bold**`, a full-width digit, a capital letter, a
thousands separator. Every scorer that compares text goes through the same
functions here so that two scorers never disagree about what was written.

Everything in this module is total: odd model output (empty, `None`, huge,
binary garbage) yields an empty string or "no number", never an exception.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

# Stripped from both ends only. Wrapping and sentence punctuation, markdown
# emphasis and quotes go; characters that change meaning at an edge (+ - # $ %
# / @ & = ^ | \) stay, so "C++" and "-5" are not reduced to "C" and "5".
_EDGE_PUNCT = (
    " \t\r\n\v\f"
    ".,;:!?'\"`()[]{}<>*_~"
    "\u00a0\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
    "\u2026\u3001\u3002\uff0c\uff01\uff1f\uff1a\uff1b\u300c\u300d\u300e\u300f\uff08\uff09"
)
_ARTICLES = re.compile(r"\b(?:a|an|the)\b")


def as_text(output: Any) -> str:
    """A model output as a string, whatever the attempt recorded (None, bytes, a number)."""
    if isinstance(output, str):
        return output
    if output is None:
        return ""
    if isinstance(output, bytes | bytearray):
        return bytes(output).decode("utf-8", "replace")
    return str(output)


def normalize_text(
    text: str,
    *,
    casefold: bool = True,
    remove_articles: bool = False,
) -> str:
    """NFKC, optional casefold, edge punctuation stripped, whitespace collapsed.

    NFKC comes first so that full-width letters, ligatures and non-breaking
    spaces compare equal to their plain forms. Article removal (as in SQuAD)
    runs after casefolding, and edges are stripped again afterwards because
    removing a leading "The" can expose punctuation.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        if casefold:  # casefolding can undo NFKC; redo it so normalising twice changes nothing
            text = unicodedata.normalize("NFKC", text.casefold())
    elif casefold:
        text = text.casefold()
    text = " ".join(text.split()).strip(_EDGE_PUNCT)
    if remove_articles:
        text = " ".join(_ARTICLES.sub(" ", text).split()).strip(_EDGE_PUNCT)
    return text


@lru_cache(maxsize=8192)
def normalize_cached(text: str, casefold: bool = True, remove_articles: bool = False) -> str:
    """`normalize_text` for reference answers, which repeat across models and samples."""
    return normalize_text(text, casefold=casefold, remove_articles=remove_articles)


def preview(value: Any, limit: int = 80) -> str:
    """A short repr for explanations: a score's explanation must stay one readable line."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "\u2026"


# -- numbers -----------------------------------------------------------------

# One number as models write it: an optional sign (ASCII or U+2212) before or
# after an optional dollar sign, digits with strict 3-digit comma groups or
# plain digits, an optional fraction, an optional short exponent and an
# optional percent sign. The lookbehind keeps "GPT-4" from reading as -4 and
# "v2" / "x2" / "H2O" from yielding numbers; a sign only counts when it is
# glued to the digits and not to a preceding word or number ("3-5" is 3 and 5,
# "10 - 5" is 10 and 5; "-5" and "= -5" are -5).
_NUMBER = re.compile(
    r"""
    (?=[-+\u2212$.0-9])  # a cheap first-character test, so scanning prose stays fast
    (?<![A-Za-z0-9_.])
    (?P<sign1>[-+\u2212])?
    (?P<dollar>\$\s?)?
    (?P<sign2>[-+\u2212])?
    (?P<int>[0-9]{1,3}(?:,[0-9]{3}(?![0-9]))+|[0-9]+)?
    (?(int)(?:\.(?P<frac>[0-9]+))?|\.(?P<frac_only>[0-9]+))
    (?:[eE](?P<exp>[-+]?[0-9]{1,4})(?![0-9]))?
    (?P<percent>\s?%)?
    """,
    re.VERBOSE,
)
_WINDOW = 96  # characters before the last digit searched first
_EDGE_MARGIN = 48  # a match starting this close to the window's left edge may be cut off


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """A number found in text: its exact value and the text it was read from."""

    value: Decimal
    text: str
    start: int
    end: int


def _to_decimal(match: re.Match[str]) -> Decimal | None:
    digits = match.group("int")
    frac = match.group("frac") or match.group("frac_only")
    if digits is None and frac is None:
        return None
    literal = (digits or "0").replace(",", "")
    if frac:
        literal += "." + frac
    if match.group("exp"):
        literal += "e" + match.group("exp")
    sign = match.group("sign2") or match.group("sign1")
    if sign in ("-", "\u2212"):
        literal = "-" + literal
    try:
        return Decimal(literal)
    except InvalidOperation:  # pragma: no cover - the regex only admits valid literals
        return None


def _match_at(text: str, match: re.Match[str]) -> NumberMatch | None:
    value = _to_decimal(match)
    if value is None:
        return None
    start, end = match.span()
    return NumberMatch(value, text[start:end].strip(), start, end)


def _ascii_digits(text: str) -> str:
    # Full-width and other compatibility digits become ASCII; ASCII text is
    # returned untouched (str.isascii is O(1) in CPython).
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def find_numbers(text: str) -> list[NumberMatch]:
    """Every number in `text`, in order."""
    text = _ascii_digits(as_text(text))
    found = (_match_at(text, m) for m in _NUMBER.finditer(text))
    return [n for n in found if n is not None]


def _last_digit(text: str, end: int) -> int:
    # Ten C-speed rfinds beat a Python loop or a regex over a long answer.
    return max(text.rfind(d, 0, end) for d in "0123456789")


def _last_number(text: str) -> NumberMatch | None:
    """The last number in `text`, reading only the neighbourhood of its last digit.

    Every number ends at or before the last digit of the text, so search a
    small window ending there and widen it only when nothing matched (the
    digits were in "x2"-like words) or when the last match touches the
    window's left edge (it might be the cut-off tail of a longer number).
    A megabyte of chain-of-thought costs the same as a sentence.
    """
    if len(text) <= _WINDOW:  # the usual short answer: one scan, no windowing needed
        last: re.Match[str] | None = None
        for last in _NUMBER.finditer(text):  # noqa: B007 - keep the last one
            pass
        return None if last is None else _match_at(text, last)
    digit = _last_digit(text, len(text))
    if digit < 0:
        return None
    hi = min(len(text), digit + 4)  # room for " %" after the last digit
    window = _WINDOW
    while True:
        lo = max(0, digit - window)
        last = None
        for last in _NUMBER.finditer(text, lo, hi):  # noqa: B007 - keep the last one
            pass
        if lo == 0 or (last is not None and last.start() - lo >= _EDGE_MARGIN):
            return None if last is None else _match_at(text, last)
        window *= 4


def _first_number(text: str, start: int) -> NumberMatch | None:
    for m in _NUMBER.finditer(text, start):
        found = _match_at(text, m)
        if found is not None:
            return found
    return None


_BOXED = "\\boxed{"


def final_number(text: Any) -> NumberMatch | None:
    """The number an answer commits to, or None.

    In order: the first number after the last GSM8K `####` marker; the number
    inside the last LaTeX `\\boxed{...}`; otherwise the last number anywhere.
    """
    text = _ascii_digits(as_text(text))
    marker = text.rfind("####")
    if marker >= 0:
        found = _first_number(text, marker + 4)
        if found is not None:
            return found
    boxed = text.rfind(_BOXED)
    if boxed >= 0:
        close = text.find("}", boxed)
        inner = text[boxed + len(_BOXED) : close if close >= 0 else len(text)]
        inside = _last_number(inner)
        if inside is not None:
            offset = boxed + len(_BOXED)
            return NumberMatch(
                inside.value, inside.text, inside.start + offset, inside.end + offset
            )
    return _last_number(text)


_WHOLE_NUMBER = re.compile(r"\s*" + _NUMBER.pattern.strip() + r"\s*\.?\s*", re.VERBOSE)


def parse_number(value: Any) -> Decimal | None:
    """A reference number: an int/float, or a string that is one number and nothing else.

    Accepts what `final_number` accepts (`$1,234.50`, `-3e5`, `12%`, `42.`);
    rejects booleans, NaN and infinities, because none of them is a usable
    expected answer.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        result = Decimal(repr(value))
        return result if result.is_finite() else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if not isinstance(value, str):
        return None
    text = _ascii_digits(value)
    m = _WHOLE_NUMBER.fullmatch(text)
    if m is None:
        return None
    return _to_decimal(m)


def format_number(value: Decimal, limit: int = 40) -> str:
    """A number as a person would write it: no exponent for ordinary magnitudes."""
    if not value.is_finite():
        return str(value)
    text = f"{value:f}" if -24 < value.adjusted() < 24 else f"{value:e}"
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text


# -- small checks shared by the scorer factories -------------------------------


def require_bool(option: str, value: Any) -> bool:
    """Reject "false" and 0 for a flag: YAML typos must not silently become True."""
    if not isinstance(value, bool):
        raise ValueError(f"option {option!r} must be true or false, got {value!r}")
    return value


def require_number(
    option: str, value: Any, *, low: float = 0.0, high: float | None = None
) -> float:
    """A finite real number within [low, high]; booleans are not numbers here."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"option {option!r} must be a number, got {value!r}")
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"option {option!r} must be finite, got {value!r}")
    if number < low or (high is not None and number > high):
        bounds = f">= {low:g}" if high is None else f"between {low:g} and {high:g}"
        raise ValueError(f"option {option!r} must be {bounds}, got {value!r}")
    return number


def require_choice(option: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"option {option!r} must be one of {choices}, got {value!r}")
    return str(value)
