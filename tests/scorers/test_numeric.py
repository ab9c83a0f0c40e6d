from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchlab.scorers.normalize import final_number, find_numbers, parse_number
from benchlab.scorers.numeric import numeric

from ._helpers import run

# -- extraction ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", "42"),
        ("The answer is 42.", "42"),
        ("She pays $1,234.50 in total.", "1234.50"),
        ("1,234,567", "1234567"),
        ("#### 1,234", "1234"),
        ("Step 1: 3 + 4 = 7\nStep 2: 7 * 2 = 14\n#### 14", "14"),
        ("#### 72\nHope this helps, 2 days", "72"),  # the marker beats a later number
        ("so the total is $\\boxed{18}$ and 3 more words", "18"),
        ("x = -5", "-5"),
        ("It lost -$3.25", "-3.25"),
        ("It lost $-3.25", "-3.25"),
        ("\u22127 degrees", "-7"),  # U+2212 minus sign
        ("about 12.5%", "12.5"),
        ("12 %", "12"),
        ("6.02e23 molecules", "6.02e23"),
        ("1.5E-3", "0.0015"),
        (".5 liters", "0.5"),
        ("3.0", "3"),
        ("from 3-5 days", "5"),  # a range, not minus five
        ("GPT-4", "4"),
        ("1,2,3", "3"),  # a list, not a thousands-separated number
        ("2024-01-15", "15"),
        ("\uff11\uff12\uff13", "123"),  # full-width digits
        ("The answer is 42.\n\n", "42"),
        ("x2 and v3 only", None),
        ("no numbers here", None),
        ("", None),
    ],
)
def test_final_number(text: str, value: str | None) -> None:
    found = final_number(text)
    if value is None:
        assert found is None
    else:
        assert found is not None and found.value == Decimal(value)


def test_find_numbers_in_order() -> None:
    values = [n.value for n in find_numbers("Add 1,000 and 2.5 then subtract -3")]
    assert values == [Decimal(1000), Decimal("2.5"), Decimal(-3)]


def test_final_number_in_huge_output_is_found_at_the_end() -> None:
    text = "reasoning 7 " * 200_000 + "so the answer is 1,234,567"
    found = final_number(text)
    assert found is not None and found.value == 1234567


def test_final_number_not_cut_at_tail_window_edge() -> None:
    # The last number straddles where a naive tail scan would cut the text,
    # and its comma groups would each read as a number on their own.
    number = 10**3000 + 123
    for tail in ("", " x", " " + "x" * 100, "." + " " * 2040):
        text = "words " * 1000 + f"{number:,}" + tail
        found = final_number(text)
        assert found is not None and found.value == number


def test_final_number_skips_digits_inside_words_in_huge_output() -> None:
    found = final_number("Total 17. " + "x2 v3 " * 100_000)
    assert found is not None and found.value == 17
    assert final_number("H2O " * 100_000) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", "42"),
        (" 1,234 ", "1234"),
        ("$1,234.50", "1234.50"),
        ("-3e5", "-300000"),
        ("12%", "12"),
        ("42.", "42"),
        (7, "7"),
        (2.5, "2.5"),
    ],
)
def test_parse_number(text: object, value: str) -> None:
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize(
    "value", ["", "abc", "1 2", "42 apples", "1,23", True, None, float("nan"), float("inf"), []]
)
def test_parse_number_rejects(value: object) -> None:
    assert parse_number(value) is None


@given(
    n=st.integers(min_value=-(10**15), max_value=10**15),
    before=st.sampled_from(["", "The answer is ", "So she has ", "Total: $", "#### "]),
    after=st.sampled_from(["", ".", " apples.", "!\n", " in total"]),
)
def test_thousands_separated_int_round_trips(n: int, before: str, after: str) -> None:
    if before.endswith("$") and n < 0:
        before = before[:-1] + "-$"
        text = f"{before}{abs(n):,}{after}"
    else:
        text = f"{before}{n:,}{after}"
    found = final_number(text)
    assert found is not None and found.value == n
    assert run(numeric(), n, text).passed
    assert not run(numeric(), n + 1, text).passed


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-1e9, max_value=1e9))
def test_decimals_round_trip(value: Decimal) -> None:
    found = final_number(f"result: {value:f} units")
    assert found is not None and found.value == value


