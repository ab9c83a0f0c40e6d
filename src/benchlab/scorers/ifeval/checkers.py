"""The IFEval verifiers: one builder per instruction, from the case's arguments to a check.

A builder reads the arguments the dataset stores for one instruction
(`{"num_words": 300, "relation": "less than"}`) and returns `check(reply) ->
bool`. The rules are the reference's, quirks included, because a published
IFEval figure is the reference's verdicts: keywords are searched as regular
expressions, not words; a bullet is a line starting `*` or `-`; a placeholder
is anything in square brackets; "cannot tell the language" counts as followed.
Where a rule reads oddly, the comment says it is the reference's.

Where the reference draws a random argument for one that is missing or out of
range (it also builds new prompts), a builder here raises `ValueError`
instead: a grader must not guess, and the published dataset always has them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from string import ascii_lowercase
from typing import Any

from benchlab.scorers.ifeval.text import count_sentences, count_words, detect_language, word_tokens

__all__ = [
    "Builder",
    "Check",
    "capital_word_frequency",
    "constrained_response",
    "end_checker",
    "english_capital",
    "english_lowercase",
    "forbidden_words",
    "highlighted_sections",
    "json_format",
    "keyword_frequency",
    "keywords_existence",
    "letter_frequency",
    "multiple_sections",
    "no_comma",
    "nth_paragraph_first_word",
    "number_bullet_lists",
    "number_paragraphs",
    "number_placeholders",
    "number_sentences",
    "number_words",
    "postscript",
    "quotation",
    "repeat_prompt",
    "response_language",
    "title",
    "two_responses",
]

Check = Callable[[str], bool]
Args = Mapping[str, Any]
Builder = Callable[[Args], Check]

LESS_THAN, AT_LEAST = "less than", "at least"
_RELATIONS = (LESS_THAN, AT_LEAST)
CONSTRAINED_OPTIONS = ("My answer is yes.", "My answer is no.", "My answer is maybe.")


# --- reading arguments -------------------------------------------------------------------


def _int(args: Args, name: str, minimum: int = 0) -> int:
    value = args.get(name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"needs an integer `{name}` >= {minimum}, got {value!r}")
    return value


def _text(args: Args, name: str) -> str:
    value = args.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"needs a non-empty string `{name}`, got {value!r}")
    return value


def _words(args: Args, name: str) -> list[str]:
    value = args.get(name)
    if (
        not isinstance(value, list | tuple)
        or not value
        or not all(isinstance(v, str) for v in value)
    ):
        raise ValueError(f"needs a non-empty list of strings `{name}`, got {value!r}")
    return list(value)


def _relation(args: Args, name: str) -> str:
    value = args.get(name)
    if value not in _RELATIONS:
        raise ValueError(f"needs `{name}` in {list(_RELATIONS)}, got {value!r}")
    return str(value)


def _compare(count: int, relation: str, threshold: int) -> bool:
    return count < threshold if relation == LESS_THAN else count >= threshold


# --- keywords ----------------------------------------------------------------------------


def keywords_existence(args: Args) -> Check:
    """Every keyword occurs, case-insensitively; as in the reference, a keyword is a regex."""
    keywords = _words(args, "keywords")
    return lambda reply: all(re.search(k, reply, flags=re.IGNORECASE) for k in keywords)


def keyword_frequency(args: Args) -> Check:
    """Occurrences of the keyword (a regex, inside words too) against the threshold."""
    keyword = _text(args, "keyword").strip()
    frequency = _int(args, "frequency")
    relation = _relation(args, "relation")
    return lambda reply: _compare(
        len(re.findall(keyword, reply, flags=re.IGNORECASE)), relation, frequency
    )


def forbidden_words(args: Args) -> Check:
    """No forbidden word as a whole word (`\\b` both sides), case-insensitively."""
    words = sorted(set(_words(args, "forbidden_words")))
    return lambda reply: (
        not any(re.search(r"\b" + word + r"\b", reply, flags=re.IGNORECASE) for word in words)
    )


def letter_frequency(args: Args) -> Check:
    """Occurrences of one ASCII letter in the lower-cased reply against the threshold."""
    letter = args.get("letter")
    if not isinstance(letter, str) or len(letter) != 1 or letter.lower() not in ascii_lowercase:
        raise ValueError(f"needs one ASCII letter `letter`, got {letter!r}")
    wanted = letter.lower()
    frequency = _int(args, "let_frequency")
    relation = _relation(args, "let_relation")
    return lambda reply: _compare(Counter(reply.lower())[wanted], relation, frequency)


# --- language and case -------------------------------------------------------------------


def response_language(args: Args) -> Check:
    """langdetect's verdict is the language asked; undetectable text passes (the reference's)."""
    language = _text(args, "language")

    def check(reply: str) -> bool:
        found = detect_language(reply)
        return found is None or found == language

    return check


def english_capital(args: Args) -> Check:
    """All cased letters upper case, and English (or undetectable)."""
    return lambda reply: reply.isupper() and detect_language(reply) in (None, "en")


def english_lowercase(args: Args) -> Check:
    """All cased letters lower case, and English (or undetectable)."""
    return lambda reply: reply.islower() and detect_language(reply) in (None, "en")


def capital_word_frequency(args: Args) -> Check:
    """Upper-case NLTK tokens (punctuation-only tokens are never upper) against the threshold."""
    frequency = _int(args, "capital_frequency")
    relation = _relation(args, "capital_relation")
    return lambda reply: _compare(
        sum(1 for token in word_tokens(reply) if token.isupper()), relation, frequency
    )


# --- length ------------------------------------------------------------------------------


def number_sentences(args: Args) -> Check:
    """Punkt's sentence count against the threshold."""
    threshold = _int(args, "num_sentences")
    relation = _relation(args, "relation")
    return lambda reply: _compare(count_sentences(reply), relation, threshold)


