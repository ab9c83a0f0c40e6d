from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchlab.analysis.stats.core import mean, percentile, wilson_interval


def _wilson(successes: int, n: int) -> tuple[float, float]:
    """The interval of n > 0 trials, which always has one."""
    interval = wilson_interval(successes, n)
    assert interval is not None
    return interval


def test_wilson_known_values() -> None:
    # Reference values from Newcombe (1998), Table I, method 3 (Wilson score without correction).
    lo, hi = _wilson(81, 263)
    assert lo == pytest.approx(0.2553, abs=1e-4) and hi == pytest.approx(0.3662, abs=1e-4)
    lo, hi = _wilson(15, 148)
    assert lo == pytest.approx(0.0624, abs=1e-4) and hi == pytest.approx(0.1605, abs=1e-4)
    lo, hi = _wilson(0, 20)
    assert lo == 0.0 and hi == pytest.approx(0.1611, abs=1e-4)
    assert wilson_interval(0, 0) is None


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_the_estimate_and_stays_in_unit_interval(kn: tuple[int, int]) -> None:
    k, n = kn
    lo, hi = _wilson(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_percentile_matches_linear_interpolation() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 10.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 95) == pytest.approx(8.8)
    assert percentile([], 50) is None
    assert percentile([7.0], 95) == 7.0
    assert mean([1.0, 2.0]) == 1.5 and mean([]) is None
    assert math.isclose(percentile(values, 0) or 0, 1.0)


def test_t_critical_matches_scipy() -> None:
    from scipy.stats import t as student

    from benchlab.analysis.stats.core import t_critical

    for df in (1, 2, 3, 9, 35, 200):
        assert t_critical(0.95, df) == pytest.approx(student.ppf(0.975, df), rel=1e-9)


def test_constant_continuous_paired_difference_gets_no_pass_fail_bound() -> None:
    """Issue 11: a continuous change the same in every case fell back to a Wilson bound
    ("wilson-bound"), wider than any noisy change's interval."""
    from benchlab.analysis.stats.bootstrap import paired_interval

    steady = paired_interval([0.0, 0.25, 0.5], [0.5, 0.75, 1.0])
    noisy = paired_interval([0.0, 0.25, 0.5], [0.4, 0.8, 1.0])
    assert steady is not None and noisy is not None
    assert (steady.low, steady.high, steady.method) == (0.5, 0.5, "t")
    assert noisy.high - noisy.low > steady.high - steady.low
    flips = paired_interval([1.0, 1.0, 0.0], [1.0, 1.0, 0.0])  # pass/fail, nothing flipped
    assert flips is not None and flips.method == "wilson-bound" and flips.low < 0 < flips.high


def test_a_constant_continuous_score_mean_is_not_less_certain_than_a_noisy_one() -> None:
    """Issue 11, in the summary's per-scorer means: every case judged +0.6 fell back to a
    Wilson interval on the rescaled value, wider than a noisy score's bootstrap interval."""
    from benchlab.analysis.stats.intervals import mean_interval

    steady = mean_interval([0.6] * 12, clustered=False)
    noisy = mean_interval([0.5, 0.7] * 6, clustered=False)
    assert steady == ([0.6, 0.6], "t")
    assert noisy[1] == "bootstrap" and noisy[0] is not None and noisy[0][0] < 0.6 < noisy[0][1]
    assert mean_interval([1.0] * 12, clustered=False)[1] == "wilson"  # pass/fail: Wilson
