from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchlab.scorers.match import contains, exact, regex
from benchlab.scorers.normalize import as_text, normalize_text

from ._helpers import run

# -- normalisation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("  Paris.  ", "paris"),
        ("**Paris**", "paris"),
        ('"Paris"', "paris"),
        ("\u201cParis\u201d", "paris"),
        ("PARIS!!!", "paris"),
        ("New   York\n City", "new york city"),
        ("\uff30\uff41\uff52\uff49\uff53", "paris"),  # full-width letters
        ("Stra\u00dfe", "strasse"),  # casefold, not lower
        ("C++", "c++"),
        ("-5", "-5"),
        ("50%", "50%"),
        ("", ""),
        ("...", ""),
    ],
)
def test_normalize_text(raw: str, normal: str) -> None:
    assert normalize_text(raw) == normal


def test_normalize_articles_only_when_asked() -> None:
    assert normalize_text("The Eiffel Tower") == "the eiffel tower"
    assert normalize_text("The Eiffel Tower", remove_articles=True) == "eiffel tower"
    assert normalize_text("an apple a day", remove_articles=True) == "apple day"
    assert normalize_text("theatre", remove_articles=True) == "theatre"


def test_as_text_tolerates_odd_outputs() -> None:
    assert as_text(None) == ""
    assert as_text(b"caf\xc3\xa9") == "caf\u00e9"
    assert as_text(42) == "42"


@settings(max_examples=1000)
@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    articles = normalize_text(text, remove_articles=True)
    assert normalize_text(articles, remove_articles=True) == articles


@given(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1))
def test_exact_passes_any_text_against_itself_decorated(word: str) -> None:
    scorer = exact()
    assert run(scorer, word, f"  **{word}**.\n").passed


# -- exact ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "output"),
    [
        ("Paris", "paris"),
        ("Paris", "Paris."),
        ("Paris", "  **Paris**\n"),
        ("New York", "new  york"),
        (["Paris", "Paris, France"], "Paris, France."),
        (30, "30"),
        (2.5, "2.5"),
        (True, "True"),
    ],
)
def test_exact_passes(expected: object, output: str) -> None:
    result = run(exact(), expected, output)
    assert result.passed and result.value == 1.0
    assert "matched" in result.explanation


@pytest.mark.parametrize(
    ("expected", "output"),
    [
        ("Paris", "Lyon"),
        ("Paris", "Paris, France"),
        ("Paris", "The answer is Paris"),
        (["Paris", "Lutetia"], "Rome"),
        ("30", "30 days"),
        ("Paris", ""),
        ("Paris", None),
    ],
)
def test_exact_fails(expected: object, output: object) -> None:
    result = run(exact(), expected, output)
    assert not result.passed and result.value == 0.0
    assert result.explanation.startswith("expected")


def test_exact_explanation_names_both_sides() -> None:
    result = run(exact(), "Paris", "Lyon")
    assert result.explanation == "expected 'Paris', found 'lyon'"
    result = run(exact(), ["Paris", "Lutetia"], "Rome")
    assert "one of ['Paris', 'Lutetia']" in result.explanation


def test_exact_case_sensitive() -> None:
    scorer = exact(case_sensitive=True)
    assert run(scorer, "Paris", "Paris.").passed
    assert not run(scorer, "Paris", "paris").passed


def test_exact_without_normalisation_still_trims_whitespace() -> None:
    scorer = exact(normalize=False)
    assert run(scorer, "Paris", "paris\n").passed  # still case-insensitive by default
    assert not run(scorer, "Paris", "Paris.").passed
    assert not run(scorer, "New York", "New  York").passed


def test_exact_remove_articles() -> None:
    assert run(exact(remove_articles=True), "Eiffel Tower", "The Eiffel Tower.").passed
    assert not run(exact(), "Eiffel Tower", "The Eiffel Tower.").passed


def test_exact_huge_output_does_not_crash() -> None:
    result = run(exact(), "Paris", "Paris " * 200_000)
    assert not result.passed
    assert len(result.explanation) < 200


@pytest.mark.parametrize("expected", [None, [], {"a": 1}, [["nested"]]])
def test_exact_unusable_expected_is_value_error(expected: object) -> None:
    with pytest.raises(ValueError, match="case 'c1'"):
        run(exact(), expected, "anything")


@pytest.mark.parametrize(
    "options",
    [{"case_sensitive": "yes"}, {"normalize": 1}, {"remove_articles": None}],
)
def test_exact_bad_option_values(options: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="must be true or false"):
        exact(**options)


def test_exact_unknown_option_is_type_error() -> None:
    with pytest.raises(TypeError):
        exact(casesensitive=True)  # type: ignore[call-arg]