def number_words(args: Args) -> Check:
    """Runs of word characters against the threshold."""
    threshold = _int(args, "num_words")
    relation = _relation(args, "relation")
    return lambda reply: _compare(count_words(reply), relation, threshold)


def _count_divided_paragraphs(reply: str) -> int | None:
    """Paragraphs between `***` dividers; None when one between two dividers is empty."""
    parts = re.split(r"\s?\*\*\*\s?", reply)
    count = len(parts)
    for index, part in enumerate(parts):
        if not part.strip():
            if index in (0, len(parts) - 1):
                count -= 1  # a divider at the very start or end opens no paragraph
            else:
                return None
    return count


def number_paragraphs(args: Args) -> Check:
    """Exactly N paragraphs separated by the markdown divider `***`."""
    wanted = _int(args, "num_paragraphs")
    return lambda reply: _count_divided_paragraphs(reply) == wanted


_FIRST_WORD_STOPS = frozenset(".,?!'\"")


def _first_word(paragraph: str) -> str:
    """The first word lower-cased, leading quotes dropped, cut at the first punctuation."""
    word = paragraph.split()[0].strip().lstrip("'").lstrip('"')
    letters: list[str] = []
    for char in word:
        if char in _FIRST_WORD_STOPS:
            break
        letters.append(char.lower())
    return "".join(letters)


def nth_paragraph_first_word(args: Args) -> Check:
    """N paragraphs separated by blank lines (`\\n\\n`), paragraph k starting with a word.

    As in the reference, empty paragraphs are not counted, but paragraph k is
    the k-th piece of the split, empty ones included (an empty one fails).
    """
    wanted = _int(args, "num_paragraphs", minimum=1)
    nth = _int(args, "nth_paragraph", minimum=1)
    if nth > wanted:
        raise ValueError(f"`nth_paragraph` {nth} is beyond `num_paragraphs` {wanted}")
    first_word = _text(args, "first_word").lower()

    def check(reply: str) -> bool:
        parts = reply.split("\n\n")
        count = sum(1 for part in parts if part.strip())
        if nth > count:
            return False
        paragraph = parts[nth - 1].strip()
        if not paragraph:
            return False
        return count == wanted and _first_word(paragraph) == first_word

    return check


# --- content -----------------------------------------------------------------------------


def number_placeholders(args: Args) -> Check:
    """At least N square-bracket placeholders such as `[address]`."""
    wanted = _int(args, "num_placeholders")
    return lambda reply: len(re.findall(r"\[.*?\]", reply)) >= wanted


def postscript(args: Args) -> Check:
    """A line holding the marker (`P.S.`, `P.P.S`, or another marker read as a regex)."""
    marker = _text(args, "postscript_marker").strip()
    if marker == "P.P.S":
        pattern = r"\s*p\.\s?p\.\s?s.*$"
    elif marker == "P.S.":
        pattern = r"\s*p\.\s?s\..*$"
    else:
        pattern = r"\s*" + marker.lower() + r".*$"
    return lambda reply: bool(re.findall(pattern, reply.lower(), flags=re.MULTILINE))


