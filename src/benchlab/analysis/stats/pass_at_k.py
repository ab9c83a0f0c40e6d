"""pass@k: the chance that at least one of k samples passes, estimated without bias.

With n samples of a problem of which c passed, the unbiased estimator is
1 - C(n-c, k) / C(n, k) (Chen et al., 2021), computed as a running product
so that n = 200 never builds a 60-digit binomial. A run's pass@k is the mean
over problems; it is reported for k = 1, 10, 100 only where every problem has
at least k samples, because averaging k over problems that cannot support it
would mix estimators. Its 95% interval is a bootstrap over problems (the
unit that varies between benchmarks), falling back to Wilson's interval when
every resample agrees (all problems passed), which a finite benchmark cannot
warrant.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from benchlab.analysis.stats.core import wilson_interval

KS = (1, 10, 100)
_RESAMPLES = 2000
_MAX_CELLS = 4_000_000


def estimate(n: int, c: int, k: int) -> float:
    """1 - C(n-c, k) / C(n, k) for one problem: n samples, c of them passed."""
    if not 0 <= c <= n or k < 1 or k > n:
        raise ValueError(f"need 0 <= c <= n and 1 <= k <= n (n={n}, c={c}, k={k})")
    if n - c < k:
        return 1.0
    miss = 1.0
    for i in range(n - c + 1, n + 1):
        miss *= 1.0 - k / i
    return 1.0 - miss


def allowed_ks(counts: Sequence[tuple[int, int]], ks: Iterable[int] = KS) -> list[int]:
    """The k every problem has enough samples for."""
    if not counts:
        return []
    smallest = min(n for n, _ in counts)
    return [k for k in ks if k <= smallest]


def pass_at_k(
    counts: Sequence[tuple[int, int]], ks: Iterable[int] = KS, *, seed: int = 0
) -> dict[str, dict[str, Any]]:
    """Per allowed k: {"value": mean over problems, "ci95": [lo, hi], "ci_method"} from
    (n, c) per problem."""
    import numpy as np

    out: dict[str, dict[str, Any]] = {}
    for k in allowed_ks(counts, ks):
        values = np.array([estimate(n, c, k) for n, c in counts], dtype=np.float64)
        ci, method = _interval(values, seed)
        out[str(k)] = {"value": float(values.mean()), "ci95": ci, "ci_method": method}
    return out


def _interval(values: Any, seed: int) -> tuple[list[float], str]:
    import numpy as np

    n = len(values)
    rng = np.random.default_rng(seed)
    means = []
    per_chunk = max(1, min(_RESAMPLES, _MAX_CELLS // n))
    left = _RESAMPLES
    while left > 0:
        b = min(per_chunk, left)
        means.append(values[rng.integers(0, n, size=(b, n))].mean(axis=1))
        left -= b
    lo, hi = np.quantile(np.concatenate(means), [0.025, 0.975])
    if hi - lo <= 1e-12:
        found = wilson_interval(round(float(values.mean()) * n), n)
        assert found is not None
        return [found[0], found[1]], "wilson"
    return [float(lo), float(hi)], "bootstrap"
