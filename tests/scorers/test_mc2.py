"""`mc2`: TruthfulQA's probability mass on the true answers, checked against lm-eval's own."""

from __future__ import annotations

import asyncio
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchlab.domain import Case, ScorerSpec
from benchlab.scorers.base import Answer, NoModels, ScoreResult
from benchlab.scorers.choice_logprobs import ChoiceLogprobs
from benchlab.scorers.mc2 import true_mass
from benchlab.scorers.registry import build_scorer
from scorers._lm_eval_mc import mc2 as reference_mc2


def mc2_case(labels: list[int]) -> Case:
    continuations = [f" answer {i}." for i in range(len(labels))]
    return Case(
        id="t",
        input="Q",
        expected={"labels": labels},
        metadata={"loglikelihood": {"context": "Q: why?\nA:", "continuations": continuations}},
    )


def score(case: Case, logprobs: list[float]) -> ScoreResult:
    doc = ChoiceLogprobs(logprobs, [None] * len(logprobs), [9.0] * len(logprobs))
    scorer = build_scorer(ScorerSpec(name="mc2"))
    return asyncio.run(scorer.score(case, Answer(output=doc.dumps()), NoModels()))


def test_the_share_of_probability_on_the_true_answers_is_a_measure() -> None:
    result = score(mc2_case([1, 1, 0]), [math.log(0.5), math.log(0.25), math.log(0.25)])
    assert result.value == pytest.approx(0.75, abs=1e-15)
    assert result.passed is None  # a measure, not a verdict
    assert result.details == {"mc2": result.value, "labels": [1, 1, 0]}


def test_it_holds_where_every_probability_underflows() -> None:
    """lm-eval's exp() of -1000 is 0 and its 0/0 NaN; the mass is still well defined."""
    assert true_mass([-1000.0, -1000.0 - math.log(3)], [1, 0]) == pytest.approx(0.75)
    assert math.isnan(reference_mc2([1, 0], [(-1000.0, False), (-1001.0, False)]))


def test_labels_must_match_the_continuations() -> None:
    three = mc2_case([1, 0, 0]).model_copy(update={"expected": {"labels": [1, 0]}})
    with pytest.raises(ValueError, match="with 3 labels"):
        score(three, [-1.0, -2.0, -3.0])
    with pytest.raises(ValueError, match="3 logprobs for 2 continuations"):
        score(mc2_case([1, 0]), [-1.0, -2.0, -3.0])


# --- parity with lm-eval ---------------------------------------------------------------------


@st.composite
def documents(draw: st.DrawFn) -> tuple[list[int], list[float]]:
    n = draw(st.integers(min_value=2, max_value=14))  # TruthfulQA has up to 13 answers
    labels = draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n))
    logprobs = draw(
        st.lists(
            st.one_of(
                st.floats(min_value=-300.0, max_value=0.0, allow_nan=False),
                st.sampled_from([0.0, -1.0, -20.0]),
            ),
            min_size=n,
            max_size=n,
        )
    )
    return labels, logprobs


def difference(labels: list[int], logprobs: list[float]) -> float:
    ours = score(mc2_case(labels), logprobs).value
    assert ours is not None
    return abs(ours - reference_mc2(labels, [(lp, False) for lp in logprobs]))


@settings(max_examples=400, deadline=None)
@given(documents())
def test_mc2_agrees_with_lm_eval(doc: tuple[list[int], list[float]]) -> None:
    assert difference(*doc) <= 1e-12


def test_two_thousand_seeded_documents_within_1e_12() -> None:
    rng = random.Random(13)
    worst = 0.0
    for _ in range(2000):
        n = rng.randint(2, 13)
        labels = [rng.choice([0, 1]) for _ in range(n)]
        logprobs = [-rng.uniform(0, rng.choice([2, 30, 200])) for _ in range(n)]
        worst = max(worst, difference(labels, logprobs))
    assert worst <= 1e-12
