"""`stdio_tests`: programs fed each test's stdin, their stdout compared modulo whitespace."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from benchlab.domain import Case, ScorerSpec
from benchlab.scorers import build_scorer
from benchlab.scorers.base import Answer, NoModels
from benchlab.scorers.stdio_exec import StdioTests, normalize

TESTS = [{"input": "1 2\n", "output": "3\n"}, {"input": "10 -4\n", "output": "6"}]
CASE = Case(id="sum", input="Add two numbers.", expected={"tests": TESTS})


@pytest.fixture
async def scorer() -> AsyncIterator[StdioTests]:
    built = build_scorer(ScorerSpec(name="stdio_tests", options={"timeout": 2}))
    assert isinstance(built, StdioTests)
    yield built
    await built.aclose()


def test_whitespace_normalisation() -> None:
    assert normalize("1  2 \n\n3\n\n") == ["1 2", "", "3"]
    assert normalize("a\n") == normalize("a")


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


async def test_functional_tests_call_the_solution_method(scorer: StdioTests) -> None:
    case = Case(
        id="f",
        input="twoSum",
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


async def test_case_without_tests_is_a_clear_error(scorer: StdioTests) -> None:
    with pytest.raises(ValueError, match="tests"):
        await scorer.score(Case(id="x", input="q", expected=3), Answer(output="1"), NoModels())
