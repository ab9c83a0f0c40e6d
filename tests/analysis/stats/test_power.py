from __future__ import annotations

import pytest

from benchlab.analysis.stats.power import (
    cases_needed,
    detectable_difference,
    detectable_for_cases,
    mcnemar_cases,
)
from benchlab.errors import ConfigError


def test_rate_08_delta_003() -> None:
    # Connor (1987): n = (z_a sqrt(psi) + z_b sqrt(psi - d^2))^2 / d^2 with psi = .8*.23 + .77*.2
    found = cases_needed(0.8, 0.03)
    assert found["discordance"] == pytest.approx(0.338)
    assert found["cases"] == 2946
    assert cases_needed(0.8, 0.03, discordance=0.1)["cases"] == 870  # fewer flips, fewer cases
    assert cases_needed(0.8, 0.03, alpha=0.01, power=0.9)["cases"] > 2946


def test_detectable_difference_inverts_the_sample_size() -> None:
    n = 500
    d = detectable_difference(n, 0.2)
    assert d is not None
    assert mcnemar_cases(d, 0.2, alpha=0.05, power=0.8) == pytest.approx(n, rel=1e-6)
    back = detectable_for_cases(0.8, 2946)["detectable_delta"]
    assert back == pytest.approx(0.03, abs=2e-4)
    assert detectable_difference(3, 0.5) is None  # nothing is detectable with 3 cases


@pytest.mark.parametrize(
    ("kwargs", "flag"),
    [
        ({"rate": 1.5, "delta": 0.1}, "--rate"),
        ({"rate": 0.8, "delta": 0.0}, "--delta"),
        ({"rate": 0.1, "delta": 0.2}, "--delta"),
        ({"rate": 0.8, "delta": 0.1, "alpha": 0.0}, "--alpha"),
        ({"rate": 0.8, "delta": 0.1, "power": 1.0}, "--power"),
        ({"rate": 0.8, "delta": 0.1, "discordance": 0.05}, "--discordance"),
    ],
)
def test_bad_input_names_the_flag(kwargs: dict[str, float], flag: str) -> None:
    with pytest.raises(ConfigError, match=flag):
        cases_needed(**kwargs)
