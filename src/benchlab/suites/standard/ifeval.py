"""IFEval: each prompt asks for something checkable (no commas, three bullets, all lower case).

The prompt is the dataset's `prompt`, sent as it is, zero-shot (as lm-eval's
`ifeval` and Google's reference send it). Nothing has one right answer: the
`ifeval` scorer runs the verifiers named by the row's `instruction_id_list`
with its `kwargs`, which the case carries in its metadata. Case ids are the
dataset's `key`.

IFEval has no reference replies, so the offline `oracle` has nothing to
answer: its attempts are errors (never fails) and the run warns before it
starts; the tests check the suite with replies written to follow each
sample row's instructions, fed through `replay`.
"""

from __future__ import annotations

from collections.abc import Iterator

from benchlab.domain import Case, GenerationParams, ScorerSpec, SuiteHeader
from benchlab.errors import SuiteError
from benchlab.suites.standard.family import Built, Family, Loader
from benchlab.suites.standard.options import StandardOptions

__all__ = ["ifeval"]


def ifeval(load: Loader, options: StandardOptions, family: Family) -> Built:
    shots = family.shots(options)
    if shots:
        raise SuiteError(f"ifeval: --shots {shots}: IFEval is zero-shot (it has no examples)")
    rows = load(["train"]).rows("train")

    def cases() -> Iterator[Case]:
        for row in rows:
            yield Case(
                id=str(row["key"]),
                input=str(row["prompt"]),
                metadata={
                    "instruction_id_list": list(row["instruction_id_list"]),
                    "kwargs": list(row["kwargs"]),
                },
            )

    header = SuiteHeader(
        name=family.name,
        description=family.description,
        scorers=[ScorerSpec(name="ifeval")],
        params=GenerationParams(temperature=0.0, max_tokens=1280),
        metadata={
            "kind": "instruction_following",
            "prompt_format": "the dataset's prompt as it is (lm-eval ifeval, zero-shot)",
            "references": "none: IFEval has no reference replies; the oracle cannot answer",
        },
    )
    return Built(header, cases())
