"""MBPP (sanitized): write a Python function from one sentence and the asserts it must pass.

The prompt is lm-eval's `mbpp_instruct` ("You are an expert Python
programmer, and here is your task: ... Your code should pass these tests:"
then the asserts), adapted for chat models: it asks for the code in one
```python block, and a shot's answer is its code in such a block. Zero-shot
by default; `--shots K` takes the first K problems of the `prompt` split, as
lm-eval's 3-shot prompt uses task ids 2, 3 and 4 (the first three there).

The reply's code is run in the sandbox with the row's `test_imports` and
`test_list` asserts (the `python_tests` scorer, with an empty prompt: the
answer is the whole program, and there is no `check` function to call), so
the reference, the dataset's own `code`, passes. `--samples N` gives pass@k.
Case ids are the dataset's `task_id`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from benchlab.domain import Case, GenerationParams, ScorerSpec, SuiteHeader
from benchlab.errors import SuiteError
from benchlab.suites.standard.family import Built, Family, Loader
from benchlab.suites.standard.options import StandardOptions
from benchlab.suites.standard.turns import case_input, first_n, qa_turns

__all__ = ["mbpp", "question_text", "tests_program"]


def question_text(row: dict[str, Any]) -> str:
    tests = "\n".join(str(t) for t in row["test_list"])
    return (
        "You are an expert Python programmer, and here is your task:\n"
        f"{row['prompt']}\n"
        f"Your code should pass these tests:\n{tests}\n"
        "Write the code in one ```python block."
    )


def _fenced(code: str) -> str:
    return f"```python\n{code.strip()}\n```"


def tests_program(row: dict[str, Any]) -> str:
    """The row's imports, then its asserts: what the sandbox runs against the answer."""
    lines = [str(line) for line in row["test_imports"]] + [str(t) for t in row["test_list"]]
    return "\n".join(lines) + "\n"


def mbpp(load: Loader, options: StandardOptions, family: Family) -> Built:
    shots = family.shots(options)
    data = load(["test", "prompt"] if shots else ["test"])
    rows = data.rows("test")
    pool = data.rows("prompt") if shots else []
    if shots > len(pool):
        raise SuiteError(f"mbpp: --shots {shots}: the prompt split has {len(pool)} problems")
    examples = [(question_text(r), _fenced(str(r["code"]))) for r in first_n(pool, shots)]

    def cases() -> Iterator[Case]:
        for row in rows:
            turns = qa_turns(
                examples, question_text(row), target_delimiter="\n", fewshot_delimiter="\n\n"
            )
            yield Case(
                id=str(row["task_id"]),
                input=case_input(turns, multiturn=options.fewshot_as_multiturn),
                expected={"prompt": "", "test": tests_program(row), "entry_point": None},
                reference=_fenced(str(row["code"])),
                metadata={"language": "python", "source_file": row.get("source_file")},
            )

    header = SuiteHeader(
        name=family.name,
        description=family.description,
        scorers=[ScorerSpec(name="python_tests")],
        params=GenerationParams(temperature=0.0),
        metadata={
            "kind": "code",
            "language": "python",
            "prompt_format": "lm-eval mbpp_instruct: You are an expert Python programmer, and "
            "here is your task: ..\\nYour code should pass these tests:\\n.. (one ```python "
            "block; shots: the prompt split, first n)",
        },
    )
    return Built(header, cases())
