"""Small, dependency-free statistics used by every summary."""

from __future__ import annotations

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


def normal_quantile(q: float) -> float:
    """The standard normal quantile (the stdlib's is exact enough and needs no scipy)."""
    from statistics import NormalDist

    return NormalDist().inv_cdf(q)
