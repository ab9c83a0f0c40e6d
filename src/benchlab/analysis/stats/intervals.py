"""The right 95% interval for a pass rate or a mean over cases, and the method it used.

A pass rate over independent cases, one answer each, gets the Wilson
interval. Several samples of one case are not independent (a hard case is
failed by every sample), so then the interval comes from a bootstrap over
cases; so do means of continuous scores (fuzzy ratios, judge scores, signed
stances), whose spread no binomial formula knows. Every interval says which
method made it (`ci_method`), because readers compare intervals across runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from benchlab.analysis.stats.bootstrap import DEFAULT_SEED, bootstrap_rate
from benchlab.analysis.stats.core import t_interval, wilson_interval


class CaseCounts(Protocol):
    """One case's attempts by one model: how many, how many got a verdict, how many passed."""

    @property
    def attempts(self) -> int: ...

    @property
    def judged(self) -> int: ...

    @property
    def passed(self) -> int: ...


def several_samples(rows: Sequence[CaseCounts]) -> bool:
    return any(r.attempts > 1 for r in rows)


def rate_interval(
    rows: Sequence[CaseCounts], *, seed: int = DEFAULT_SEED, clustered: bool | None = None
) -> tuple[list[float] | None, str]:
    """(ci95, method) of passed/judged over these cases' attempts."""
    judged = [r for r in rows if r.judged]
    if clustered is None:
        clustered = several_samples(judged)
    if not clustered:
        ci = wilson_interval(sum(r.passed for r in judged), sum(r.judged for r in judged))
        return (list(ci) if ci else None), "wilson"
    found = bootstrap_rate([r.passed for r in judged], [r.judged for r in judged], seed=seed)
    return (found.as_list() if found else None), (found.method if found else "bootstrap")


def scale_of(values: Sequence[float]) -> tuple[float, float]:
    """The score scale the values live on: [0, 1], a signed [-1, 1], or their own range."""
    lo, hi = min(values), max(values)
    if lo >= 0.0 and hi <= 1.0:
        return (0.0, 1.0)
    if lo >= -1.0 and hi <= 1.0:
        return (-1.0, 1.0)
    return (lo, hi) if hi > lo else (lo - 1.0, hi + 1.0)


def mean_interval(
    values: Sequence[float], *, clustered: bool, seed: int = DEFAULT_SEED
) -> tuple[list[float] | None, str]:
    """(ci95, method) of the mean of per-case values (each case's mean over its samples).

    When every case has the same value the bootstrap cannot vary. For pass/fail
    values (all 0 or all 1) the Wilson interval then says what n cases can
    warrant; for a continuous score (every case judged +0.6, say) a binomial
    bound would make a consistent score look less certain than a noisy one, so
    it gets Student's t interval, of zero width.
    """
    if not values:
        return None, "bootstrap"
    binary = all(v in (0.0, 1.0) for v in values)
    if not clustered and binary:
        ci = wilson_interval(sum(values), len(values))
        return (list(ci) if ci else None), "wilson"
    found = bootstrap_rate(list(values), seed=seed, bounds=scale_of(values))
    if found is not None and found.method == "wilson" and not binary:
        flat = t_interval(list(values), bounds=scale_of(values))
        if flat is not None:
            return list(flat), "t"
    return (found.as_list() if found else None), (found.method if found else "bootstrap")
