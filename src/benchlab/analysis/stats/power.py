"""Sample size and detectable differences for comparing two runs on the same cases.

Two runs of one suite are paired: only the cases that flip carry evidence, so
what drives the sample size is the discordance (the share of cases whose
verdict differs between the runs), not the pass rate alone. Connor's (1987)
formula for McNemar's test is used. Without a measured discordance the
answers of the two runs are assumed independent given the rates, which is the
most discordance two runs with those rates can be expected to show, and so an
upper bound on the cases needed: repeated runs of similar models agree far
more often, and `discordance` (the flip share seen in earlier comparisons)
then gives a smaller, truer number.
"""

from __future__ import annotations

import math
from typing import Any

from benchlab.analysis.stats.core import normal_quantile
from benchlab.errors import ConfigError


def _z(alpha: float, power: float) -> tuple[float, float]:
    return normal_quantile(1.0 - alpha / 2.0), normal_quantile(power)


def independent_discordance(rate_a: float, rate_b: float) -> float:
    return rate_a * (1.0 - rate_b) + rate_b * (1.0 - rate_a)


def mcnemar_cases(delta: float, discordance: float, *, alpha: float, power: float) -> float:
    """Cases needed for a two-sided McNemar test to detect a difference `delta` (Connor)."""
    za, zb = _z(alpha, power)
    d = abs(delta)
    return (za * math.sqrt(discordance) + zb * math.sqrt(max(discordance - d * d, 0.0))) ** 2 / (
        d * d
    )


def cases_needed(
    rate: float,
    delta: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    discordance: float | None = None,
) -> dict[str, Any]:
    """How many cases a comparison needs to detect a drop of `delta` from `rate`."""
    _check(alpha=alpha, power=power)
    if not 0.0 < rate <= 1.0:
        raise ConfigError(f"--rate {rate}: expected a pass rate in (0, 1]")
    if not 0.0 < delta < 1.0 or rate - delta < 0.0:
        raise ConfigError(f"--delta {delta}: expected a drop in (0, --rate]")
    other = rate - delta
    assumed = "measured" if discordance is not None else "independent answers"
    psi = independent_discordance(rate, other) if discordance is None else discordance
    if not delta <= psi <= 1.0:
        raise ConfigError(
            f"--discordance {psi}: expected a flip share between --delta ({delta}) and 1"
        )
    n = mcnemar_cases(delta, psi, alpha=alpha, power=power)
    return {
        "rate": rate,
        "delta": delta,
        "alpha": alpha,
        "power": power,
        "discordance": psi,
        "discordance_from": assumed,
        "cases": math.ceil(n),
        "test": "mcnemar (two-sided, Connor 1987)",
    }


def detectable_difference(
    n: int, discordance: float, *, alpha: float = 0.05, power: float = 0.8
) -> float | None:
    """The smallest |difference| that n paired cases detect at alpha with this power.

    The discordance is the one measured, but never less than the difference
    itself (a difference of d needs at least a share d of cases to flip).
    Connor's formula then needs fewer cases the larger the difference, so the
    answer is found by bisection; None when n is too small for any difference.
    """
    if n <= 0:
        return None

    def needed(d: float) -> float:
        return mcnemar_cases(d, max(discordance, d), alpha=alpha, power=power)

    if needed(1.0) > n:
        return None
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2.0
        if mid == 0.0 or needed(mid) > n:
            lo = mid
        else:
            hi = mid
    return hi


def detectable_shift(n: int, sd: float, *, alpha: float = 0.05, power: float = 0.8) -> float | None:
    """The same for a mean of per-case differences with standard deviation `sd` (normal test)."""
    if n <= 1 or sd <= 0.0:
        return None
    za, zb = _z(alpha, power)
    return (za + zb) * sd / math.sqrt(n)


def _check(*, alpha: float, power: float) -> None:
    if not 0.0 < alpha < 1.0:
        raise ConfigError(f"--alpha {alpha}: expected a level in (0, 1)")
    if not 0.0 < power < 1.0:
        raise ConfigError(f"--power {power}: expected a probability in (0, 1)")


def detectable_for_cases(
    rate: float,
    n: int,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    discordance: float | None = None,
) -> dict[str, Any]:
    """The other way round: what drop from `rate` can n cases detect (`power --cases N`)."""
    _check(alpha=alpha, power=power)
    if not 0.0 < rate <= 1.0:
        raise ConfigError(f"--rate {rate}: expected a pass rate in (0, 1]")
    if n <= 0:
        raise ConfigError(f"--cases {n}: expected a positive number of cases")
    if discordance is not None:
        found = detectable_difference(n, discordance, alpha=alpha, power=power)
    else:  # the discordance depends on the drop itself: bisect on the drop
        lo, hi = 0.0, rate
        if mcnemar_cases(rate, independent_discordance(rate, 0.0), alpha=alpha, power=power) > n:
            found = None
        else:
            for _ in range(60):
                mid = (lo + hi) / 2.0
                psi = independent_discordance(rate, rate - mid)
                if mid == 0.0 or mcnemar_cases(mid, psi, alpha=alpha, power=power) > n:
                    lo = mid
                else:
                    hi = mid
            found = hi
    return {
        "rate": rate,
        "cases": n,
        "alpha": alpha,
        "power": power,
        "discordance_from": "measured" if discordance is not None else "independent answers",
        "detectable_delta": found,
        "test": "mcnemar (two-sided, Connor 1987)",
    }
