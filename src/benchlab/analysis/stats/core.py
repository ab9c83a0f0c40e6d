"""Small, dependency-free statistics used by every summary."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

Z95 = 1.959963984540054


def wilson_interval(successes: float, n: float, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for a binomial proportion.

    Chosen over the normal approximation because it stays inside [0, 1] and
    keeps close to nominal coverage at small n and at rates near 0 or 1,
    which is where benchmark pass rates often live. `successes` may be
    fractional (a mean score in [0, 1] times n): the bootstrap falls back on
    that when every resample gives the same value.
    """
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    lo = 0.0 if successes == 0 else max(0.0, centre - half)
    hi = 1.0 if successes == n else min(1.0, centre + half)  # exact at the ends, not 0.9999...
    return (lo, hi)


def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation, like numpy's default."""
    n = len(sorted_values)
    if n == 0:
        return None
    if n == 1:
        return float(sorted_values[0])
    rank = (q / 100.0) * (n - 1)
    lo = math.floor(rank)
    hi = min(lo + 1, n - 1)
    frac = rank - lo
    return float(sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * frac)


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@functools.lru_cache(maxsize=256)
def normal_quantile(q: float) -> float:
    """The standard normal quantile (the stdlib's is exact enough and needs no scipy);
    kept per q: a power analysis asks for the same few quantiles thousands of times."""
    from statistics import NormalDist

    return NormalDist().inv_cdf(q)


@functools.lru_cache(maxsize=256)
def t_critical(level: float, df: int) -> float:
    """The two-sided Student-t critical value: P(|T| >= c) = 1 - level with `df` degrees.

    Found by bisection on the closed-form tail of `agreement.student_t_two_sided`, so
    no scipy at run time; 200 halvings of [0, 1e6] are far below double precision.
    """
    from benchlab.analysis.stats.agreement import student_t_two_sided

    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    tail = 1.0 - level
    lo, hi = 0.0, 1e6
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if student_t_two_sided(mid, df) > tail:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def t_interval(
    values: Sequence[float], level: float = 0.95, bounds: tuple[float, float] | None = None
) -> tuple[float, float] | None:
    """Student's t interval of the mean of independent values (None below two values).

    Exact for normal values at any n, and the textbook interval for a mean of a
    few paired differences, where a percentile bootstrap is far too narrow (its
    resamples of 3 values spread less than the mean does). When every value is
    the same the interval has zero width: the data show no spread, and a
    consistent effect must never look less certain than a noisy one. `bounds`
    clip it to the scale's ends, where the mean cannot go.
    """
    n = len(values)
    if n < 2:
        return None
    if min(values) == max(values):  # exactly, not avg +- rounding noise around it
        return (float(values[0]), float(values[0]))
    avg = math.fsum(values) / n
    var = math.fsum((v - avg) ** 2 for v in values) / (n - 1)
    half = t_critical(level, n - 1) * math.sqrt(var / n)
    low, high = avg - half, avg + half
    if bounds is not None:
        low, high = max(bounds[0], low), min(bounds[1], high)
    return (low, high)
