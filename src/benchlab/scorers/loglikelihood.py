"""`loglikelihood`: a multiple-choice case answered by the likeliest continuation, as lm-eval.

lm-evaluation-harness's `multiple_choice` tasks (MMLU, ARC, HellaSwag,
TruthfulQA MC1) pick the choice whose continuation has the highest summed
logprob (`acc`), or the highest logprob per character of the choice
(`acc_norm`, which stops long choices losing for their length), and compare
it with the gold index. Both are computed here the way its
`ConfigurableTask.process_results` computes them: plain float64 division, and
the first index among equals (numpy's `argmax`, NaN counting as the largest).

`metric` picks which one is the verdict (`passed`, and the value 1/0); both are
always in the details. The default is `acc`, the metric every lm-eval
multiple-choice task reports and the only one MMLU and TruthfulQA MC1 report;
ARC and HellaSwag report `acc_norm` too, and the Open LLM Leaderboard quotes
theirs, so those suites set `metric: acc_norm`.

One deliberate difference: a gold index outside the choices is a scorer
error (the suite is wrong), where lm-eval logs a warning and counts a miss.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

from benchlab.domain import Case
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.choice_logprobs import METADATA_KEY, ChoiceLogprobs

__all__ = ["LoglikelihoodScorer", "argmax", "loglikelihood", "normalised", "predictions"]

Metric = Literal["acc", "acc_norm"]


def argmax(values: Sequence[float]) -> int:
    """numpy's argmax on a float64 vector: the first largest, and a NaN beats everything."""
    best = 0
    for i, value in enumerate(values):
        if math.isnan(value):
            return i
        if value > values[best]:
            best = i
    return best


def normalised(logprob: float, length: float) -> float:
    """`logprob / length` as float64 division does it, a zero length included."""
    if length != 0:
        return logprob / length
    if math.isnan(logprob) or logprob == 0:
        return math.nan
    return math.copysign(math.inf, logprob) * math.copysign(1.0, length)


def predictions(doc: ChoiceLogprobs) -> tuple[int, int]:
    """(the `acc` choice, the `acc_norm` choice)."""
    norm = [normalised(lp, n) for lp, n in zip(doc.logprobs, doc.lengths, strict=True)]
    return argmax(doc.logprobs), argmax(norm)


def expected_gold(case: Case, n: int) -> int:
    expected = case.expected
    gold = expected.get("gold") if isinstance(expected, dict) else None
    if not isinstance(gold, int) or isinstance(gold, bool):
        raise ValueError(f'case {case.id!r}: expected must be {{"gold": index of the right one}}')
    if not 0 <= gold < n:
        raise ValueError(f"case {case.id!r}: gold index {gold} is not one of the {n} choices")
    return gold


def checked_output(case: Case, output: str) -> ChoiceLogprobs:
    """The attempt's document, with as many entries as the case has continuations."""
    doc = ChoiceLogprobs.parse(output)
    block = case.metadata.get(METADATA_KEY)
    continuations = block.get("continuations") if isinstance(block, dict) else None
    if isinstance(continuations, list) and len(continuations) != len(doc.logprobs):
        raise ValueError(
            f"case {case.id!r}: {len(doc.logprobs)} logprobs for {len(continuations)} continuations"
        )
    return doc


class LoglikelihoodScorer:
    def __init__(self, metric: Metric = "acc") -> None:
        self.name = "loglikelihood"
        self.metric = metric

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        doc = checked_output(case, answer.output)
        gold = expected_gold(case, len(doc.logprobs))
        pred, pred_norm = predictions(doc)
        acc, acc_norm = float(pred == gold), float(pred_norm == gold)
        value = acc if self.metric == "acc" else acc_norm
        details: dict[str, Any] = {
            "metric": self.metric,
            "acc": acc,
            "acc_norm": acc_norm,
            "pred": pred,
            "pred_norm": pred_norm,
            "gold": gold,
        }
        return ScoreResult(
            value=value,
            passed=value == 1.0,
            explanation=f"likeliest choice {pred}, per character {pred_norm}; gold {gold}",
            details=details,
        )


def loglikelihood(metric: str = "acc") -> LoglikelihoodScorer:
    if metric not in ("acc", "acc_norm"):
        raise ValueError(f"metric must be 'acc' or 'acc_norm', not {metric!r}")
    return LoglikelihoodScorer("acc" if metric == "acc" else "acc_norm")
