"""MMLU-Pro as lm-eval's mmlu_pro asks it: chain of thought, 5 shots of the same category.

Each question lists up to ten options (A-J) and ends "Answer: Let's think
step by step."; the shots are the first questions of the validation split
in the same category, answered with the dataset's own worked answers
(`cot_content`). The `mmlu_pro` scorer reads "the answer is (X)" as
TIGER-Lab's evaluation does; case ids are the dataset's `question_id`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from benchlab.domain import Case, GenerationParams, ScorerSpec, SuiteHeader
from benchlab.suites.standard.family import Built, Family, Loader, chosen_groups
from benchlab.suites.standard.options import StandardOptions
from benchlab.suites.standard.turns import case_input, first_n, qa_turns

__all__ = ["mmlu_pro"]

_LETTERS = "ABCDEFGHIJ"
_COT = "Answer: Let's think step by step."


def question_text(row: dict[str, Any]) -> str:
    lines = ["Question:", str(row["question"]), "Options:"]
    lines += [f"{_LETTERS[i]}. {str(o).strip()}" for i, o in enumerate(row["options"][:10])]
    return "\n".join(lines) + "\n" + _COT


def _worked(row: dict[str, Any]) -> str:
    return str(row["cot_content"]).replace("A: Let's think step by step. ", "")


def mmlu_pro(load: Loader, options: StandardOptions, family: Family) -> Built:
    shots = family.shots(options)
    data = load(["test", "validation"] if shots else ["test"])
    by_category: dict[str, list[dict[str, Any]]] = {}
    for row in data.rows("test"):
        by_category.setdefault(str(row["category"]), []).append(row)
    pool: dict[str, list[dict[str, Any]]] = {}
    for row in data.rows("validation") if shots else []:
        pool.setdefault(str(row["category"]), []).append(row)
    categories = chosen_groups(
        family,
        options,
        by_category,
        pool,
        unknown="no such category (categories: {known})",
        lack="the validation split has {n} questions in {group}",
    )

    def cases() -> Iterator[Case]:
        for category in categories:
            description = (
                f"The following are multiple choice questions (with answers) about {category}. "
                'Think step by step and then finish your answer with "the answer is (X)" where '
                "X is the correct letter choice.\n"
            )
            examples = [
                (question_text(r), _worked(r)) for r in first_n(pool.get(category, []), shots)
            ]
            for row in by_category[category]:
                letter = str(row["answer"])
                turns = qa_turns(examples, question_text(row), description=description)
                yield Case(
                    id=str(row["question_id"]),
                    input=case_input(turns, multiturn=options.fewshot_as_multiturn),
                    expected=letter,
                    reference=f"The answer is ({letter}).",
                    metadata={"category": category, "src": row.get("src")},
                )

    header = SuiteHeader(
        name=family.name,
        description=family.description,
        scorers=[ScorerSpec(name="mmlu_pro")],
        params=GenerationParams(temperature=0.0, stop=["Question:"], max_tokens=2048),
        metadata={
            "kind": "multiple_choice",
            "prompt_format": "lm-eval mmlu_pro: description, Question:\\n..\\nOptions:\\nA. ..\\n"
            "Answer: Let's think step by step. (shots: validation, same category, first n)",
        },
    )
    return Built(header, cases())
