"""Resample counts kept between calls (bootstrap.resample_counts): every call gets exactly
the counts a fresh draw gives, as float64 of its own, and what is kept stays bounded."""

from __future__ import annotations

import numpy as np
import pytest

from benchlab.analysis.stats import bootstrap
from benchlab.analysis.stats.bootstrap import paired_interval, resample_counts


def _fresh(n: int, n_boot: int, seed: int) -> list[np.ndarray]:
    with bootstrap._kept_lock:
        bootstrap._kept.clear()
    return list(resample_counts(n, n_boot, seed))


@pytest.mark.parametrize(("n", "n_boot", "seed"), [(1, 50, 0), (7, 2000, 3), (480, 2000, 0)])
def test_kept_counts_are_the_drawn_ones(n: int, n_boot: int, seed: int) -> None:
    (drawn,) = _fresh(n, n_boot, seed)
    assert drawn.dtype == np.float64 and drawn.shape == (n_boot, n)
    assert (drawn.sum(axis=1) == n).all()  # each resample draws n cases
    (kept,) = resample_counts(n, n_boot, seed)
    assert kept.dtype == np.float64 and np.array_equal(kept, drawn)
    kept[:] = -1.0  # a caller's copy: what is kept is not changed by it
    (again,) = resample_counts(n, n_boot, seed)
    assert np.array_equal(again, drawn)
    (other,) = resample_counts(n, n_boot, seed + 1)
    assert n == 1 or not np.array_equal(other, drawn)


def test_large_draws_come_in_chunks_and_are_not_kept() -> None:
    n = bootstrap._MAX_CELLS // 100 + 1
    chunks = _fresh(n, 200, 0)
    assert len(chunks) > 1 and sum(c.shape[0] for c in chunks) == 200
    assert not bootstrap._kept


def test_what_is_kept_stays_within_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh(1, 1, 0)
    monkeypatch.setattr(bootstrap, "_KEPT_BYTES", 3 * 500 * 2000)
    for n in range(500, 510):
        list(resample_counts(n, 2000, 0))
    assert sum(c.nbytes for c in bootstrap._kept.values()) <= 3 * 500 * 2000
    assert list(bootstrap._kept)[-1] == (509, 2000, 0)  # the newest is kept


def test_intervals_are_the_same_drawn_or_kept() -> None:
    rng = np.random.default_rng(1)
    a = [float(x) for x in rng.integers(0, 2, 300)]
    b = [float(x) for x in rng.integers(0, 2, 300)]
    _fresh(1, 1, 0)
    drawn = paired_interval(a, b)
    assert paired_interval(a, b) == drawn  # counts read back from what was kept


def test_no_cases_draw_an_empty_matrix_as_before() -> None:
    """Keeping the draws must not turn n = 0 into an error (the max of no counts)."""
    assert [c.shape for c in resample_counts(0, 100, 7)] == [(100, 0)]
