"""The four ways `samples build` draws N production samples: random, stratified,
feedback-weighted and diverse.

Each strategy takes plain values (stratum keys, feedback scores, vectors), one
per sample of the pool in its canonical order, and returns the chosen
positions in ascending order, so it can be tested without a store. Draws use
numpy Generators seeded from the seed (and, for strata, the stratum's name
through SHA-256, never `hash()`, which Python salts per process): the same
pool and seed give the same cases on every machine.

Decisions where the issue is silent:

- Stratified allocation is exact: `proportional` gives each stratum its
  largest-remainder share of N (ties to the larger stratum, then by name);
  `equal` gives each stratum N / k. A stratum smaller than its share gives
  all it has, and what it could not give is shared again among the others
  (so the total is still N whenever the pool holds N). Samples without the
  field form their own stratum, `(none)`.
- Feedback weighting: a score s on the pool's scale (0..1 when every score
  lies there, else the pool's min..max) is weight 1 / (s + 0.1), so the worst
  answer is about ten times likelier per draw than the best; a sample with no
  feedback counts as the middle of the scale. Draws without replacement by
  exponential keys (Efraimidis-Spirakis).
- Diverse: k-means (k-means++ start, Lloyd steps) with k = N on the unit
  vectors of the inputs, and the sample nearest each centre; clusters that
  come out empty or repeat a pick are filled at random. Pools above
  `DIVERSE_CANDIDATES` are first thinned at random to that many candidates
  (k-means is O(pool x N) per step).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "ALLOCATIONS",
    "DIVERSE_CANDIDATES",
    "MISSING_STRATUM",
    "STRATEGIES",
    "Allocation",
    "Strategy",
    "allocate",
    "diverse",
    "feedback_weighted",
    "feedback_weights",
    "kmeans",
    "random_sample",
    "stratified",
]

Strategy = Literal["random", "stratified", "feedback-weighted", "diverse"]
STRATEGIES: tuple[Strategy, ...] = ("random", "stratified", "feedback-weighted", "diverse")
Allocation = Literal["equal", "proportional"]
ALLOCATIONS: tuple[Allocation, ...] = ("equal", "proportional")
MISSING_STRATUM = "(none)"
DIVERSE_CANDIDATES = 5000
_SMOOTHING = 0.1  # weight = 1 / (score + _SMOOTHING) on a 0..1 scale
_KMEANS_STEPS = 50


def _rng(seed: int, *salt: object) -> np.random.Generator:
    """A generator for `seed` (and a salt such as a stratum's name), equal on every machine."""
    digest = hashlib.sha256(json.dumps([seed, *salt]).encode("utf-8")).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "big"))


def random_sample(size: int, count: int, seed: int) -> list[int]:
    """`count` positions of `size`, uniformly without replacement."""
    count = min(count, size)
    chosen = _rng(seed, "random").choice(size, size=count, replace=False)
    return sorted(int(i) for i in chosen)


def allocate(sizes: Mapping[str, int], count: int, allocation: Allocation) -> dict[str, int]:
    """How many to take from each stratum: exact, summing to min(count, pool size)."""
    total = sum(sizes.values())
    count = min(count, total)
    names = sorted(sizes)
    if allocation == "proportional":
        quota = {n: Fraction(count * sizes[n], total) for n in names}
        share = {n: int(quota[n]) for n in names}
        left = count - sum(share.values())
        order = sorted(names, key=lambda n: (-(quota[n] - share[n]), -sizes[n], n))
        for name in order[:left]:
            share[name] += 1  # never above the stratum: its quota was below its size
        return share
    share = dict.fromkeys(names, 0)
    open_ = list(names)
    left = count
    while left and open_:
        even = left // len(open_)
        short = [n for n in open_ if sizes[n] - share[n] <= even]
        if short:  # these give all they have; the rest share what they could not give
            for name in short:
                left -= sizes[name] - share[name]
                share[name] = sizes[name]
                open_.remove(name)
            continue
        for name in open_:
            share[name] += even
        left -= even * len(open_)
        # The last units go to the strata with the most left to give, then by name.
        for name in sorted(open_, key=lambda n: (-(sizes[n] - share[n]), n))[:left]:
            share[name] += 1
        left = 0
    return share


