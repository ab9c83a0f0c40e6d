"""`mc2`: TruthfulQA's MC2, the probability mass a model puts on the true answers.

lm-eval's `process_results_mc2` turns each continuation's logprob into a
probability, normalises them over the case's answers and sums those labelled
true (1). That is a measure in [0, 1], not a verdict, so `passed` is None
(the run reports its mean, as lm-eval does).

The normalisation subtracts the largest logprob before exponentiating, which
leaves the value unchanged wherever lm-eval's own `exp` does not underflow
(agreement within 1e-12 is tested), and keeps a value where every answer's
probability is below 1e-308 (logprobs under about -745, long answers to a
small model), where lm-eval's divides 0 by 0 and reports NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from benchlab.domain import Case
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.loglikelihood import checked_output

__all__ = ["Mc2Scorer", "mc2", "true_mass"]


def true_mass(logprobs: Sequence[float], labels: Sequence[int]) -> float:
    """The normalised probability of the continuations labelled 1."""
    top = max(logprobs)
    if math.isinf(top):  # every continuation impossible, or one certain past float range
        probs = [1.0 if lp == top else 0.0 for lp in logprobs]
    else:
        probs = [math.exp(lp - top) for lp in logprobs]
    total = math.fsum(probs)
    return math.fsum(p for p, label in zip(probs, labels, strict=True) if label == 1) / total


def expected_labels(case: Case, n: int) -> list[int]:
    expected = case.expected
    labels = expected.get("labels") if isinstance(expected, dict) else None
    if (
        not isinstance(labels, list)
        or len(labels) != n
        or not all(x in (0, 1) and not isinstance(x, float) for x in labels)
    ):
        raise ValueError(
            f'case {case.id!r}: expected must be {{"labels": [1 or 0 per continuation]}} '
            f"with {n} labels"
        )
    return [int(x) for x in labels]


class Mc2Scorer:
    def __init__(self) -> None:
        self.name = "mc2"

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        doc = checked_output(case, answer.output)
        labels = expected_labels(case, len(doc.logprobs))
        value = true_mass(doc.logprobs, labels)
        return ScoreResult(
            value=value,
            passed=None,
            explanation=f"{value:.4f} of the probability on the {sum(labels)} true answer(s)",
            details={"mc2": value, "labels": labels},
        )


def mc2() -> Mc2Scorer:
    return Mc2Scorer()
