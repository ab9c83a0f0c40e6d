"""Pairwise statistics: win rates with ties as halves, Bradley-Terry against a direct fit."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pytest
from scipy.optimize import minimize

from benchlab.analysis.stats.pairwise import PRIOR, _fit, pair_rows, pairwise_report, ratings


@dataclass
class V:
    suite: str
    case_id: str
    sample: int
    a: str
    b: str
    first: str | None
    second: str | None

    @property
    def outcome(self) -> str | None:
        if self.first is None or self.second is None:
            return None
        return self.first if self.first == self.second else "tie"

    @property
    def inconsistent(self) -> bool:
        return self.outcome is not None and self.first != self.second


def _verdicts(a: str, b: str, outcomes: Sequence[tuple[str | None, str | None]]) -> list[V]:
    return [V("s", f"c{i}", 0, a, b, f, s) for i, (f, s) in enumerate(outcomes)]


def test_pair_rows_count_agreement_only() -> None:
    verdicts = _verdicts(
        "x",
        "y",
        [("a", "a"), ("a", "a"), ("b", "b"), ("a", "b"), ("tie", "tie"), (None, None)],
    )
    (row,) = pair_rows(verdicts, ["x", "y"])
    assert {k: row[k] for k in ("a", "b", "n", "wins_a", "wins_b", "ties", "inconsistent")} == {
        "a": "x",
        "b": "y",
        "n": 5,
        "wins_a": 2,
        "wins_b": 1,
        "ties": 2,
        "inconsistent": 1,
    }
    assert row["errors"] == 1
    assert row["win_rate_a"] == pytest.approx((2 + 0.5 * 2) / 5)
    low, high = row["ci95"]
    assert 0.0 <= low <= row["win_rate_a"] <= high <= 1.0


def test_report_shape_and_inconsistent_share() -> None:
    verdicts = _verdicts("x", "y", [("a", "b")] * 3 + [("a", "a")])
    report = pairwise_report(verdicts, ["x", "y"])
    assert set(report["pairs"][0]) >= {
        "a",
        "b",
        "n",
        "wins_a",
        "wins_b",
        "ties",
        "inconsistent",
        "win_rate_a",
        "ci95",
    }
    assert report["ratings"] == []  # two models: the win rate says it all
    assert report["inconsistent_share"] == pytest.approx(0.75)


def _direct_fit(wins: np.ndarray) -> np.ndarray:
    """The Bradley-Terry MLE by a general optimiser, for comparison."""
    k = wins.shape[0]

    def nll(theta: np.ndarray) -> float:
        full = np.concatenate([[0.0], theta])
        total = 0.0
        for i in range(k):
            for j in range(k):
                if i != j:
                    total -= wins[i, j] * (full[i] - np.logaddexp(full[i], full[j]))
        return total

    fitted: np.ndarray = minimize(nll, np.zeros(k - 1), method="BFGS").x
    full = np.concatenate([[0.0], fitted])
    strengths: np.ndarray = np.exp(full - full.mean())
    return strengths


def test_bradley_terry_matches_a_direct_maximum_likelihood_fit() -> None:
    wins = np.array([[0, 7, 9], [3, 0, 6], [1, 4, 0]], dtype=float) + PRIOR
    np.fill_diagonal(wins, 0.0)
    ours = _fit(wins)
    np.testing.assert_allclose(ours, _direct_fit(wins), rtol=1e-4)


def test_ratings_order_and_intervals() -> None:
    models = ["strong", "middle", "weak"]
    verdicts: list[V] = []
    plan = {("strong", "middle"): 0.8, ("strong", "weak"): 0.9, ("middle", "weak"): 0.7}
    for (a, b), share in plan.items():
        wins = round(share * 40)
        verdicts += [V("s", f"c{i}", 0, a, b, "a", "a") for i in range(wins)]
        verdicts += [V("s", f"c{i}", 0, a, b, "b", "b") for i in range(wins, 40)]
    found = ratings(verdicts, models, n_boot=300)
    assert [r["model"] for r in found] == models
    assert sum(r["rating"] for r in found) / 3 == pytest.approx(1000.0)
    for r in found:
        low, high = r["ci95"]
        assert low <= r["rating"] <= high
    strong, weak = found[0], found[2]
    assert strong["ci95"][0] > weak["ci95"][1]  # 40 cases tell these two apart
    # the Elo scale: a 400-point gap means 10:1 odds
    gap = strong["rating"] - weak["rating"]
    assert 10 ** (gap / 400) == pytest.approx(
        math.exp(math.log(_fit_odds(verdicts, models, 0, 2))), rel=1e-6
    )


def _fit_odds(verdicts: list[V], models: list[str], i: int, j: int) -> float:
    index = {m: n for n, m in enumerate(models)}
    wins = np.full((3, 3), PRIOR)
    np.fill_diagonal(wins, 0.0)
    for v in verdicts:
        if v.outcome == "a":
            wins[index[v.a], index[v.b]] += 1
        elif v.outcome == "b":
            wins[index[v.b], index[v.a]] += 1
    strength = _fit(wins)
    return float(strength[i] / strength[j])


def test_ratings_survive_a_clean_sweep() -> None:
    verdicts = []
    for a, b in (("x", "y"), ("x", "z"), ("y", "z")):
        verdicts += [V("s", f"c{i}", 0, a, b, "a", "a") for i in range(5)]
    found = ratings(verdicts, ["x", "y", "z"], n_boot=50)
    assert all(math.isfinite(r["rating"]) for r in found)
    assert [r["model"] for r in found] == ["x", "y", "z"]