# -- contains ------------------------------------------------------------------


def test_contains_all_items_present() -> None:
    result = run(contains(), ["reset link", "email"], "We EMAIL you a Reset Link.")
    assert result.passed and result.value == 1.0


def test_contains_lists_missing_items_and_gives_partial_value() -> None:
    result = run(contains(), ["reset link", "email", "24 hours"], "Click the reset link.")
    assert not result.passed
    assert result.value == pytest.approx(1 / 3)
    assert result.explanation == "missing ['email', '24 hours'] (found 1/3)"


def test_contains_single_string() -> None:
    assert run(contains(), "refund", "You can get a refund within 30 days").passed
    assert not run(contains(), "refund", "No money back.").passed


def test_contains_any_mode() -> None:
    scorer = contains(mode="any")
    assert run(scorer, ["Paris", "Lutetia"], "It was called Lutetia").passed
    result = run(scorer, ["Paris", "Lutetia"], "Rome")
    assert not result.passed and result.value == 0.0
    assert "none of" in result.explanation


def test_contains_ignores_case_and_edge_punctuation_of_reference() -> None:
    assert run(contains(), "Reset link.", "use the RESET LINK we sent").passed


def test_contains_substring_vs_whole_words() -> None:
    assert run(contains(), "cat", "concatenate").passed
    scorer = contains(whole_words=True)
    assert not run(scorer, "cat", "concatenate").passed
    assert run(scorer, "cat", "the cat sat").passed
    assert run(scorer, "C++", "I like c++ a lot").passed


def test_contains_case_sensitive() -> None:
    scorer = contains(case_sensitive=True)
    assert run(scorer, "NASA", "NASA launched").passed
    assert not run(scorer, "NASA", "nasa launched").passed


def test_contains_odd_outputs() -> None:
    assert not run(contains(), "x", None).passed
    assert not run(contains(), "x", "").passed
    assert run(contains(), "needle", "hay " * 100_000 + "needle").passed


def test_contains_empty_item_is_unusable() -> None:
    with pytest.raises(ValueError, match="empty item"):
        run(contains(), ["ok", "..."], "ok")


def test_contains_bad_mode() -> None:
    with pytest.raises(ValueError, match="'mode'"):
        contains(mode="most")


# -- regex ---------------------------------------------------------------------


def test_regex_from_option_searches_and_ignores_case() -> None:
    scorer = regex(pattern=r"\bparis\b")
    assert run(scorer, None, "It is PARIS.").passed
    result = run(scorer, None, "It is Lyon.")
    assert not result.passed
    assert "does not match" in result.explanation


def test_regex_from_expected_list_any() -> None:
    scorer = regex()
    assert run(scorer, [r"\b4\b", r"\bfour\b"], "The answer is four.").passed
    result = run(scorer, [r"\b4\b", r"\bfour\b"], "five")
    assert not result.passed and "any of" in result.explanation


def test_regex_all_mode() -> None:
    scorer = regex(pattern=["def ", "return"], mode="all")
    assert run(scorer, None, "def f():\n    return 1").passed
    result = run(scorer, None, "def f(): pass")
    assert not result.passed and result.value == 0.5
    assert "return" in result.explanation


def test_regex_option_wins_over_expected() -> None:
    scorer = regex(pattern=r"^\d+$", full_match=True)
    assert run(scorer, "not a pattern (", " 42\n").passed


def test_regex_full_match_strips_output() -> None:
    scorer = regex(full_match=True)
    assert run(scorer, r"\d+", "42\n").passed
    assert not run(scorer, r"\d+", "42 apples").passed
    assert run(regex(), r"\d+", "42 apples").passed


def test_regex_case_sensitive_when_asked() -> None:
    scorer = regex(pattern="Paris", ignore_case=False)
    assert run(scorer, None, "Paris").passed
    assert not run(scorer, None, "paris").passed


def test_regex_invalid_pattern_option_is_value_error() -> None:
    with pytest.raises(ValueError, match="invalid regex"):
        regex(pattern="(unclosed")
    with pytest.raises(ValueError, match="non-empty string"):
        regex(pattern=["ok", 3])
    with pytest.raises(ValueError, match="empty list"):
        regex(pattern=[])


def test_regex_invalid_pattern_in_case_names_case() -> None:
    with pytest.raises(ValueError, match=r"case 'c1': invalid regex"):
        run(regex(), "[a-", "x")
    with pytest.raises(ValueError, match="case 'c1'"):
        run(regex(), None, "x")


def test_regex_odd_outputs() -> None:
    assert not run(regex(), "x", None).passed
    assert run(regex(), "^$", "").passed
