"""How two reference harnesses read a multiple-choice reply, for `choice`'s `parse` option.

benchlab's own reading (`choice.extract_choice`) looks for the letter a reply
commits to anywhere in it. The published MMLU-style figures are not graded
that way, and a figure meant to sit next to theirs must be read their way:

- lm-evaluation-harness, `tasks/mmlu/generative` (`parse: lm-eval`): the
  reply is the model's text up to its first newline or "</s>" (the task's
  stop sequences); its filters keep that first line, stripped; `exact_match` with
  `ignore_case` and `ignore_punctuation` compares it with the letter. So "B",
  "(b)", "**B**." and "'B'" are B; "B) Paris" and "The answer is B" are no
  answer at all.
- inspect_ai's `multiple_choice` solver + `choice` scorer (`parse: inspect`):
  the template asks for "ANSWER: $LETTER"; `parse_answers` takes the last line
  of that form (else, for backward compatibility, the last "ANSWER: ..."
  anywhere), and accepts it only when it names exactly one allowed letter
  ("ANSWER: b." is B; "ANSWER: B because..." and "ANSWER: A, B" are nothing).

Both are reproduced to the character, including their regular expressions'
Unicode behaviour; tests compare them with the references on generated
replies. Neither guesses: a reply they cannot read has no letter.
"""

from __future__ import annotations

import re
import string

__all__ = ["PARSERS", "extract_inspect", "extract_lm_eval"]

PARSERS = ("benchlab", "lm-eval", "inspect")

_NO_PUNCTUATION = str.maketrans("", "", string.punctuation)


def _exact_match_form(text: str) -> str:
    """lm-eval's `exact_match` normal form with ignore_case and ignore_punctuation.

    It lower-cases numpy string arrays, which map U+0130 to a plain "i" where
    `str.lower` gives two characters, and drop trailing NUL characters.
    """
    lowered = text.replace("\u0130", "i").lower()
    return lowered.translate(_NO_PUNCTUATION).rstrip("\x00")


def extract_lm_eval(text: str, letters: str) -> tuple[str | None, str]:
    """The letter lm-eval's mmlu generative grading sees in `text`, and what it compared."""
    first_line = text.split("</s>", 1)[0].split("\n", 1)[0].strip()
    seen = _exact_match_form(first_line)
    for letter in letters:
        if seen == letter.lower():
            return letter, first_line
    return None, first_line


# inspect_ai's two patterns, strict (a line of its own) then lenient (anywhere).
_INSPECT_LINE = re.compile(r"(?i)^ANSWER\s*:\s*([A-Za-z\d ,]+)\s*(?:$|\n|\.)", re.MULTILINE)
_INSPECT_ANYWHERE = re.compile(r"(?i)ANSWER\s*:\s*([A-Za-z\d ,]+)(?:[^\w]|\n|$|\.)")


def extract_inspect(text: str, letters: str) -> tuple[str | None, str]:
    """The single letter inspect_ai's `parse_answers` reads from `text`, and what it read."""
    found = _INSPECT_LINE.findall(text) or _INSPECT_ANYWHERE.findall(text)
    if not found:
        return None, ""
    said = str(found[-1]).strip().rstrip(".").upper()
    tokens = [token for token in said.split(",") if token]
    if len(tokens) == 1 and len(tokens[0]) == 1 and tokens[0] in letters:
        return tokens[0], said
    return None, said
