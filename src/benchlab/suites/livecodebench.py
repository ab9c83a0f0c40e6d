"""LiveCodeBench problems from a local JSONL file: `benchlab run livecodebench:PATH`.

The file is the dataset's own release format (code_generation_lite), one
problem per line: `question_id`, `question_title`, `question_content`,
`starter_code`, `difficulty`, `platform`, `contest_date`, and test cases as
JSON text in `public_test_cases` / `private_test_cases` (the private ones
are usually base64 of zlib of a pickled JSON string). Pickles are read with
an unpickler that refuses every global, so a data file can hold strings and
nothing that runs. As in lcb_runner, a problem whose metadata names a
`func_name` has call-based tests (`Solution().<func_name>`, or a module-level
function, called with one JSON argument per input line); the others are
stdin/stdout tests. Both kinds run after LiveCodeBench's own imports, and
are graded by lcb_runner's rules (see `benchlab.scorers.lcb_grading`).
"""

from __future__ import annotations

import base64
import io
import json
import pickle
import zlib
from pathlib import Path
from typing import Any

from benchlab.domain import Case, ScorerSpec, SuiteHeader
from benchlab.errors import SuiteError
from benchlab.scorers.lcb_grading import lcb_prelude, parse_call_inputs, parse_call_output
from benchlab.suites.loader import LoadedSuite

PREFIX = "livecodebench:"
TEMPLATE = (
    "{{ input }}\n\n{% if metadata.starter_code %}Start from this code:\n```python\n"
    "{{ metadata.starter_code }}\n```\n\nReturn the completed class in one ```python block."
    "{% else %}Read the input from stdin and print the answer to stdout. Reply with the whole "
    "Python program in one ```python block.{% endif %}"
)


class _NoGlobals(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing {module}.{name}: test data holds no code")


def decode_tests(raw: Any) -> list[dict[str, Any]]:
    """Test cases from JSON text, or from base64(zlib(pickle(JSON text)))."""
    if isinstance(raw, list):
        return raw
    if not raw:
        return []
    text = str(raw)
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        blob = zlib.decompress(base64.b64decode(text))
        value = _NoGlobals(io.BytesIO(blob)).load()
        if isinstance(value, bytes | str):
            value = json.loads(value)
    if not isinstance(value, list):
        raise ValueError("test cases must be a list")
    return value


def problem_case(row: dict[str, Any]) -> Case:
    tests = decode_tests(row.get("public_test_cases")) + decode_tests(row.get("private_test_cases"))
    if not tests:
        raise ValueError("no test cases")
    meta = row.get("metadata") or {}
    if isinstance(meta, str):
        meta = json.loads(meta) if meta.strip() else {}
    fn = meta.get("func_name") if isinstance(meta, dict) else None
    if not fn and any(t.get("testtype") == "functional" for t in tests):
        raise ValueError("functional tests need metadata.func_name")
    expected: dict[str, Any] = {
        "tests": [{"input": t["input"], "output": t["output"]} for t in tests],
        "prelude": lcb_prelude(stdin=not fn),
    }
    if fn:
        for index, test in enumerate(tests, 1):
            try:
                parse_call_inputs(str(test["input"]))
                parse_call_output(str(test["output"]))
            except ValueError as exc:
                raise ValueError(f"test {index}: {exc}") from None
        expected["fn"] = str(fn)
    return Case(
        id=str(row["question_id"]),
        input=str(row.get("question_content") or row.get("question_title") or ""),
        expected=expected,
        scorers=None,
        metadata={
            "category": row.get("platform"),
            "difficulty": row.get("difficulty"),
            "title": row.get("question_title"),
            "contest_date": str(row.get("contest_date") or ""),
            "starter_code": row.get("starter_code") or "",
        },
    )


def livecodebench_suite(path: str | Path) -> LoadedSuite:
    file = Path(path)
    display = f"{PREFIX}{path}"
    if not file.is_file():
        raise SuiteError(f"{display}: file not found")
    cases = []
    with file.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                cases.append(problem_case(json.loads(line)))
            except (ValueError, KeyError, TypeError, pickle.UnpicklingError, zlib.error) as exc:
                raise SuiteError(f"{file}:{lineno}: not a LiveCodeBench problem: {exc}") from None
    header = SuiteHeader(
        name=f"livecodebench-{file.stem}",
        description=f"LiveCodeBench problems from {file.name}",
        template=TEMPLATE,
        scorers=[ScorerSpec(name="stdio_tests")],
        metadata={"kind": "code", "language": "python", "source": str(file)},
    )
    return LoadedSuite.from_cases(header, cases, source=display)
