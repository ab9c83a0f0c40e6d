"""The IFEval instruction ids, as the dataset spells them, and the verifier of each.

The ids are the reference registry's (lm-evaluation-harness
`tasks/ifeval/instructions_registry.py`); a test fails when the reference
gains an id this table lacks, so a new instruction cannot be graded as
"unknown" without anyone noticing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from benchlab.scorers.ifeval import checkers
from benchlab.scorers.ifeval.checkers import Builder, Check

__all__ = ["INSTRUCTIONS", "build_check"]

INSTRUCTIONS: dict[str, Builder] = {
    "keywords:existence": checkers.keywords_existence,
    "keywords:frequency": checkers.keyword_frequency,
    "keywords:forbidden_words": checkers.forbidden_words,
    "keywords:letter_frequency": checkers.letter_frequency,
    "language:response_language": checkers.response_language,
    "length_constraints:number_sentences": checkers.number_sentences,
    "length_constraints:number_paragraphs": checkers.number_paragraphs,
    "length_constraints:number_words": checkers.number_words,
    "length_constraints:nth_paragraph_first_word": checkers.nth_paragraph_first_word,
    "detectable_content:number_placeholders": checkers.number_placeholders,
    "detectable_content:postscript": checkers.postscript,
    "detectable_format:number_bullet_lists": checkers.number_bullet_lists,
    "detectable_format:constrained_response": checkers.constrained_response,
    "detectable_format:number_highlighted_sections": checkers.highlighted_sections,
    "detectable_format:multiple_sections": checkers.multiple_sections,
    "detectable_format:json_format": checkers.json_format,
    "detectable_format:title": checkers.title,
    "combination:two_responses": checkers.two_responses,
    "combination:repeat_prompt": checkers.repeat_prompt,
    "startend:end_checker": checkers.end_checker,
    "startend:quotation": checkers.quotation,
    "change_case:capital_word_frequency": checkers.capital_word_frequency,
    "change_case:english_capital": checkers.english_capital,
    "change_case:english_lowercase": checkers.english_lowercase,
    "punctuation:no_comma": checkers.no_comma,
}


def build_check(instruction_id: str, kwargs: Mapping[str, Any] | None) -> Check:
    """The check for one instruction of a case; a `ValueError` names what is wrong.

    Unset arguments are dropped first, as the reference drops them: the Hub's
    parquet gives every row every argument name, most of them null.
    """
    builder = INSTRUCTIONS.get(instruction_id)
    if builder is None:
        raise ValueError(f"unknown IFEval instruction id {instruction_id!r}")
    args = {name: value for name, value in (kwargs or {}).items() if value}
    try:
        return builder(args)
    except ValueError as exc:
        raise ValueError(f"instruction {instruction_id!r} {exc}") from exc
