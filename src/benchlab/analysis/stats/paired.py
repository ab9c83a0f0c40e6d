"""Paired tests of two runs on the same cases: McNemar's exact test and a sign-flip test.

Pairing is what makes a comparison sensitive: a case both runs pass (or both
fail) says nothing about which is better, so only the discordant cases enter
the test, and case difficulty (most of the variance in a benchmark) cancels.
For one pass/fail verdict per case the exact McNemar test is used; for pass
fractions over several samples or continuous scores, a sign-flip
(permutation) test on the per-case differences, which assumes no distribution
and reduces to McNemar's exact test on 0/1 data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from benchlab.analysis.stats.bootstrap import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    Interval,
    paired_interval,
)
from benchlab.analysis.stats.core import wilson_interval
from benchlab.analysis.stats.power import detectable_difference, detectable_shift

EXACT_SIGN_FLIPS = 16  # up to 2**16 sign patterns enumerated; beyond, Monte Carlo
SIGN_FLIP_DRAWS = 20_000
_EXACT_MCNEMAR = 20_000  # discordant pairs up to which integer arithmetic is used


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value: the binomial test of b in b + c trials at 1/2.

    Computed with exact integers up to 20,000 discordant pairs and in log space
    beyond, where the summed terms fall off fast enough to stop early.
    """
    n = b + c
    if n == 0:
        return 1.0
    k = min(b, c)
    if 2 * k >= n:
        return 1.0
    if n <= _EXACT_MCNEMAR:
        term, tail = 1, 1  # C(n, 0)
        for i in range(k):
            term = term * (n - i) // (i + 1)
            tail += term
        return min(1.0, float(2 * tail / 2**n))
    log_half_n = n * math.log(0.5)
    logs = []
    for i in range(k, -1, -1):
        log_term = math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + log_half_n
        logs.append(log_term)
        if log_term < logs[0] - 40.0:  # e^-40: nothing left to add at double precision
            break
    top = max(logs)
    return min(1.0, 2.0 * math.exp(top) * sum(math.exp(v - top) for v in logs))


def sign_flip_p_value(
    diffs: Sequence[float], *, seed: int = DEFAULT_SEED, draws: int = SIGN_FLIP_DRAWS
) -> float:
    """Two-sided p-value of mean(diffs) == 0 by flipping signs of the non-zero differences."""
    import numpy as np

    d = np.asarray([x for x in diffs if x != 0.0], dtype=np.float64)
    m = len(d)
    if m == 0:
        return 1.0
    observed = abs(float(d.sum()))
    tol = 1e-9 * max(1.0, observed)
    if m <= EXACT_SIGN_FLIPS:
        patterns = ((np.arange(2**m)[:, None] >> np.arange(m)) & 1) * 2.0 - 1.0
        return float(np.mean(np.abs(patterns @ d) >= observed - tol))
    rng = np.random.default_rng(seed)
    hits, left = 0, draws
    per_chunk = max(1, 4_000_000 // m)
    while left > 0:
        size = min(per_chunk, left)
        signs = rng.integers(0, 2, size=(size, m)) * 2.0 - 1.0
        hits += int(np.sum(np.abs(signs @ d) >= observed - tol))
        left -= size
    return (hits + 1) / (draws + 1)


@dataclass
class PairedResult:
    n: int
    a: float
    b: float
    delta: float
    ci: Interval
    p_value: float
    test: str  # "mcnemar-exact" or "sign-flip"
    worse: int  # cases that got worse (pass -> fail for 0/1 verdicts)
    better: int
    mde: float | None  # smallest |delta| this n could detect at alpha with 80% power


def paired_test(
    a: Sequence[float],
    b: Sequence[float],
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    seed: int = DEFAULT_SEED,
    n_boot: int = DEFAULT_RESAMPLES,
    scale: float = 1.0,
) -> PairedResult | None:
    """Compare per-case values of run B against run A (same order: case i is case i)."""
    n = len(a)
    if n == 0:
        return None
    if len(b) != n:
        raise ValueError("paired values must have the same length")
    worse = sum(1 for x, y in zip(a, b, strict=True) if y < x)
    better = sum(1 for x, y in zip(a, b, strict=True) if y > x)
    diffs = [y - x for x, y in zip(a, b, strict=True)]
    ci = paired_interval(a, b, seed=seed, n_boot=n_boot, scale=scale)
    assert ci is not None
    binary = all(v in (0.0, 1.0) for v in (*a, *b))
    if binary:
        p_value, test = mcnemar_exact(worse, better), "mcnemar-exact"
        mde = detectable_difference(n, (worse + better) / n, alpha=alpha, power=power)
    else:
        p_value, test = sign_flip_p_value(diffs, seed=seed), "sign-flip"
        mean_d = sum(diffs) / n
        var = sum((x - mean_d) ** 2 for x in diffs) / (n - 1) if n > 1 else 0.0
        sd = math.sqrt(var) if var > 0 else scale * math.sqrt((wilson_interval(0, n) or (0, 1))[1])
        mde = detectable_shift(n, sd, alpha=alpha, power=power)
    mean_a, mean_b = sum(a) / n, sum(b) / n
    return PairedResult(
        n=n,
        a=mean_a,
        b=mean_b,
        delta=mean_b - mean_a,
        ci=ci,
        p_value=p_value,
        test=test,
        worse=worse,
        better=better,
        mde=mde,
    )


def verdict(delta: float, p_adjusted: float | None, alpha: float) -> str:
    """regression / improvement only when the (adjusted) test rejects at alpha."""
    if p_adjusted is None or p_adjusted >= alpha or delta == 0.0:
        return "no_change"
    return "regression" if delta < 0 else "improvement"