@given(st.text())
def test_extraction_never_raises(text: str) -> None:
    final_number(text)
    run(numeric(), 1, text)


# -- the scorer ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "output"),
    [
        (42, "The answer is 42."),
        ("42", "#### 42"),
        ("1,234", "$1234.00"),
        (1234, "Total: 1,234"),
        (0.5, "0.50"),
        (0.3, "0.30000000000000004"),  # float noise under the 1e-9 floor
        (-7, "It is \u22127"),
        (12, "12%"),
        ("Natalia sold 48/2 = 24 clips in May.\n#### 72", "72"),  # a full GSM8K answer
        ([10, "10.0"], "10"),
        (10**30, "1" + "0" * 30),
    ],
)
def test_numeric_passes(expected: object, output: str) -> None:
    result = run(numeric(), expected, output)
    assert result.passed and result.value == 1.0


@pytest.mark.parametrize(
    ("expected", "output"),
    [
        (42, "41"),
        (42, "The answer is 42, no wait, 43"),
        (42, "42 is wrong, it is 24"),
        (10**30, "1" + "0" * 29 + "1"),  # big integers compare exactly
        (0.1, "0.1000001"),
        (5, "five"),
        (5, ""),
        (5, None),
    ],
)
def test_numeric_fails(expected: object, output: object) -> None:
    result = run(numeric(), expected, output)
    assert not result.passed and result.value == 0.0


def test_numeric_explanations() -> None:
    result = run(numeric(tolerance=0.5), 42, "about 41.5")
    assert result.passed
    assert result.explanation == "expected 42, found 41.5 (tolerance 0.5)"
    result = run(numeric(), 42, "no idea")
    assert result.explanation == "expected 42, found no number"
    result = run(numeric(), [1, 2], "3")
    assert result.explanation == "expected 1 or 2, found 3"
    result = run(numeric(relative=0.01), 100, "102")
    assert result.explanation == "expected 100, found 102 (relative 0.01)"


def test_numeric_absolute_tolerance_boundary() -> None:
    scorer = numeric(tolerance=0.5)
    assert run(scorer, 42, "42.5").passed
    assert run(scorer, 42, "41.5").passed
    assert not run(scorer, 42, "42.51").passed


def test_numeric_relative_tolerance() -> None:
    scorer = numeric(relative=0.01)
    assert run(scorer, 1000, "1,010").passed
    assert not run(scorer, 1000, "1,011").passed
    assert run(scorer, -1000, "-990").passed
    assert not run(scorer, 0, "0.001").passed  # relative to zero is exact


def test_numeric_either_tolerance_suffices() -> None:
    scorer = numeric(tolerance=1, relative=0.001)
    assert run(scorer, 10, "11").passed  # absolute
    assert run(scorer, 1_000_000, "1,000,900").passed  # relative
    assert not run(scorer, 1_000_000, "1,002,000").passed


def test_numeric_huge_and_odd_numbers_do_not_raise() -> None:
    assert not run(numeric(), 1, "9" * 100_000).passed
    assert not run(numeric(), 1, "1e9999").passed
    assert run(numeric(relative=0.5), "1e9999", "1.2e9999").passed


@pytest.mark.parametrize("expected", [None, "forty-two", "", True, [], {"n": 1}, "nan"])
def test_numeric_unusable_expected(expected: object) -> None:
    with pytest.raises(ValueError, match="case 'c1': numeric scorer"):
        run(numeric(), expected, "42")


@pytest.mark.parametrize(
    "options",
    [
        {"tolerance": -1},
        {"tolerance": "0.1"},
        {"tolerance": float("nan")},
        {"tolerance": True},
        {"relative": -0.1},
        {"relative": "1%"},
    ],
)
def test_numeric_bad_options(options: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="option"):
        numeric(**options)
