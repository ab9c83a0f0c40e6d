"""Bootstrap intervals over cases: seeded, reproducible, and vectorised.

Cases are the unit that is resampled, never attempts: several samples of one
case are not independent evidence (a model that fails a hard case fails it
five times), so resampling attempts would shrink intervals by pretending they
were. Each resample is a vector of how often each case was drawn, so every
statistic is a matrix product; that makes 2,000 resamples of 1,000 cases cost
milliseconds, and lets the coverage simulations in the tests push thousands of
datasets through the very same code in one call.

The interval is the percentile interval. When every resample gives the same
value (all cases passed, say) it would have zero width and claim a certainty
that n cases cannot give; then the Wilson interval over cases is used instead,
and `method` says so.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from benchlab.analysis.stats.core import wilson_interval

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike, NDArray

DEFAULT_RESAMPLES = 2000
DEFAULT_SEED = 0
LEVEL = 0.95
_MAX_CELLS = 4_000_000  # counts held at once (32 MB): chunks of resamples for large n


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    # "wilson", "bootstrap", "paired-bootstrap", "wilson-bound" (pass/fail pairs, none
    # changed) or "t" (Student's t over per-case or per-set values)
    method: str

    def as_list(self) -> list[float]:
        return [self.low, self.high]


def resample_counts(n: int, n_boot: int, seed: int) -> Iterator[NDArray[np.float64]]:
    """How often each of n cases is drawn in each resample, `(chunk, n)` at a time.

    The draws depend on (n, n_boot, seed) only, and one request (a compare: the overall
    test, each category, each scorer) or the next asks for the same ones again; drawing
    them was 70% of a paired test. So the matrices of up to `_MAX_CELLS` counts are kept
    (the newest `_KEPT_BYTES` worth) and every test gets exactly the numbers it would have
    drawn."""
    if 0 < n * n_boot <= _MAX_CELLS:  # (no cases: nothing worth keeping, drawn as before)
        yield _kept_counts(n, n_boot, seed)
        return
    yield from _draw_counts(n, n_boot, seed)


def _draw_counts(n: int, n_boot: int, seed: int) -> Iterator[NDArray[np.float64]]:
    import numpy as np

    rng = np.random.default_rng(seed)
    per_chunk = max(1, min(n_boot, _MAX_CELLS // max(n, 1)))
    left = n_boot
    while left > 0:
        b = min(per_chunk, left)
        drawn = rng.integers(0, n, size=(b, n)) + (np.arange(b) * n)[:, None]
        yield np.bincount(drawn.ravel(), minlength=b * n).reshape(b, n).astype(np.float64)
        left -= b


_KEPT_BYTES = 64_000_000  # counts kept at most: 64M cells (counts are small: a byte each)
_kept: OrderedDict[tuple[int, int, int], NDArray[np.unsignedinteger[Any]]] = OrderedDict()
_kept_lock = threading.Lock()


def _kept_counts(n: int, n_boot: int, seed: int) -> NDArray[np.float64]:
    """The one `(n_boot, n)` chunk of `_draw_counts`, drawn once and kept as the smallest
    unsigned integers that hold it (a count of draws is exact in any of them)."""
    import numpy as np

    key = (n, n_boot, seed)
    with _kept_lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
    if found is not None:
        return found.astype(np.float64)
    (counts,) = _draw_counts(n, n_boot, seed)
    small = counts.astype(np.min_scalar_type(int(counts.max())))
    with _kept_lock:
        _kept[key] = small
        while sum(c.nbytes for c in _kept.values()) > _KEPT_BYTES and len(_kept) > 1:
            _kept.popitem(last=False)
    return counts


def ratio_distribution(
    num: ArrayLike, den: ArrayLike, *, seed: int = DEFAULT_SEED, n_boot: int = DEFAULT_RESAMPLES
) -> NDArray[np.float64]:
    """sum(num)/sum(den) over resampled cases; the last axis of the inputs is cases.

    A ratio of sums (not a mean of ratios) so that a pass rate over cases with
    different numbers of judged samples matches the rate a summary prints.
    """
    import numpy as np

    num_a = np.asarray(num, dtype=np.float64)
    den_a = np.asarray(den, dtype=np.float64)
    parts = []
    for weights in resample_counts(num_a.shape[-1], n_boot, seed):
        bottom = den_a @ weights.T
        with np.errstate(invalid="ignore", divide="ignore"):
            parts.append((num_a @ weights.T) / bottom)
    return np.concatenate(parts, axis=-1)


def percentile_bounds(
    dist: NDArray[np.float64], level: float = LEVEL
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    import numpy as np

    tail = (1.0 - level) / 2.0
    lo, hi = np.nanquantile(dist, [tail, 1.0 - tail], axis=-1)
    return lo, hi


def rate_intervals(
    num: ArrayLike,
    den: ArrayLike,
    *,
    seed: int = DEFAULT_SEED,
    n_boot: int = DEFAULT_RESAMPLES,
    level: float = LEVEL,
    bounds: tuple[float, float] = (0.0, 1.0),
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Batched intervals: (low, high, fell_back) per dataset (leading axes of num/den).

    `bounds` are the scale's ends (a signed judge score is -1..1); the Wilson
    fallback for a degenerate resample distribution works on the rescaled value.
    """
    import numpy as np

    from benchlab.analysis.stats.core import normal_quantile

    num_a = np.asarray(num, dtype=np.float64)
    den_a = np.asarray(den, dtype=np.float64)
    dist = ratio_distribution(num_a, den_a, seed=seed, n_boot=n_boot)
    lo, hi = percentile_bounds(dist, level)
    point = num_a.sum(axis=-1) / den_a.sum(axis=-1)
    fell_back = (hi - lo) <= 1e-12 * np.maximum(1.0, np.abs(point))
    if np.any(fell_back):
        n = num_a.shape[-1]
        z = normal_quantile(0.5 + level / 2.0)
        span = bounds[1] - bounds[0]
        for index in zip(*np.nonzero(fell_back), strict=True):
            scaled = min(1.0, max(0.0, (float(point[index]) - bounds[0]) / span))
            found = wilson_interval(scaled * n, n, z)
            assert found is not None
            lo[index] = bounds[0] + found[0] * span
            hi[index] = bounds[0] + found[1] * span
    return lo, hi, fell_back


