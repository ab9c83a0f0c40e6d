"""Reproducible, category-stratified samples of a suite (`--limit N --seed S`).

A tracker compares today's sample with yesterday's, so the same seed and the
same suite must give the same ids on every machine and every Python: the
allocation is exact (fractions, not floats), ties break by category name, and
each category's generator is seeded from a string, never from `hash()`, which
Python salts per process. Stratifying keeps a small sample from silently
dropping a category, which would bias a per-category report.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchlab.suites.loader import LoadedSuite


def sample_suite(suite: LoadedSuite, limit: int | None, seed: int) -> list[str]:
    """The ids a run asks: grids sample whole matched sets, other suites by category."""
    if suite.header.factors:
        from benchlab.suites.grid import select_grid

        return select_grid(suite.header, limit, seed)
    return select_cases(suite.index(), limit, seed)


def select_cases(index: list[tuple[str, str | None]], limit: int | None, seed: int) -> list[str]:
    """Up to `limit` case ids drawn per category, returned in the suite's order.

    `limit` is shared across categories by largest remainder. When `limit`
    covers every category, each gets at least one case (taken from the
    category furthest above its proportional share); when it does not, the
    plain proportional allocation decides.
    """
    if limit is None or limit >= len(index):
        return [case_id for case_id, _ in index]
    if limit < 0:
        raise ValueError(f"limit must not be negative, got {limit}")
    positions: dict[str | None, list[int]] = {}
    for position, (_, category) in enumerate(index):
        positions.setdefault(category, []).append(position)
    allocation = _allocate({c: len(p) for c, p in positions.items()}, limit)
    chosen: list[int] = []
    for category, count in allocation.items():
        if count:
            rng = random.Random(json.dumps([seed, category]))
            chosen.extend(rng.sample(positions[category], count))
    chosen.sort()
    return [index[position][0] for position in chosen]


def _allocate(sizes: dict[str | None, int], limit: int) -> dict[str | None, int]:
    """Largest-remainder shares of `limit`, with at least one per category when it fits."""
    total = sum(sizes.values())
    order = sorted(sizes, key=_name_key)
    quota = {c: Fraction(limit * sizes[c], total) for c in order}
    share = {c: int(quota[c]) for c in order}
    left = limit - sum(share.values())
    by_remainder = sorted(order, key=lambda c: (-(quota[c] - share[c]), _name_key(c)))
    for category in by_remainder[:left]:
        share[category] += 1
    if limit >= len(order):
        empty = sorted((c for c in order if share[c] == 0), key=lambda c: (-quota[c], _name_key(c)))
        for category in empty:
            donor = min(
                (c for c in order if share[c] > 1),
                key=lambda c: (-(share[c] - quota[c]), _name_key(c)),
            )
            share[donor] -= 1
            share[category] = 1
    return share


def _name_key(category: str | None) -> tuple[bool, str]:
    """Sort uncategorised cases first, then categories by name."""
    return (category is not None, category or "")
