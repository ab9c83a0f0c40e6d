"""Stratified, reproducible sampling of case ids."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchlab.suites import select_cases

Index = list[tuple[str, str | None]]

categories = st.sampled_from([None, "a", "b", "c", "d", "e", "long-category-name"])
indexes = st.lists(categories, min_size=1, max_size=120).map(
    lambda cats: [(f"id-{i}", cat) for i, cat in enumerate(cats)]
)


def per_category(index: Index, ids: list[str]) -> Counter[str | None]:
    category = dict(index)
    return Counter(category[i] for i in ids)


@given(index=indexes, limit=st.integers(min_value=0, max_value=150), seed=st.integers())
def test_sample_properties(index: Index, limit: int, seed: int) -> None:
    ids = select_cases(index, limit, seed)
    n = len(index)
    assert len(ids) == min(limit, n)
    assert len(set(ids)) == len(ids)
    order = [i for i, _ in index]
    assert set(ids) <= set(order)
    assert ids == [i for i in order if i in set(ids)], "kept in suite order"
    assert ids == select_cases(list(index), limit, seed), "deterministic"

    if limit >= n:
        return
    sizes = Counter(cat for _, cat in index)
    got = per_category(index, ids)
    quota = {cat: Fraction(limit * size, n) for cat, size in sizes.items()}
    for cat in sizes:
        # Never more than the proportional share rounded up ...
        assert got[cat] <= math.ceil(quota[cat])
        # ... and within one of it unless some category had to be lifted to its first case.
        if all(q >= 1 for q in quota.values()):
            assert abs(got[cat] - quota[cat]) < 1
    if limit >= len(sizes):
        assert set(got) == set(sizes), "every category is represented"


@given(index=indexes, seed=st.integers())
def test_no_limit_or_a_large_one_keeps_everything(index: Index, seed: int) -> None:
    everything = [i for i, _ in index]
    assert select_cases(index, None, seed) == everything
    assert select_cases(index, len(index), seed) == everything
    assert select_cases(index, len(index) + 5, seed) == everything


def test_seeds_change_the_sample_and_categories_get_their_share() -> None:
    index: Index = [(f"q{i}", "big" if i < 80 else "small") for i in range(100)]
    first = select_cases(index, 10, seed=1)
    assert per_category(index, first) == {"big": 8, "small": 2}
    samples = {tuple(select_cases(index, 10, seed=s)) for s in range(20)}
    assert len(samples) > 1


def test_minimum_one_per_category_takes_from_the_largest_surplus() -> None:
    index: Index = [(f"q{i}", "big") for i in range(91)]
    index += [(f"r{c}", c) for c in "abcdefghi"]
    ids = select_cases(index, 10, seed=0)
    assert per_category(index, ids) == {"big": 1, **dict.fromkeys("abcdefghi", 1)}


def test_fewer_slots_than_categories_follow_the_proportions() -> None:
    index: Index = [(f"q{i}", "big") for i in range(96)]
    index += [(f"r{c}", c) for c in "abcd"]
    assert per_category(index, select_cases(index, 3, seed=0)) == {"big": 3}


def test_ties_break_by_category_name() -> None:
    index: Index = [("x1", "zeta"), ("x2", "alpha"), ("x3", "mid")]
    assert select_cases(index, 2, seed=5) == ["x2", "x3"]


def test_negative_limit_is_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        select_cases([("a", None)], -1, seed=0)


def test_same_sample_in_another_process_with_another_hash_seed() -> None:
    """Python salts str hashes per process; the sample must not depend on that."""
    code = (
        "from benchlab.suites import select_cases;"
        "idx=[(f'q{i}', ['x','y','z',None][i % 4]) for i in range(200)];"
        "print(','.join(select_cases(idx, 17, 42)))"
    )
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(result.stdout.strip())
    index = [(f"q{i}", ["x", "y", "z", None][i % 4]) for i in range(200)]
    outputs.add(",".join(select_cases(index, 17, 42)))
    assert len(outputs) == 1