def stratified(
    keys: Sequence[str | None], count: int, seed: int, allocation: Allocation
) -> tuple[list[int], dict[str, int]]:
    """Positions drawn per stratum (each with its own generator), and the allocation."""
    positions: dict[str, list[int]] = {}
    for position, key in enumerate(keys):
        positions.setdefault(MISSING_STRATUM if key is None else key, []).append(position)
    shares = allocate({k: len(v) for k, v in positions.items()}, count, allocation)
    chosen: list[int] = []
    for name, share in shares.items():
        if share:
            members = positions[name]
            picked = _rng(seed, "stratum", name).choice(len(members), size=share, replace=False)
            chosen.extend(members[int(i)] for i in picked)
    return sorted(chosen), shares


def feedback_weights(scores: Sequence[float | None]) -> NDArray[np.float64]:
    """Each sample's draw weight: lower score, higher weight; no feedback, the scale's middle."""
    known = [s for s in scores if s is not None]
    low, high = (0.0, 1.0)
    if known and not all(0.0 <= s <= 1.0 for s in known):
        low, high = min(known), max(known)
    span = high - low
    weights = np.empty(len(scores), dtype=np.float64)
    for i, score in enumerate(scores):
        level = 0.5 if score is None or span == 0 else (score - low) / span
        weights[i] = 1.0 / (level + _SMOOTHING)
    return weights


def feedback_weighted(scores: Sequence[float | None], count: int, seed: int) -> list[int]:
    """`count` positions drawn without replacement with probability rising as the score falls."""
    count = min(count, len(scores))
    if count == 0:
        return []
    weights = feedback_weights(scores)
    uniform = _rng(seed, "feedback").random(len(scores))
    # Efraimidis-Spirakis: the largest u ** (1 / w) win; in logs, log(u) / w.
    keys = np.log(np.maximum(uniform, np.finfo(np.float64).tiny)) / weights
    chosen = np.argsort(-keys, kind="stable")[:count]
    return sorted(int(i) for i in chosen)


def kmeans(
    vectors: NDArray[np.float64], k: int, rng: np.random.Generator
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Centres and each vector's cluster: k-means++ start, then Lloyd steps to convergence."""
    n = vectors.shape[0]
    squared = np.einsum("ij,ij->i", vectors, vectors)
    centres = np.empty((k, vectors.shape[1]), dtype=np.float64)
    centres[0] = vectors[rng.integers(n)]
    nearest = np.maximum(squared - 2 * vectors @ centres[0] + centres[0] @ centres[0], 0.0)
    for j in range(1, k):
        total = nearest.sum()
        pick = int(rng.choice(n, p=nearest / total)) if total > 0 else int(rng.integers(n))
        centres[j] = vectors[pick]
        distance = np.maximum(squared - 2 * vectors @ centres[j] + centres[j] @ centres[j], 0.0)
        nearest = np.minimum(nearest, distance)
    labels = np.full(n, -1, dtype=np.intp)
    for _ in range(_KMEANS_STEPS):
        distances = (
            squared[:, None] - 2 * vectors @ centres.T + np.einsum("ij,ij->i", centres, centres)
        )
        fresh = np.argmin(distances, axis=1)
        if np.array_equal(fresh, labels):
            break
        labels = fresh
        for j in range(k):
            members = vectors[labels == j]
            if len(members):
                centres[j] = members.mean(axis=0)
    return centres, labels


def diverse(vectors: NDArray[np.float64], count: int, seed: int) -> list[int]:
    """One sample per k-means cluster (the nearest to its centre), k = count; see the module."""
    n = vectors.shape[0]
    count = min(count, n)
    if count == 0:
        return []
    rng = _rng(seed, "diverse")
    candidates = np.arange(n)
    if n > DIVERSE_CANDIDATES:
        candidates = np.sort(rng.choice(n, size=DIVERSE_CANDIDATES, replace=False))
    data = np.asarray(vectors[candidates], dtype=np.float64)
    norms = np.linalg.norm(data, axis=1, keepdims=True)
    data = data / np.where(norms == 0, 1.0, norms)
    k = min(count, len(candidates))
    centres, labels = kmeans(data, k, rng)
    picked: list[int] = []
    for j in range(k):
        members = np.flatnonzero(labels == j)
        if len(members):
            gaps = np.linalg.norm(data[members] - centres[j], axis=1)
            picked.append(int(candidates[members[int(np.argmin(gaps))]]))
    chosen = set(picked)
    if len(chosen) < count:  # empty clusters (identical vectors): fill at random
        rest = np.array([i for i in range(n) if i not in chosen], dtype=np.intp)
        extra = rng.choice(len(rest), size=count - len(chosen), replace=False)
        chosen.update(int(rest[int(i)]) for i in extra)
    return sorted(chosen)
