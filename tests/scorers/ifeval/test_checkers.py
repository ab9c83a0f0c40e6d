"""The reference's rules that read oddly, pinned one example each (parity covers the rest)."""

from __future__ import annotations

import pytest

from benchlab.scorers.ifeval import checkers


def test_keywords_are_searched_as_regular_expressions_inside_words() -> None:
    check = checkers.keywords_existence({"keywords": ["rain", "e.g."]})
    assert check("It was RAINING, eggs everywhere") is True  # "e.g." matches "eggs"
    assert check("sunny") is False


def test_forbidden_words_are_whole_words_only() -> None:
    check = checkers.forbidden_words({"forbidden_words": ["cat"]})
    assert check("a catalog") is True
    assert check("a Cat.") is False


def test_italic_and_bold_spans_are_highlights_blank_ones_not() -> None:
    check = checkers.highlighted_sections({"num_highlights": 2})
    assert check("an *italic* and a **bold** span") is True
    assert check("only **bold** here, ** ** and * * are blank") is False
    assert check("***both***") is True  # one italic inside one bold


def test_a_bullet_is_a_star_or_dash_line_but_not_bold() -> None:
    check = checkers.number_bullet_lists({"num_bullets": 2})
    assert check("* a\n- b\n**c**") is True
    assert check("* a\n+ b") is False


def test_json_may_sit_in_one_code_fence() -> None:
    check = checkers.json_format({})
    assert check('```json\n{"a": 1}\n```') is True
    assert check('Here:\n```json\n{"a": 1}\n```') is False


def test_the_nth_paragraph_is_counted_among_empty_ones() -> None:
    args = {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "second"}
    check = checkers.nth_paragraph_first_word(args)
    assert check('First one.\n\n"Second, yes.') is True
    assert check("First one.\n\n\n\nSecond one.") is False  # piece 2 is "\n", empty


def test_undetectable_language_counts_as_followed() -> None:
    assert checkers.response_language({"language": "fr"})("12345 !!!") is True
    assert checkers.english_capital({})("12345 !!!") is False  # not upper: no letters at all


@pytest.mark.parametrize(
    ("builder", "args", "message"),
    [
        (checkers.number_sentences, {"num_sentences": 3}, "`relation` in"),
        (checkers.letter_frequency, {"letter": "é", "let_frequency": 2}, "one ASCII letter"),
        (
            checkers.nth_paragraph_first_word,
            {"num_paragraphs": 2, "nth_paragraph": 3, "first_word": "x"},
            "beyond `num_paragraphs`",
        ),
        (checkers.keywords_existence, {"keywords": "rain"}, "list of strings"),
    ],
)
def test_arguments_the_reference_would_draw_at_random_are_errors(
    builder: checkers.Builder, args: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        builder(args)
