from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import false_discovery_control

from benchlab.analysis.stats.multiple import BH, HOLM, adjust, benjamini_hochberg, holm


def test_holm_by_hand() -> None:
    # sorted p times (m - rank): 0.05, 0.08, 0.09, 0.08, 0.05 -> made monotone
    got = holm([0.04, 0.01, 0.05, 0.02, 0.03])
    assert got == pytest.approx([0.09, 0.05, 0.09, 0.08, 0.09])
    assert holm([0.5, 0.9]) == [1.0, 1.0]


def test_bh_matches_scipy() -> None:
    p = np.random.default_rng(1).random(40) ** 3
    assert benjamini_hochberg(list(p)) == pytest.approx(list(false_discovery_control(p)))


def test_none_passes_through_and_names() -> None:
    assert holm([None, 0.01, None]) == [None, 0.01, None]
    assert adjust([0.01, None, 0.04], BH) == pytest.approx([0.02, None, 0.04])
    assert adjust([], HOLM) == []


def test_holm_is_never_below_raw_nor_bh_above_holm() -> None:
    p = list(np.random.default_rng(2).random(25) ** 2)
    h, b = holm(p), benjamini_hochberg(p)
    for raw, hv, bv in zip(p, h, b, strict=True):
        assert hv is not None and bv is not None
        assert raw <= bv <= hv <= 1.0
