"""Pairwise verdicts -> win rates with intervals, and Bradley-Terry ratings for > 2 models.

A win rate counts a tie as half a win, so it is the probability that the
judge prefers A over B with ties split, and its interval is a bootstrap over
cases (a {0, 0.5, 1} outcome is not binomial). Bradley-Terry turns every
pair's record into one strength per model (fitted by Hunter's MM algorithm,
with half a pseudo-win each way per pair so that a model that won or lost
everything still gets a finite rating), reported on the Elo scale
(1000 + 400 log10 strength, mean 1000). Its intervals resample cases, so a
case's verdicts on every pair stay together.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from benchlab.analysis.stats.bootstrap import DEFAULT_SEED, bootstrap_rate, resample_counts

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

PRIOR = 0.5
RATING_RESAMPLES = 1000


class VerdictLike(Protocol):
    suite: str
    case_id: str
    sample: int
    a: str
    b: str

    @property
    def outcome(self) -> str | None: ...

    @property
    def inconsistent(self) -> bool: ...


def _points(outcome: str) -> float:
    return {"a": 1.0, "b": 0.0}.get(outcome, 0.5)


def pair_rows(
    verdicts: Sequence[VerdictLike], models: Sequence[str], *, seed: int = DEFAULT_SEED
) -> list[dict[str, Any]]:
    rows = []
    for a, b in itertools.combinations(models, 2):
        mine = [v for v in verdicts if v.a == a and v.b == b]
        judged = [v for v in mine if v.outcome is not None]
        points = [_points(str(v.outcome)) for v in judged]
        interval = bootstrap_rate(points, seed=seed) if points else None
        rows.append(
            {
                "a": a,
                "b": b,
                "n": len(judged),
                "wins_a": sum(1 for v in judged if v.outcome == "a"),
                "wins_b": sum(1 for v in judged if v.outcome == "b"),
                "ties": sum(1 for v in judged if v.outcome == "tie"),
                "inconsistent": sum(1 for v in judged if v.inconsistent),
                "errors": len(mine) - len(judged),
                "win_rate_a": sum(points) / len(points) if points else None,
                "ci95": interval.as_list() if interval else None,
            }
        )
    return rows


def _fit(wins: NDArray[np.float64], iterations: int = 2000) -> NDArray[np.float64]:
    """Bradley-Terry strengths by MM, batched: `wins` is (..., k, k), wins[i, j] = i over j."""
    import numpy as np

    games = wins + np.swapaxes(wins, -1, -2)
    total = wins.sum(axis=-1)
    strength = np.ones(wins.shape[:-1])
    for _ in range(iterations):
        pair_sum = strength[..., :, None] + strength[..., None, :]
        denom = (games / pair_sum).sum(axis=-1)
        updated = total / denom
        updated /= np.exp(np.log(updated).mean(axis=-1, keepdims=True))
        done = np.max(np.abs(updated - strength)) < 1e-10
        strength = updated
        if done:
            break
    result: NDArray[np.float64] = strength
    return result


def _elo(strength: NDArray[np.float64]) -> NDArray[np.float64]:
    import numpy as np

    result: NDArray[np.float64] = 1000.0 + 400.0 * np.log10(strength)
    return result


def ratings(
    verdicts: Sequence[VerdictLike],
    models: Sequence[str],
    *,
    seed: int = DEFAULT_SEED,
    n_boot: int = RATING_RESAMPLES,
) -> list[dict[str, Any]]:
    """Bradley-Terry ratings with bootstrap intervals, best first; [] for two models or fewer."""
    import numpy as np

    if len(models) <= 2:
        return []
    index = {m: i for i, m in enumerate(models)}
    k = len(models)
    cases: dict[tuple[str, str, int], int] = {}
    for v in verdicts:
        if v.outcome is not None:
            cases.setdefault((v.suite, v.case_id, v.sample), len(cases))
    per_case = np.zeros((max(1, len(cases)), k, k))
    for v in verdicts:
        if v.outcome is None:
            continue
        c, i, j = cases[(v.suite, v.case_id, v.sample)], index[v.a], index[v.b]
        points = _points(str(v.outcome))
        per_case[c, i, j] += points
        per_case[c, j, i] += 1.0 - points
    prior = np.full((k, k), PRIOR)
    np.fill_diagonal(prior, 0.0)
    point = _elo(_fit(per_case.sum(axis=0) + prior))
    flat = per_case.reshape(per_case.shape[0], k * k)
    draws = []
    for weights in resample_counts(flat.shape[0], n_boot, seed):
        resampled = (weights @ flat).reshape(-1, k, k) + prior
        draws.append(_elo(_fit(resampled)))
    dist = np.concatenate(draws, axis=0)
    low, high = np.quantile(dist, [0.025, 0.975], axis=0)
    out = [
        {"model": m, "rating": float(point[i]), "ci95": [float(low[i]), float(high[i])]}
        for m, i in index.items()
    ]
    return sorted(out, key=lambda r: -float(r["rating"]))


def pairwise_report(
    verdicts: Sequence[VerdictLike], models: Sequence[str], *, seed: int = DEFAULT_SEED
) -> dict[str, Any]:
    """The `pairwise --json` document: pairs, ratings, and how often the orders disagreed."""
    judged = [v for v in verdicts if v.outcome is not None]
    inconsistent = sum(1 for v in judged if v.inconsistent)
    return {
        "pairs": pair_rows(verdicts, models, seed=seed),
        "ratings": ratings(verdicts, models, seed=seed),
        "inconsistent_share": inconsistent / len(judged) if judged else None,
        "judged": len(judged),
        "errors": len(verdicts) - len(judged),
    }
