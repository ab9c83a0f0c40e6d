"""`python_tests`: answers executed against HumanEval-style tests in the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from benchlab.domain import Case, ScorerSpec
from benchlab.errors import ConfigError
from benchlab.scorers import build_scorer
from benchlab.scorers.base import Answer, NoModels
from benchlab.scorers.code_exec import PythonTests

PROMPT = 'def add(a, b):\n    """Add two numbers."""\n'
TEST = "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n"
CASE = Case(id="add", input=PROMPT, expected={"test": TEST, "entry_point": "add"})


@pytest.fixture
async def scorer() -> AsyncIterator[PythonTests]:
    built = build_scorer(ScorerSpec(name="python_tests", options={"timeout": 2}))
    assert isinstance(built, PythonTests)
    yield built
    await built.aclose()


@pytest.mark.parametrize(
    ("output", "passed", "outcome"),
    [
        ("```python\ndef add(a, b):\n    return a + b\n```", True, "passed"),
        ("    return a + b\n", True, "passed"),
        ("    return a * b\n", False, "failed"),
        ("    return a +\n", False, "syntax_error"),
        ("    return undefined_name\n", False, "runtime_error"),
        ("    while True:\n        pass\n", False, "timeout"),
    ],
)
async def test_verdicts(scorer: PythonTests, output: str, passed: bool, outcome: str) -> None:
    result = await scorer.score(CASE, Answer(output=output), NoModels())
    assert result.passed is passed
    assert result.value == (1.0 if passed else 0.0)
    assert result.details is not None
    assert result.details["outcome"] == outcome
    assert result.details["isolation"]
    assert result.explanation.startswith(outcome)
    assert "\n" not in result.explanation


async def test_plain_asserts_without_an_entry_point(scorer: PythonTests) -> None:
    case = Case(id="c", input="", expected={"test": "assert f() == 1"})
    good = await scorer.score(case, Answer(output="def f():\n    return 1\n"), NoModels())
    bad = await scorer.score(case, Answer(output="def f():\n    return 2\n"), NoModels())
    assert (good.passed, bad.passed) == (True, False)


async def test_demo_block_of_the_answer_does_not_run(scorer: PythonTests) -> None:
    answer = "def add(a, b):\n    return a + b\n\nif __name__ == '__main__':\n    input()\n"
    result = await scorer.score(CASE, Answer(output=answer), NoModels())
    assert result.passed


async def test_a_case_without_tests_is_a_clear_error(scorer: PythonTests) -> None:
    with pytest.raises(ValueError, match="expected: "):
        await scorer.score(Case(id="x", input="q", expected="42"), Answer("1"), NoModels())


async def test_verbatim_mode_does_not_extract() -> None:
    built = build_scorer(ScorerSpec(name="python_tests", options={"extract": False}))
    assert isinstance(built, PythonTests)
    try:
        fenced = "```python\ndef add(a, b):\n    return a + b\n```"
        result = await built.score(CASE, Answer(output=fenced), NoModels())
        assert result.details is not None and result.details["outcome"] == "syntax_error"
    finally:
        await built.aclose()


async def test_the_runs_executor_comes_from_the_context(scorer: PythonTests) -> None:
    """`--executor` reaches a scorer through its context (not the process environment)."""
    with pytest.raises(ValueError, match="unknown executor 'elsewhere'"):
        await scorer.score(CASE, Answer(output="    return a + b\n"), NoModels("elsewhere"))


async def test_a_suites_own_executor_beats_the_runs() -> None:
    built = build_scorer(ScorerSpec(name="python_tests", options={"executor": "local"}))
    assert isinstance(built, PythonTests)
    try:
        result = await built.score(CASE, Answer(output="    return a + b\n"), NoModels("elsewhere"))
        assert result.passed is True
    finally:
        await built.aclose()


def test_bad_options_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="python_tests"):
        build_scorer(ScorerSpec(name="python_tests", options={"timeout": 0}))
    with pytest.raises(ConfigError, match="python_tests"):
        build_scorer(ScorerSpec(name="python_tests", options={"language": "cobol"}))
