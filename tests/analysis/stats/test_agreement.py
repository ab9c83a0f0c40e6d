"""Agreement statistics against reference implementations (`krippendorff`, scipy) and
examples worked by hand."""

from __future__ import annotations

import math
from collections.abc import Sequence

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from benchlab.analysis.stats.agreement import (
    LEVELS,
    Level,
    cohen_kappa,
    confusion_matrix,
    krippendorff_alpha,
    percent_agreement,
    ranks,
    spearman,
    student_t_two_sided,
)

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: four
# observers, twelve units, values 1-5, missing values; alpha is published per level.
PAPER = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _nan(data: Sequence[Sequence[float | None]]) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_alpha_reproduces_the_published_example(level: Level, published: float) -> None:
    found = krippendorff_alpha(PAPER, level)
    assert found.alpha == pytest.approx(published, abs=5e-4)
    reference = krippendorff.alpha(reliability_data=_nan(PAPER), level_of_measurement=level)
    assert found.alpha == pytest.approx(reference, abs=1e-12)
    # unit 12 has a single value, so it is not pairable; 9 + 1 + 1 of the 41 values drop out
    assert (found.n_units, found.n_values, found.n_coders) == (11, 40, 4)


@settings(max_examples=60, deadline=None)
@given(
    data=st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=8, max_size=8),
        min_size=2,
        max_size=5,
    ),
    level=st.sampled_from(LEVELS),
)
def test_alpha_matches_the_krippendorff_package(data: list[list[int | None]], level: Level) -> None:
    found = krippendorff_alpha(data, level)
    values = {v for row in data for v in row if v is not None}
    if found.alpha is None:
        # no pairable unit, or every pairable value equal: the package refuses these too
        assert found.n_units == 0 or found.expected == 0 or len(values) < 2
        return
    reference = krippendorff.alpha(reliability_data=_nan(data), level_of_measurement=level)
    assert found.alpha == pytest.approx(reference, abs=1e-9)


def test_alpha_nominal_takes_words_and_is_none_without_variation() -> None:
    words: list[list[str | None]] = [
        ["pass", "fail", "pass", None],
        ["pass", "fail", "fail", "pass"],
    ]
    numbers: list[list[int | None]] = [[1, 0, 1, None], [1, 0, 0, 1]]
    assert krippendorff_alpha(words).alpha == pytest.approx(krippendorff_alpha(numbers).alpha)
    same = krippendorff_alpha([["pass", "pass"], ["pass", "pass"]])
    assert same.alpha is None and same.n_units == 2 and same.expected == 0
    lonely: list[list[str | None]] = [["pass", None], [None, "fail"]]
    alone = krippendorff_alpha(lonely)
    assert alone.alpha is None and alone.n_units == 0
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha(numbers, "cardinal")  # type: ignore[arg-type]


def test_percent_agreement_counts_pairs_within_units() -> None:
    # unit 1: one agreeing pair; unit 2: 3 labels, 1 of 3 pairs agree; unit 3 has one label
    assert percent_agreement([[1, 0, 1], [1, 0, None], [None, 1, None]]) == pytest.approx(2 / 4)
    assert percent_agreement([[1, None], [None, 0]]) is None


def test_cohen_kappa_by_hand() -> None:
    # 50 items: both yes 20, a yes b no 5, a no b yes 10, both no 15.
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    k = cohen_kappa(a, b)
    # p_o = 35/50 = .7; p_e = .5 * .6 + .5 * .4 = .5; kappa = (.7 - .5) / .5 = .4
    assert k.observed == pytest.approx(0.7) and k.expected == pytest.approx(0.5) and k.n == 50
    assert k.kappa == pytest.approx(0.4)
    assert cohen_kappa(a, a).kappa == pytest.approx(1.0)
    # missing ratings drop the pair
    assert cohen_kappa([*a, None], [*b, "yes"]).n == 50
    # one category only: chance agreement is 1, kappa undefined
    assert cohen_kappa(["x", "x"], ["x", "x"]).kappa is None
    assert cohen_kappa([], []).kappa is None
    with pytest.raises(ValueError, match="different numbers"):
        cohen_kappa(["a"], [])
    with pytest.raises(ValueError, match="not one of"):
        cohen_kappa(["a"], ["b"], labels=["a"])


