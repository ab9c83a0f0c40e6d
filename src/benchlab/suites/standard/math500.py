"""MATH-500 zero-shot: work step by step, then the final answer in `\\boxed{}`.

The prompt follows lighteval's `math_500` task (the figure Hugging Face's
open-r1 and leaderboards report): the problem after one instruction to
reason step by step and to finish with the answer boxed, worded here in our
own words. The `math` scorer reads the last `\\boxed{}` of the reply and
compares it with the dataset's `answer` using `math-verify`, so `expected` is
that string and the reference a reply ending "The final answer is
$\\boxed{ANSWER}$." Case ids are the dataset's `unique_id`
(`test/prealgebra/1747.json`), categories its `subject`.
"""

from __future__ import annotations

from collections.abc import Iterator

from benchlab.domain import Case, GenerationParams, ScorerSpec, SuiteHeader
from benchlab.errors import SuiteError
from benchlab.suites.standard.family import Built, Family, Loader
from benchlab.suites.standard.options import StandardOptions

__all__ = ["INSTRUCTION", "math500"]

INSTRUCTION = (
    "Solve the following math problem step by step. Show your reasoning, then give the "
    "final answer on the last line in the form: The final answer is $\\boxed{ANSWER}$, "
    "where ANSWER is only the final number or expression."
)


def math500(load: Loader, options: StandardOptions, family: Family) -> Built:
    shots = family.shots(options)
    if shots:
        raise SuiteError(
            f"math-500: --shots {shots}: MATH-500 is zero-shot (it has no split to draw from)"
        )
    rows = load(["test"]).rows("test")

    def cases() -> Iterator[Case]:
        for row in rows:
            answer = str(row["answer"])
            yield Case(
                id=str(row["unique_id"]),
                input=f"{INSTRUCTION}\n\n{row['problem']}",
                expected=answer,
                reference=f"The final answer is $\\boxed{{{answer}}}$.",
                metadata={"category": str(row["subject"]), "level": int(row["level"])},
            )

    header = SuiteHeader(
        name=family.name,
        description=family.description,
        scorers=[ScorerSpec(name="math")],
        params=GenerationParams(temperature=0.0),
        metadata={
            "kind": "math",
            "prompt_format": "lighteval math_500: step by step, final answer in \\boxed{} "
            "(zero-shot)",
        },
    )
    return Built(header, cases())
