"""LiveCodeBench's JSONL format from a local file, compressed private tests included."""

from __future__ import annotations

import base64
import json
import pickle
import zlib
from pathlib import Path

import pytest

import benchlab
from benchlab.errors import SuiteError
from benchlab.scorers.lcb_grading import lcb_prelude
from benchlab.suites import load_suite
from benchlab.suites.livecodebench import decode_tests, problem_case


def _private(tests: list[dict[str, str]]) -> str:
    return base64.b64encode(zlib.compress(pickle.dumps(json.dumps(tests)))).decode()


def write_lcb(path: Path) -> Path:
    stdin = [{"input": "3\n", "output": "6\n", "testtype": "stdin"}]
    rows = [
        {
            "question_title": "Double",
            "question_content": "Print twice the number.",
            "platform": "atcoder",
            "question_id": "abc001_a",
            "contest_id": "abc001",
            "contest_date": "2024-01-01T00:00:00",
            "starter_code": "",
            "difficulty": "easy",
            "public_test_cases": json.dumps(stdin),
            "private_test_cases": _private(
                [{"input": "-2\n", "output": "-4", "testtype": "stdin"}]
            ),
            "metadata": "{}",
        },
        {
            "question_title": "Add",
            "question_content": "Add a and b.",
            "platform": "leetcode",
            "question_id": "1001",
            "contest_id": "w1",
            "contest_date": "2024-01-02T00:00:00",
            "starter_code": "class Solution:\n    def add(self, a: int, b: int) -> int:\n",
            "difficulty": "medium",
            "public_test_cases": json.dumps(
                [{"input": "1\n2", "output": "3", "testtype": "functional"}]
            ),
            "private_test_cases": "",
            "metadata": json.dumps({"func_name": "add"}),
        },
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_loads_problems_with_their_tests(tmp_path: Path) -> None:
    suite = load_suite(f"livecodebench:{write_lcb(tmp_path / 'lcb.jsonl')}")
    first, second = suite.iter_cases()
    assert first.id == "abc001_a" and first.category == "atcoder"
    assert first.expected == {
        "tests": [{"input": "3\n", "output": "6\n"}, {"input": "-2\n", "output": "-4"}],
        "prelude": lcb_prelude(stdin=True),  # lcb_runner's import_string, before every program
    }
    assert second.expected["fn"] == "add"
    assert second.expected["prelude"] == lcb_prelude(stdin=False)
    assert [s.name for s in suite.header.scorers] == ["stdio_tests"]


def test_pickled_tests_cannot_run_code() -> None:
    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (print, ("pwned",))

    blob = base64.b64encode(zlib.compress(pickle.dumps(Evil()))).decode()
    with pytest.raises(pickle.UnpicklingError):
        decode_tests(blob)


def test_bad_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question_id": "x"}\n')
    with pytest.raises(SuiteError, match=r"bad\.jsonl:1"):
        load_suite(f"livecodebench:{bad}")
    with pytest.raises(SuiteError, match="not found"):
        load_suite(f"livecodebench:{tmp_path / 'missing.jsonl'}")


def test_call_based_is_decided_by_func_name_as_in_lcb_runner() -> None:
    """run_test L449-455 and get_evaluation_sample: `fn_name` from metadata, not the test type."""
    row = {
        "question_id": "q",
        "public_test_cases": json.dumps([{"input": "1", "output": "1", "testtype": "stdin"}]),
        "metadata": json.dumps({"func_name": "f"}),
    }
    assert problem_case(row).expected["fn"] == "f"
    row["metadata"] = "{}"
    assert "fn" not in problem_case(row).expected


@pytest.mark.parametrize(
    ("test", "message"),
    [
        ({"input": "1\n", "output": "1"}, "test 1: input line 2 is not JSON"),
        ({"input": "1", "output": "[1,"}, "test 1: expected output is not JSON"),
    ],
)
def test_call_tests_that_are_not_json_are_refused(
    tmp_path: Path, test: dict[str, str], message: str
) -> None:
    """lcb_runner would fail every answer on such data (json.loads, L246); refuse it up front."""
    row = {
        "question_id": "q",
        "public_test_cases": json.dumps([{**test, "testtype": "functional"}]),
        "metadata": json.dumps({"func_name": "f"}),
    }
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(row) + "\n")
    with pytest.raises(SuiteError, match=rf"bad\.jsonl:1: .*{message}"):
        load_suite(f"livecodebench:{bad}")


def test_issue_11_findings_pass_end_to_end(tmp_path: Path) -> None:
    """A tuple for a list and `0.50` for `0.5` pass in LiveCodeBench; they failed on main."""
    path = tmp_path / "lcb.jsonl"
    rows = [
        {
            "question_id": "half",
            "public_test_cases": json.dumps(
                [{"input": "1\n", "output": "0.5\n", "testtype": "stdin"}]
            ),
            "metadata": "{}",
        },
        {
            "question_id": "pair",
            "starter_code": "class Solution:\n    def pair(self, a: int) -> List[int]:\n",
            "public_test_cases": json.dumps(
                [{"input": "3", "output": "[3, 4]", "testtype": "functional"}]
            ),
            "metadata": json.dumps({"func_name": "pair"}),
        },
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    answers = {
        "half": "```python\nprint(f'{int(input()) / 2:.2f}')\n```",
        "pair": "```python\nclass Solution:\n    def pair(self, a: int) -> List[int]:\n"
        "        return a, a + 1\n```",
    }
    replay = tmp_path / "answers.jsonl"
    replay.write_text(
        "".join(json.dumps({"case_id": k, "output": v}) + "\n" for k, v in answers.items())
    )
    config = benchlab.RunConfig(
        suites=[f"livecodebench:{path}"],
        models=benchlab.resolve_models([f"replay/{replay}"]),
        db=f"sqlite:///{tmp_path}/r.db",
    )
    (entry,) = benchlab.run(config).summary["models"]
    assert entry["pass_rate"] == 1.0


def test_replayed_answers_are_scored_end_to_end(tmp_path: Path) -> None:
    path = write_lcb(tmp_path / "lcb.jsonl")
    answers = {
        "abc001_a": "```python\nprint(2 * int(input()))\n```",
        "1001": "```python\nclass Solution:\n    def add(self, a, b):\n        return a - b\n```",
    }
    replay = tmp_path / "answers.jsonl"
    replay.write_text(
        "".join(json.dumps({"case_id": k, "output": v}) + "\n" for k, v in answers.items())
    )
    config = benchlab.RunConfig(
        suites=[f"livecodebench:{path}"],
        models=benchlab.resolve_models([f"replay/{replay}"]),
        db=f"sqlite:///{tmp_path}/r.db",
    )
    (entry,) = benchlab.run(config).summary["models"]
    assert entry["pass_rate"] == 0.5
    assert entry["pass_at_k"] == {"1": 0.5}
