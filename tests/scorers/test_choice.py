from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchlab.scorers.choice import choice, extract_choice

from ._helpers import run


@pytest.mark.parametrize(
    ("text", "letter"),
    [
        # explicit statements
        ("The answer is (B)", "B"),
        ("The answer is B.", "B"),
        ("Answer: d", "D"),
        ("answer:b", "B"),
        ("ANSWER: C", "C"),
        ("Final answer: **C**", "C"),
        ("The correct answer is: **(B) Paris**", "B"),
        ("The correct answer is option C because it is larger.", "C"),
        ("The answer is A because the others are wrong", "A"),
        ("So the answer would be (D).", "D"),
        ("I'd go with C.", "C"),
        ("I choose option B", "B"),
        ("Option B is correct.", "B"),
        ("(C) is the correct answer.", "C"),
        ("Final Answer: $\\boxed{\\text{(C)}}$", "C"),
        ("$\\boxed{B}$", "B"),
        # the last explicit statement wins over earlier ones and over stray letters
        ("At first the answer is A, but the answer is actually D.", "D"),
        ("A) foo\nB) bar\nC) baz\nD) qux\n\nAnswer: C", "C"),
        ("**A** looks right but the answer is B", "B"),
        # a lone letter
        ("B", "B"),
        ("b", "B"),
        (" (B). ", "B"),
        ("**C**", "C"),
        ("D)", "D"),
        # weaker evidence, used only when unambiguous
        ("B) because it has the most moons", "B"),
        ("**C) Paris**\n\nParis is the capital.", "C"),
        ("I think (C) fits best.", "C"),
        ("The answer is a bit tricky. I think C is right.", "C"),
        ("A cat sat on the mat, so B.", "B"),
    ],
)
def test_extracts(text: str, letter: str) -> None:
    assert extract_choice(text).letter == letter


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "I don't know.",
        "The answer is a trick question.",
        "Answer: Because reasons",
        "A) foo\nB) bar\nC) baz\nD) qux",  # just the options repeated
        "Either (A) or (C).",
        "E",  # not among the default choices
        "The answer is E",
    ],
)
def test_no_choice(text: str) -> None:
    got = extract_choice(text)
    assert got.letter is None
    assert got.how


def test_ambiguity_is_reported_with_candidates() -> None:
    got = extract_choice("Either (A) or (C).")
    assert got.how == "ambiguous parenthesised letters"
    assert got.candidates == ("A", "C")


def test_huge_outputs() -> None:
    assert extract_choice("Let me think. " * 100_000 + "Answer: C").letter == "C"
    assert extract_choice("(A) " + "hmm " * 100_000).letter == "A"
    assert extract_choice("\u0130stanbul " * 10_000 + "answer is b").letter == "B"


def test_more_choices() -> None:
    assert extract_choice("The answer is (J)", "ABCDEFGHIJ").letter == "J"
    assert extract_choice("The answer is (J)").letter is None


@given(st.sampled_from("ABCD"), st.sampled_from(["The answer is ({})", "Answer: {}", "{}"]))
def test_templates_round_trip(letter: str, template: str) -> None:
    text = "Let me think about A and B carefully.\n" + template.format(letter)
    if template == "{}":
        text = template.format(letter)
    assert extract_choice(text).letter == letter


@given(st.text())
def test_never_raises(text: str) -> None:
    got = extract_choice(text)
    assert got.letter is None or got.letter in "ABCD"


# -- the scorer ----------------------------------------------------------------


def test_scorer_pass_and_fail() -> None:
    result = run(choice(), "B", "The answer is (B).")
    assert result.passed and result.value == 1.0
    assert result.explanation == "expected B, found B (explicit answer)"
    result = run(choice(), "B", "The answer is (C).")
    assert not result.passed and result.value == 0.0
    assert result.explanation == "expected B, found C (explicit answer)"


def test_scorer_no_choice_explanation() -> None:
    result = run(choice(), "B", "Either (A) or (C).")
    assert not result.passed
    assert result.explanation == "expected B, found ambiguous parenthesised letters (A, C)"
    assert run(choice(), "B", None).explanation == "expected B, found no choice letter"


@pytest.mark.parametrize("expected", ["b", "(B)", " B. ", "B)"])
def test_expected_letter_forms(expected: str) -> None:
    assert run(choice(), expected, "B").passed
    assert not run(choice(), expected, "A").passed


def test_expected_index_is_zero_based() -> None:
    assert run(choice(), 1, "Answer: B").passed
    assert not run(choice(), 0, "Answer: B").passed


def test_expected_option_text_with_options_list() -> None:
    scorer = choice(options=["London", "Paris", "Rome", "Berlin"])
    assert run(scorer, "Paris", "The answer is B").passed
    assert run(scorer, "paris.", "B").passed
    assert not run(scorer, "Paris", "The answer is C").passed


def test_options_list_sets_the_letters() -> None:
    scorer = choice(options=["a", "b", "c", "d", "e"])
    assert run(scorer, "e", "Answer: E").passed
    assert not run(scorer, "e", "Answer: D").passed


def test_expected_option_text_from_case_metadata() -> None:
    meta = {"options": ["London", "Paris", "Rome", "Berlin"]}
    assert run(choice(), "Rome", "Answer: C", metadata=meta).passed
    assert not run(choice(), "Rome", "Answer: A", metadata=meta).passed


def test_expected_in_letter_and_text_form() -> None:
    assert run(choice(), "C) Rome", "Answer: C").passed


def test_custom_choices() -> None:
    scorer = choice(choices="ABCDE")
    assert run(scorer, "E", "The answer is E").passed
    assert run(choice(choices=["a", "b", "c"]), "c", "C").passed


@pytest.mark.parametrize(
    ("expected", "message"),
    [
        (None, "needs `expected`"),
        ("", "needs `expected`"),
        ("E", "not one of the choices ABCD"),
        ("Madrid", "not one of the choices"),
        (7, "outside choices"),
        (True, "needs `expected`"),
    ],
)
def test_unusable_expected(expected: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run(choice(), expected, "A")


def test_option_text_not_in_options() -> None:
    with pytest.raises(ValueError, match=r"'Madrid'.*text of one of"):
        run(choice(options=["London", "Paris"]), "Madrid", "A")


@pytest.mark.parametrize(
    "options",
    [
        {"choices": "AB1"},
        {"choices": "AAB"},
        {"choices": "A"},
        {"choices": ""},
        {"choices": ["AB", "C"]},
        {"choices": 4},
        {"options": "London"},
        {"options": ["only one"]},
        {"choices": "AB", "options": ["x", "y", "z"]},
    ],
)
def test_bad_options(options: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="option"):
        choice(**options)
