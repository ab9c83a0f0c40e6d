"""`stdio_tests`: real programs in the real sandbox, graded as LiveCodeBench grades them.

The verdicts come from `_lcb_table` (each row cites the lcb_runner line that
decides it); with BENCHLAB_LCB_RUNNER pointing at a LiveCodeBench checkout,
the same rows also go through lcb_runner's own grader, which must agree.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from benchlab.domain import Case, ScorerSpec
from benchlab.scorers import build_scorer
from benchlab.scorers.base import Answer, NoModels
from benchlab.scorers.lcb_grading import lcb_prelude
from benchlab.scorers.stdio_exec import StdioTests

from ._lcb_table import CALL_ROWS, STDIO_ROWS, TIMEOUT, Row, lcb_runner_verdict, lcb_testing_util

TESTS = [{"input": "1 2\n", "output": "3\n"}, {"input": "10 -4\n", "output": "6"}]
CASE = Case(id="sum", input="Add two numbers.", expected={"tests": TESTS})
ROWS = [pytest.param(row, id=row.name) for row in STDIO_ROWS + CALL_ROWS]


async def _scorer() -> AsyncIterator[StdioTests]:
    built = build_scorer(ScorerSpec(name="stdio_tests", options={"timeout": TIMEOUT}))
    assert isinstance(built, StdioTests)
    yield built
    await built.aclose()


scorer = pytest_asyncio.fixture(_scorer)
# The table's rows share one executor (one fork server start, not sixty).
shared_scorer = pytest_asyncio.fixture(_scorer, scope="module", loop_scope="module")


def lcb_case(row: Row) -> Case:
    """The case benchlab's LiveCodeBench loader makes of such a problem."""
    expected: dict[str, object] = {
        "tests": [{"input": i, "output": o} for i, o in row.tests],
        "prelude": lcb_prelude(stdin=row.fn is None),
    }
    if row.fn:
        expected["fn"] = row.fn
    return Case(id=row.name, input="q", expected=expected)


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("row", ROWS)
async def test_verdict_is_lcb_runners(shared_scorer: StdioTests, row: Row) -> None:
    answer = f"Here it is:\n```python\n{row.program}```\n"
    result = await shared_scorer.score(lcb_case(row), Answer(output=answer), NoModels())
    assert result.passed is row.expected_verdict, result.explanation
    assert result.details is not None and result.details["tests"] == len(row.tests)
    assert result.explanation and "\n" not in result.explanation


@pytest.mark.parametrize("row", ROWS)
def test_lcb_runner_agrees(row: Row, tmp_path: Path) -> None:
    """lcb_runner's own verdict on the same program: run only with a local checkout."""
    assert lcb_runner_verdict(lcb_testing_util(), row, tmp_path) is row.passes


@pytest.mark.parametrize(
    ("answer", "passed", "value", "outcome"),
    [
        ("```python\na, b = map(int, input().split())\nprint(a + b)\n```", True, 1.0, "passed"),
        ("a, b = map(int, input().split())\nprint(a + b, ' ')", True, 1.0, "passed"),
        ("a, b = map(int, input().split())\nprint(3)", False, 0.5, "failed"),
        ("print(int(input().split()[0]) +", False, 0.0, "syntax_error"),
        ("while True:\n    pass", False, 0.0, "timeout"),
    ],
)
async def test_verdicts(
    scorer: StdioTests, answer: str, passed: bool, value: float, outcome: str
) -> None:
    result = await scorer.score(CASE, Answer(output=answer), NoModels())
    assert result.passed is passed
    assert result.value == value
    assert result.details is not None and result.details["outcome"] == outcome
    assert result.details["tests"] == 2


async def test_wrong_answer_says_which_line(scorer: StdioTests) -> None:
    case = Case(id="c", input="q", expected={"tests": [{"input": "", "output": "1\n2\n3\n"}]})
    result = await scorer.score(case, Answer(output="print('1\\n2\\n4')"), NoModels())
    assert not result.passed
    assert (
        result.explanation
        == "wrong answer on test 1 (0/1 passed): line 3: '4' where '3' was expected"
    )


async def test_call_tests_run_in_one_process_and_a_timeout_ends_them(scorer: StdioTests) -> None:
    """lcb_runner stops at the first timeout; n tests of an endless call cost one timeout."""
    (row,) = [r for r in CALL_ROWS if r.name == "call-timeout"]
    case = lcb_case(row)
    assert len(scorer.jobs(case, row.program)) == 1
    started = time.monotonic()
    result = await scorer.score(case, Answer(output=row.program), NoModels())
    assert time.monotonic() - started < 2 * TIMEOUT + 2
    assert result.details is not None and result.details["outcome"] == "timeout"
    assert result.explanation.startswith("timeout on test 1 (0/3 passed)")


async def test_functional_value_is_the_share_of_tests_passed(scorer: StdioTests) -> None:
    case = Case(
        id="f",
        input="add",
        expected={
            "fn": "add",
            "prelude": "from typing import *\n",
            "tests": [{"input": "1\n2", "output": "3"}, {"input": "[1]\n[2]", "output": "[1, 2]"}],
        },
    )
    good = "class Solution:\n    def add(self, a: Any, b: Any) -> Any:\n        return a + b\n"
    bad = "class Solution:\n    def add(self, a, b):\n        return a\n"
    assert (await scorer.score(case, Answer(output=good), NoModels())).passed
    result = await scorer.score(case, Answer(output=bad), NoModels())
    assert not result.passed and result.value == 0.0
    assert result.explanation == "wrong answer on test 1 (0/2 passed): returned a different value"


async def test_expected_values_never_enter_the_sandbox(scorer: StdioTests) -> None:
    """What makes a forged pass impossible: the program never sees what it must produce."""
    secret = "8675309"
    stdin = Case(id="s", input="q", expected={"tests": [{"input": "1\n", "output": secret}]})
    call = Case(
        id="c", input="q", expected={"fn": "f", "tests": [{"input": "1", "output": secret}]}
    )
    for case in (stdin, call):
        for job in scorer.jobs(case, "print(1)"):
            assert secret not in repr(job.wire(0, {}))


async def test_bad_call_input_is_a_clear_error(scorer: StdioTests) -> None:
    case = Case(id="c", input="q", expected={"fn": "f", "tests": [{"input": "1\n", "output": "1"}]})
    with pytest.raises(ValueError, match="test 1: input line 2 is not JSON"):
        await scorer.score(case, Answer(output="def f(a): return a"), NoModels())


async def test_case_without_tests_is_a_clear_error(scorer: StdioTests) -> None:
    with pytest.raises(ValueError, match="tests"):
        await scorer.score(Case(id="x", input="q", expected=3), Answer(output="1"), NoModels())
