"""The samplers' promises, as properties: exact allocation, monotone weighting, seeded draws."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchlab.samples.sampling import (
    MISSING_STRATUM,
    allocate,
    diverse,
    feedback_weighted,
    feedback_weights,
    random_sample,
    stratified,
)

strata = st.dictionaries(
    st.text(alphabet="abcdefgh", min_size=1, max_size=3),
    st.integers(min_value=1, max_value=60),
    min_size=1,
    max_size=8,
)


@given(sizes=strata, count=st.integers(min_value=0, max_value=400))
def test_proportional_allocation_is_exact_and_within_one_of_each_quota(
    sizes: dict[str, int], count: int
) -> None:
    shares = allocate(sizes, count, "proportional")
    total = sum(sizes.values())
    assert sum(shares.values()) == min(count, total)
    for name, share in shares.items():
        assert 0 <= share <= sizes[name]
        quota = Fraction(min(count, total) * sizes[name], total)
        assert abs(share - quota) < 1


@given(sizes=strata, count=st.integers(min_value=0, max_value=400))
def test_equal_allocation_is_exact_and_small_strata_give_everything(
    sizes: dict[str, int], count: int
) -> None:
    shares = allocate(sizes, count, "equal")
    assert sum(shares.values()) == min(count, sum(sizes.values()))
    assert all(0 <= shares[n] <= sizes[n] for n in sizes)
    # A stratum short of its share gives all it has; the others are as even as can be.
    full = [n for n in sizes if shares[n] < sizes[n]]
    if full:
        top = max(shares[n] for n in full)
        assert min(shares[n] for n in full) >= top - 1
        assert all(shares[n] == sizes[n] or shares[n] >= top - 1 for n in sizes)
        assert all(sizes[n] <= top for n in sizes if n not in full)


def test_equal_allocation_shares_what_a_small_stratum_cannot_give() -> None:
    assert allocate({"big": 100, "mid": 40, "tiny": 2}, 30, "equal") == {
        "big": 14,
        "mid": 14,
        "tiny": 2,
    }
    assert allocate({"a": 10, "b": 10, "c": 10}, 10, "equal") == {"a": 4, "b": 3, "c": 3}


@given(
    keys=st.lists(st.sampled_from(["x", "y", "z", None]), min_size=1, max_size=200),
    count=st.integers(min_value=1, max_value=250),
    seed=st.integers(min_value=0, max_value=2**32),
    allocation=st.sampled_from(["equal", "proportional"]),
)
def test_stratified_draws_exactly_its_allocation_from_each_stratum(
    keys: list[str | None], count: int, seed: int, allocation: str
) -> None:
    chosen, shares = stratified(keys, count, seed, allocation)  # type: ignore[arg-type]
    assert chosen == sorted(set(chosen))
    assert len(chosen) == min(count, len(keys)) == sum(shares.values())
    for name, share in shares.items():
        key = None if name == MISSING_STRATUM else name
        assert sum(1 for i in chosen if keys[i] == key) == share
    assert chosen == stratified(keys, count, seed, allocation)[0]  # type: ignore[arg-type]


@given(
    size=st.integers(min_value=0, max_value=300),
    count=st.integers(min_value=1, max_value=300),
    seed=st.integers(min_value=0, max_value=2**40),
)
def test_random_draws_distinct_positions_and_repeats_itself_for_a_seed(
    size: int, count: int, seed: int
) -> None:
    chosen = random_sample(size, count, seed)
    assert len(chosen) == min(size, count) == len(set(chosen))
    assert all(0 <= i < size for i in chosen)
    assert chosen == random_sample(size, count, seed)


def test_different_seeds_usually_draw_different_cases() -> None:
    scores: list[float | None] = [i / 99 for i in range(100)]
    keys: list[str | None] = [f"k{i % 4}" for i in range(100)]
    vectors = np.random.default_rng(0).normal(size=(100, 8))
    draws = {
        "random": [tuple(random_sample(100, 10, seed)) for seed in range(20)],
        "stratified": [tuple(stratified(keys, 10, seed, "equal")[0]) for seed in range(20)],
        "feedback": [tuple(feedback_weighted(scores, 10, seed)) for seed in range(20)],
        "diverse": [tuple(diverse(vectors, 10, seed)) for seed in range(20)],
    }
    for name, found in draws.items():
        assert len(set(found)) >= 15, name


@given(scores=st.lists(st.floats(min_value=-5, max_value=5) | st.none(), min_size=2, max_size=50))
def test_a_lower_score_never_weighs_less(scores: list[float | None]) -> None:
    weights = feedback_weights(scores)
    known = [(s, w) for s, w in zip(scores, weights, strict=True) if s is not None]
    for score_a, weight_a in known:
        for score_b, weight_b in known:
            if score_a < score_b:
                assert weight_a >= weight_b


def test_missing_feedback_weighs_as_the_middle_of_the_scale() -> None:
    weights = feedback_weights([0.0, None, 0.5, 1.0])
    assert weights[1] == weights[2]
    assert weights[0] > weights[1] > weights[3]
    assert weights[0] / weights[3] == pytest.approx(11.0)  # 1/0.1 against 1/1.1
    # Outside 0..1 the pool's own range is the scale (here a 1..5 star rating).
    stars = feedback_weights([1, 3, 5, None])
    assert stars[1] == stars[3] and stars[0] > stars[1] > stars[2]


@settings(deadline=None, max_examples=5)
@given(offset=st.integers(min_value=0, max_value=10**6))
def test_lower_scores_are_drawn_more_often_over_many_seeds(offset: int) -> None:
    levels = [0.0, 0.25, 0.5, 0.75, 1.0]
    scores: list[float | None] = [levels[i % 5] for i in range(50)]
    hits = np.zeros(5)
    for seed in range(offset, offset + 2000):  # enough draws that 1.18 vs 0.91 shows
        for i in feedback_weighted(scores, 5, seed):
            hits[i % 5] += 1
    assert all(hits[j] > hits[j + 1] for j in range(4)), hits
    assert hits[0] > 3 * hits[4]


def test_feedback_weighting_draws_without_replacement() -> None:
    chosen = feedback_weighted([0.0] * 3 + [1.0] * 3, 6, seed=1)
    assert chosen == [0, 1, 2, 3, 4, 5]
    assert feedback_weighted([], 3, seed=1) == []


def test_diverse_takes_one_sample_from_each_planted_cluster() -> None:
    rng = np.random.default_rng(7)
    centres = np.eye(6) * 10
    members = [rng.integers(6) for _ in range(300)]
    vectors = np.array([centres[m] + rng.normal(scale=0.3, size=6) for m in members])
    for seed in range(5):
        chosen = diverse(vectors, 6, seed)
        assert len(chosen) == 6
        assert sorted(int(members[i]) for i in chosen) == [0, 1, 2, 3, 4, 5]
        assert chosen == diverse(vectors, 6, seed)


def test_diverse_fills_from_identical_inputs_and_caps_at_the_pool() -> None:
    same = np.ones((10, 4))
    assert len(diverse(same, 4, seed=3)) == 4
    assert diverse(same, 40, seed=3) == list(range(10))