def test_weighted_kappa_by_hand() -> None:
    # 3 ordered categories, 3 items: (1,1), (1,2), (3,2)
    a, b = [1, 1, 3], [1, 2, 2]
    # linear agreement weights: 1 - |i-j|/2 -> observed (1 + .5 + .5) / 3 = 2/3
    # rows (2/3, 0, 1/3), cols (1/3, 2/3, 0): expected = sum w_ij r_i c_j = 5/9
    linear = cohen_kappa(a, b, labels=[1, 2, 3], weights="linear")
    assert linear.observed == pytest.approx(2 / 3)
    assert linear.expected == pytest.approx(5 / 9)
    assert linear.kappa == pytest.approx((2 / 3 - 5 / 9) / (1 - 5 / 9))
    quadratic = cohen_kappa(a, b, labels=[1, 2, 3], weights="quadratic")
    # weights 1 - ((i-j)/2)^2: observed (1 + .75 + .75) / 3; expected 2/9*1 + 4/9*.75 + 2/9*.75
    expected = 2 / 9 + 4 / 9 * 0.75 + 2 / 9 * 0.75
    assert quadratic.kappa == pytest.approx((2.5 / 3 - expected) / (1 - expected))


def test_quadratic_kappa_equals_alpha_interval_in_the_limit() -> None:
    """A known identity as a cross-check: with many items, quadratic-weighted kappa and
    interval alpha of the same two raters converge."""
    rng = np.random.default_rng(3)
    a = rng.integers(1, 6, 4000)
    b = np.clip(a + rng.integers(-1, 2, 4000), 1, 5)
    kappa = cohen_kappa(list(a), list(b), labels=[1, 2, 3, 4, 5], weights="quadratic").kappa
    alpha = krippendorff_alpha([list(a), list(b)], "interval").alpha
    assert kappa == pytest.approx(alpha, abs=0.01)


def test_confusion_matrix_rows_are_the_first_rater() -> None:
    c = confusion_matrix(["pass", "pass", "fail", None], ["pass", "fail", "fail", "pass"])
    assert c.labels == ["fail", "pass"]
    assert c.matrix == [[1, 0], [1, 1]]
    assert c.n == 3
    fixed = confusion_matrix(["pass"], ["pass"], labels=["pass", "fail"])
    assert fixed.matrix == [[1, 0], [0, 0]]


def test_ranks_average_ties() -> None:
    assert ranks([10.0, 20.0, 20.0, 5.0]) == [2.0, 3.5, 3.5, 1.0]
    assert ranks([1.0, 2.0, 3.0]) == list(stats.rankdata([1, 2, 3]))


@settings(max_examples=60, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(st.integers(0, 6), st.floats(-1, 1, allow_nan=False)), min_size=3, max_size=40
    )
)
def test_spearman_matches_scipy(pairs: list[tuple[int, float]]) -> None:
    x = [float(p[0]) for p in pairs]
    y = [p[1] for p in pairs]
    found = spearman(x, y)
    if len(set(x)) < 2 or len(set(y)) < 2:
        assert found.rho is None  # scipy would warn and answer nan
        return
    ref = stats.spearmanr(x, y)
    assert found.rho == pytest.approx(float(ref.statistic), abs=1e-9)
    assert found.p_value == pytest.approx(float(ref.pvalue), rel=1e-6, abs=1e-12)
    assert found.n == len(pairs)


def test_spearman_drops_missing_and_needs_three_pairs() -> None:
    assert spearman([1, 2, None, 4], [1, 2, 3, None]).rho is None  # two pairs left
    perfect = spearman([1, 2, 3, 4, 5], [2, 4, 6, 8, 11])
    assert perfect.rho == pytest.approx(1.0) and perfect.p_value == 0.0
    assert perfect.ci95 == pytest.approx([1.0, 1.0])
    some = spearman(list(range(30)), [i + (7 if i % 3 else -7) for i in range(30)])
    assert some.rho is not None and some.ci95 is not None
    assert some.ci95[0] < some.rho < some.ci95[1]


@pytest.mark.parametrize("df", [1, 2, 3, 4, 7, 10, 51, 200, 5000, 200_000])
@pytest.mark.parametrize("t", [0.0, 0.3, 1.0, 2.5, 6.0])
def test_student_t_matches_scipy(t: float, df: int) -> None:
    ref = 2 * stats.t.sf(t, df)
    assert student_t_two_sided(t, df) == pytest.approx(ref, rel=1e-6, abs=1e-9)
    assert student_t_two_sided(-t, df) == student_t_two_sided(t, df)


def test_student_t_needs_a_degree_of_freedom() -> None:
    with pytest.raises(ValueError):
        student_t_two_sided(1.0, 0)
    assert math.isclose(student_t_two_sided(0.0, 3), 1.0)