# --- format ------------------------------------------------------------------------------


def number_bullet_lists(args: Args) -> Check:
    """Exactly N lines starting with `* ` (not `**`) or `-`, after optional blanks."""
    wanted = _int(args, "num_bullets")

    def check(reply: str) -> bool:
        stars = re.findall(r"^\s*\*[^\*].*$", reply, flags=re.MULTILINE)
        dashes = re.findall(r"^\s*-.*$", reply, flags=re.MULTILINE)
        return len(stars) + len(dashes) == wanted

    return check


def constrained_response(args: Args) -> Check:
    """One of the three fixed answers appears anywhere in the reply."""
    return lambda reply: any(option in reply.strip() for option in CONSTRAINED_OPTIONS)


def highlighted_sections(args: Args) -> Check:
    """At least N non-blank highlights on one line, `*italic*` or `**bold**`.

    The bold count is lm-evaluation-harness's (0.4.13) addition to Google's
    rule: the `*...*` pattern alone reads `**bold**` as two empty `**` pairs,
    so bold spans went uncounted. `***x***` counts as both.
    """
    wanted = _int(args, "num_highlights")

    def check(reply: str) -> bool:
        singles = re.findall(r"\*[^\n\*]*\*", reply)
        doubles = re.findall(r"\*\*[^\n\*]*\*\*", reply)
        count = sum(1 for span in singles if span.strip("*").strip())
        count += sum(1 for span in doubles if span.removeprefix("**").removesuffix("**").strip())
        return count >= wanted

    return check


def multiple_sections(args: Args) -> Check:
    """At least N section markers (`Section 1`; the splitter is read as a regex)."""
    splitter = _text(args, "section_spliter").strip()
    wanted = _int(args, "num_sections")
    pattern = r"\s?" + splitter + r"\s?\d+\s?"
    return lambda reply: len(re.split(pattern, reply)) - 1 >= wanted


def json_format(args: Args) -> Check:
    """The whole reply parses as JSON, once one surrounding code fence is taken off."""

    def check(reply: str) -> bool:
        body = reply.strip()
        for fence in ("```json", "```Json", "```JSON", "```"):
            body = body.removeprefix(fence)
        body = body.removesuffix("```").strip()
        try:
            json.loads(body)
        except (ValueError, RecursionError):
            return False
        return True

    return check


def title(args: Args) -> Check:
    """A non-blank title in double angle brackets on one line: `<<poem of joy>>`."""
    return lambda reply: any(
        found.lstrip("<").rstrip(">").strip() for found in re.findall(r"<<[^\n]+>>", reply)
    )


# --- combination -------------------------------------------------------------------------


def two_responses(args: Args) -> Check:
    """Two different non-empty responses split by `******` (empty only at either end)."""

    def check(reply: str) -> bool:
        parts = reply.split("******")
        responses: list[str] = []
        for index, part in enumerate(parts):
            if part.strip():
                responses.append(part)
            elif index not in (0, len(parts) - 1):
                return False
        return len(responses) == 2 and responses[0].strip() != responses[1].strip()

    return check


def repeat_prompt(args: Args) -> Check:
    """The reply starts with the request, word for word (case and outer blanks aside)."""
    prompt = _text(args, "prompt_to_repeat").strip().lower()
    return lambda reply: reply.strip().lower().startswith(prompt)


# --- start and end -----------------------------------------------------------------------


def end_checker(args: Args) -> Check:
    """The reply ends with the phrase, case aside, ignoring outer blanks and double quotes."""
    phrase = _text(args, "end_phrase").strip().lower()
    return lambda reply: reply.strip().strip('"').lower().endswith(phrase)


def quotation(args: Args) -> Check:
    """The whole reply (outer blanks aside) is wrapped in double quotes."""

    def check(reply: str) -> bool:
        body = reply.strip()
        return len(body) > 1 and body[0] == '"' and body[-1] == '"'

    return check


# --- punctuation -------------------------------------------------------------------------


def no_comma(args: Args) -> Check:
    """No ASCII comma anywhere."""
    return lambda reply: "," not in reply