def bootstrap_rate(
    num: Sequence[float],
    den: Sequence[float] | None = None,
    *,
    seed: int = DEFAULT_SEED,
    n_boot: int = DEFAULT_RESAMPLES,
    level: float = LEVEL,
    bounds: tuple[float, float] = (0.0, 1.0),
) -> Interval | None:
    """The interval of sum(num)/sum(den) over cases (den defaults to one per case: a mean)."""
    if not num:
        return None
    weights = [1.0] * len(num) if den is None else den
    lo, hi, fell_back = rate_intervals(
        [num], [weights], seed=seed, n_boot=n_boot, level=level, bounds=bounds
    )
    return Interval(float(lo[0]), float(hi[0]), "wilson" if fell_back[0] else "bootstrap")


def paired_interval(
    a: Sequence[float],
    b: Sequence[float],
    *,
    seed: int = DEFAULT_SEED,
    n_boot: int = DEFAULT_RESAMPLES,
    level: float = LEVEL,
    scale: float = 1.0,
) -> Interval | None:
    """Interval of mean(b - a) resampling cases, so both runs' answers to a case stay together.

    When every case changed by the same amount the resamples cannot vary. For
    pass/fail verdicts (every value 0 or 1) that typically means no case
    flipped: then the interval is that change plus or minus the Wilson upper
    bound on the share of cases that could have flipped unseen, times the
    largest change one case can make (`scale`); a bound made for pass/fail
    counts. Continuous values (scores, pass fractions of several samples) get
    Student's t interval instead, of zero width when every difference is the
    same: a binomial bound on such data would make a perfectly consistent
    change look less certain than a noisy one. (A single case has no spread to
    measure; it keeps the wide bound.)
    """
    import numpy as np

    if not a:
        return None
    diff = np.asarray(b, dtype=np.float64) - np.asarray(a, dtype=np.float64)
    dist = ratio_distribution([diff], [np.ones_like(diff)], seed=seed, n_boot=n_boot)
    lo, hi = percentile_bounds(dist, level)
    point = float(diff.mean())
    if float(hi[0] - lo[0]) > 1e-12 * max(1.0, abs(point)):
        return Interval(float(lo[0]), float(hi[0]), "paired-bootstrap")
    from benchlab.analysis.stats.core import normal_quantile, t_interval

    found_t = t_interval([float(d) for d in diff], level)  # None for a single case
    if found_t is not None and not all(v in (0.0, 1.0) for v in (*a, *b)):
        return Interval(found_t[0], found_t[1], "t")
    found = wilson_interval(0, len(diff), normal_quantile(0.5 + level / 2.0))
    assert found is not None
    reach = found[1] * scale
    return Interval(max(-scale, point - reach), min(scale, point + reach), "wilson-bound")
