"""`loglikelihood`: acc and acc_norm as lm-eval computes them, checked against lm-eval itself."""

from __future__ import annotations

import asyncio
import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchlab.domain import Case, ScorerSpec
from benchlab.errors import ConfigError
from benchlab.scorers.base import Answer, NoModels, ScoreResult
from benchlab.scorers.choice_logprobs import ChoiceLogprobs, LoglikelihoodCase, loglikelihood_case
from benchlab.scorers.loglikelihood import argmax
from benchlab.scorers.registry import build_scorer
from scorers._lm_eval_mc import multiple_choice


def mc_case(choices: list[str], gold: int) -> Case:
    return Case(
        id="q",
        input="Q",
        expected={"gold": gold},
        metadata={
            "loglikelihood": {"context": "Question: Q\nAnswer:", "continuations": choices},
        },
    )


def output(case: Case, logprobs: list[float], greedy: list[bool | None]) -> str:
    """The document the engine stores, with the lengths it computes from the case."""
    return ChoiceLogprobs(logprobs, greedy, loglikelihood_case(case).lengths()).dumps()


def score(case: Case, text: str, metric: str = "acc") -> ScoreResult:
    scorer = build_scorer(ScorerSpec(name="loglikelihood", options={"metric": metric}))
    return asyncio.run(scorer.score(case, Answer(output=text), NoModels()))


def test_acc_takes_the_likeliest_and_acc_norm_the_likeliest_per_character() -> None:
    case = mc_case([" Paris", " the city of London"], gold=1)
    text = output(case, [-3.0, -6.0], [True, False])
    by_sum = score(case, text)
    assert (by_sum.value, by_sum.passed) == (0.0, False)
    assert by_sum.details == {
        "metric": "acc",
        "acc": 0.0,
        "acc_norm": 1.0,  # -3/5 < -6/18: per character the long answer wins
        "pred": 0,
        "pred_norm": 1,
        "gold": 1,
    }
    by_char = score(case, text, "acc_norm")
    assert (by_char.value, by_char.passed) == (1.0, True)


def test_lengths_leave_the_delimiter_out_as_lm_eval_does() -> None:
    block = LoglikelihoodCase("Q:", [" ab", "  c", "xyz", " "], " ")
    assert block.lengths() == [2.0, 2.0, 3.0, 0.0]
    assert LoglikelihoodCase("Q:", [" ab"], "").lengths() == [3.0]


def test_ties_go_to_the_first_and_nan_wins_as_in_numpy() -> None:
    assert argmax([-1.0, -1.0, -2.0]) == 0
    assert argmax([-math.inf, -math.inf]) == 0
    assert argmax([-1.0, math.nan, 0.0]) == 1


def test_a_wrong_case_or_output_is_an_error_not_a_fail() -> None:
    case = mc_case([" a", " b"], gold=2)
    with pytest.raises(ValueError, match="gold index 2 is not one of the 2"):
        score(case, output(case, [-1.0, -2.0], [None, None]))
    good = mc_case([" a", " b"], gold=0)
    with pytest.raises(ValueError, match="not a log-likelihood document"):
        score(good, "B")
    three = ChoiceLogprobs([-1.0, -2.0, -3.0], [None] * 3, [1.0, 1.0, 1.0]).dumps()
    with pytest.raises(ValueError, match="3 logprobs for 2 continuations"):
        score(good, three)
    with pytest.raises(ConfigError, match="metric must be 'acc' or 'acc_norm'"):
        build_scorer(ScorerSpec(name="loglikelihood", options={"metric": "f1"}))


# --- parity with lm-eval ---------------------------------------------------------------------

LOGPROB = st.one_of(
    st.sampled_from([0.0, -0.5, -1.0, -2.0, -4.0]),  # ties, within and across lengths
    st.floats(min_value=-80.0, max_value=0.0, allow_nan=False),
    st.just(-math.inf),
)
CHOICE = st.text(min_size=1, max_size=14)


@st.composite
def documents(draw: st.DrawFn) -> tuple[list[str], int, list[float], list[bool]]:
    n = draw(st.integers(min_value=2, max_value=6))
    choices = draw(st.lists(CHOICE, min_size=n, max_size=n))
    logprobs = draw(st.lists(LOGPROB, min_size=n, max_size=n))
    greedy = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return choices, draw(st.integers(min_value=0, max_value=n - 1)), logprobs, greedy


def agrees(choices: list[str], gold: int, logprobs: list[float], greedy: list[bool]) -> bool:
    reference = multiple_choice(choices, gold, list(zip(logprobs, greedy, strict=True)))
    case = mc_case([" " + c for c in choices], gold)
    ours = score(case, output(case, logprobs, list(greedy)))
    assert ours.details is not None
    return bool(
        ours.details["acc"] == reference["acc"]
        and ours.details["acc_norm"] == reference["acc_norm"]
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_acc_and_acc_norm_agree_with_lm_eval(
    doc: tuple[list[str], int, list[float], list[bool]],
) -> None:
    assert agrees(*doc)


def test_two_thousand_seeded_documents_zero_disagreements() -> None:
    """A counted sample beside hypothesis's search: long and short choices, near ties."""
    rng = random.Random(13)
    words = ["a", "bb", "yes", "no", "Paris", "the city of London", "42", "ünïcode", " spaced"]
    disagreements = 0
    for _ in range(2000):
        n = rng.randint(2, 5)
        choices = [rng.choice(words) for _ in range(n)]
        logprobs = [-round(rng.uniform(0, 12), rng.choice([0, 1, 6])) for _ in range(n)]
        greedy = [rng.random() < 0.5 for _ in range(n)]
        disagreements += not agrees(choices, rng.randrange(n), logprobs, greedy)
    assert disagreements == 0
