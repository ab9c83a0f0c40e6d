"""`stdio_tests`: competitive-programming checks, input on stdin and the answer on stdout.

The case's `expected` holds `tests`, a list of `{"input", "output"}` pairs
(and optionally `"fn"`: a LeetCode-style method name, for tests whose input is
one JSON argument per line and whose output is the JSON return value, as
LiveCodeBench's functional tests are). The answer's program (its first
fenced code block, or the whole answer) runs once per test in the sandbox,
all tests at once; stdout is compared to the expected output after
whitespace normalisation: trailing spaces, runs of blanks and trailing empty
lines do not count, everything else does.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from benchlab.domain import Case
from benchlab.sandbox.executor import Executor, make_executor
from benchlab.sandbox.job import ExecResult, Job, Limits
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.code_exec import verdict
from benchlab.scorers.code_extract import code_blocks
from benchlab.scorers.registry import register

_PYTHON = {"", "python", "py", "python3", "py3"}


def normalize(text: str) -> list[str]:
    """Output lines with blanks collapsed and trailing empty lines dropped."""
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    return lines


def program_of(output: str) -> str:
    """The program in an answer: its first Python code block, else the whole answer."""
    blocks = code_blocks(output)
    python = [body for tag, body in blocks if tag in _PYTHON]
    if python:
        return python[0]
    return blocks[0][1] if blocks else output


def functional_check(fn: str, test: Mapping[str, Any]) -> str:
    """Tests for a `class Solution` method: arguments are JSON, one per input line."""
    args = [json.loads(line) for line in str(test["input"]).splitlines() if line.strip()]
    expected = json.loads(str(test["output"]))
    return (
        f"_got = Solution().{fn}(*{args!r})\n"
        f"assert _got == {expected!r}, f'expected {expected!r}, got {{_got!r}}'\n"
    )


class StdioTests:
    def __init__(self, *, timeout: float, memory_mb: int, executor_options: dict[str, Any]):
        self.name = "stdio_tests"
        self.limits = Limits(timeout=timeout, memory=memory_mb << 20)
        self._executor_options = executor_options
        self._executor: Executor | None = None

    def executor(self) -> Executor:
        if self._executor is None:
            self._executor = make_executor(**self._executor_options)
        return self._executor

    def jobs(self, case: Case, output: str) -> list[Job]:
        spec = case.expected
        tests = spec.get("tests") if isinstance(spec, Mapping) else None
        if not isinstance(tests, list) or not tests:
            raise ValueError(f"case {case.id!r}: stdio_tests needs `expected: {{tests: [...]}}`")
        code = program_of(output)
        fn = spec.get("fn") if isinstance(spec, Mapping) else None
        if fn:
            prelude = str(spec.get("prelude", ""))
            return [
                Job.python(prelude + code, check=functional_check(str(fn), t), limits=self.limits)
                for t in tests
            ]
        return [Job.python(code, stdin=str(t["input"]), limits=self.limits) for t in tests]

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        jobs = self.jobs(case, answer.output)
        spec: Mapping[str, Any] = case.expected
        results = await asyncio.gather(*(self.executor().run(job) for job in jobs))
        passed = 0
        first_bad: tuple[int, ExecResult, str] | None = None
        for index, (test, result) in enumerate(zip(spec["tests"], results, strict=True)):
            ok = result.passed and (
                bool(spec.get("fn")) or normalize(result.stdout) == normalize(str(test["output"]))
            )
            passed += ok
            if not ok and first_bad is None:
                why: str = result.outcome if not result.passed else "wrong answer"
                first_bad = (index, result, why)
        total = len(results)
        if first_bad is None:
            score = verdict(results[0])
            score.explanation = f"passed {total}/{total} tests"
        else:
            index, result, why = first_bad
            score = verdict(result)
            score.passed = False
            score.explanation = f"{why} on test {index + 1} ({passed}/{total} passed)"
            assert score.details is not None
            score.details["outcome"] = "failed" if why == "wrong answer" else result.outcome
            score.details["test"] = index
        score.value = passed / total
        assert score.details is not None
        score.details["tests_passed"] = passed
        score.details["tests"] = total
        return score

    async def aclose(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await executor.aclose()


@register("stdio_tests")
def stdio_tests(
    timeout: float = 6.0,
    memory_mb: int = 1024,
    executor: str | None = None,
    isolation: str | None = None,
    workers: int | None = None,
) -> StdioTests:
    """`timeout` is per test run; the score's value is the share of tests passed."""
    if timeout <= 0 or memory_mb <= 0:
        raise ValueError("timeout and memory_mb must be positive")
    options: dict[str, Any] = {"name": executor}
    if isolation is not None:
        options["isolation"] = isolation
    if workers is not None:
        options["workers"] = workers
    return StdioTests(timeout=float(timeout), memory_mb=int(memory_mb), executor_options=options)
