from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchlab.scorers.fuzzy import fuzzy

from ._helpers import run


def test_identical_after_normalisation_is_one() -> None:
    result = run(fuzzy(), "The Eiffel Tower", "the eiffel tower.")
    assert result.passed and result.value == 1.0


def test_small_typo_passes_default_threshold() -> None:
    result = run(fuzzy(), "Eiffel Tower", "Eifel Tower")
    assert result.passed
    assert result.value is not None and 0.9 < result.value < 1.0


def test_unrelated_text_fails() -> None:
    result = run(fuzzy(), "Eiffel Tower", "Statue of Liberty")
    assert not result.passed
    assert result.value is not None and result.value < 0.5
    assert "< threshold 0.8" in result.explanation


def test_explanation_names_method_value_and_reference() -> None:
    result = run(fuzzy(), "Eiffel Tower", "Eifel Tower")
    assert result.explanation.startswith("ratio 0.9")
    assert "'Eiffel Tower'" in result.explanation
    assert ">= threshold 0.8" in result.explanation


def test_best_of_a_list_of_references() -> None:
    result = run(fuzzy(), ["Statue of Liberty", "Eiffel Tower"], "Eiffel Towr")
    assert result.passed
    assert "'Eiffel Tower'" in result.explanation


def test_threshold_option() -> None:
    assert not run(fuzzy(threshold=0.99), "Eiffel Tower", "Eifel Tower").passed
    assert run(fuzzy(threshold=0.0), "abc", "xyz").passed
    assert run(fuzzy(threshold=1.0), "abc", "ABC").passed


def test_partial_ratio_finds_reference_inside_a_sentence() -> None:
    text = "I believe the landmark is the Eiffel Tower in Paris."
    assert not run(fuzzy(), "Eiffel Tower", text).passed
    result = run(fuzzy(method="partial_ratio"), "Eiffel Tower", text)
    assert result.passed and result.value == 1.0


def test_token_methods_ignore_word_order() -> None:
    assert not run(fuzzy(), "Tower Eiffel", "Eiffel Tower").passed
    assert run(fuzzy(method="token_sort_ratio"), "Tower Eiffel", "Eiffel Tower").passed
    assert run(fuzzy(method="token_set_ratio"), "Eiffel Tower", "the Eiffel Tower, Paris").passed
    assert not run(fuzzy(method="token_sort_ratio"), "Eiffel Tower", "Big Ben").passed


def test_without_normalisation_case_counts() -> None:
    assert run(fuzzy(normalize=False, threshold=0.5), "abc", "abc").value == 1.0
    result = run(fuzzy(normalize=False), "ABCDEF", "abcdef")
    assert not result.passed and result.value == 0.0


@pytest.mark.parametrize("output", ["", None, "   "])
def test_empty_answer_scores_zero(output: object) -> None:
    result = run(fuzzy(), "Eiffel Tower", output)
    assert not result.passed and result.value == 0.0


def test_empty_reference_matches_only_empty_answer() -> None:
    assert run(fuzzy(), "", "").passed
    assert not run(fuzzy(), "", "something").passed


def test_huge_answer() -> None:
    result = run(fuzzy(method="partial_ratio"), "needle", "hay " * 50_000 + "needle")
    assert result.passed


@given(st.text(), st.text())
def test_value_always_in_unit_interval(reference: str, output: str) -> None:
    for method in ("ratio", "partial_ratio", "token_set_ratio", "token_sort_ratio"):
        result = run(fuzzy(method=method), reference, output)
        assert result.passed == (result.value is not None and result.value >= 0.8)


@pytest.mark.parametrize(
    "options",
    [
        {"threshold": 80},
        {"threshold": -0.1},
        {"threshold": "0.8"},
        {"method": "levenshtein"},
        {"normalize": "no"},
    ],
)
def test_bad_options(options: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="option"):
        fuzzy(**options)


def test_unusable_expected() -> None:
    with pytest.raises(ValueError, match="case 'c1': fuzzy scorer"):
        run(fuzzy(), None, "x")
