"""`stdio_tests`: competitive-programming checks, graded as LiveCodeBench grades them.

The case's `expected` holds `tests`, a list of `{"input", "output"}` pairs,
optionally `prelude` (code put before the program: LiveCodeBench's imports)
and `fn` (a LeetCode-style function name: the tests are then call-based,
one JSON argument per input line and the JSON return value as output, as
LiveCodeBench's functional tests are). The answer's program (its first
Python code block, or the whole answer) runs in the sandbox:

- stdin tests: one process per test, the input on stdin; the output is
  compared to the expected one by lcb_runner's `grade_stdio` rules
  (`lcb_grading.stdio_mismatch`: stripped lines, numbers as decimals);
- call-based tests: one process for all tests, as lcb_runner runs them;
  the driver `_lcb_call` calls the function and prints each return value,
  and this process compares it with the expected value
  (`lcb_grading.lcb_values_match`).

Either way the comparison happens here, outside the model's process, on
values the program only reaches by computing them: the expected outputs are
never sent to the sandbox. The rules and where lcb_runner states them are
in `lcb_grading`'s docstring.
"""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from collections.abc import Mapping
from typing import Any

from benchlab.domain import Case
from benchlab.sandbox.executor import Executor, make_executor
from benchlab.sandbox.job import ExecResult, Job, Limits
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.code_exec import verdict
from benchlab.scorers.code_extract import code_blocks
from benchlab.scorers.lcb_grading import (
    call_check,
    lcb_values_match,
    parse_call_inputs,
    parse_call_output,
    read_call_results,
    stdio_mismatch,
    uses_solution_class,
)

_PYTHON = {"", "python", "py", "python3", "py3"}
_OUTPUT_SLACK = 64 << 10  # room for the program's own chatter besides the answer


def program_of(output: str) -> str:
    """The program in an answer: its first Python code block, else the whole answer."""
    blocks = code_blocks(output)
    python = [body for tag, body in blocks if tag in _PYTHON]
    if python:
        return python[0]
    return blocks[0][1] if blocks else output


def _tests_of(case: Case) -> tuple[Mapping[str, Any], list[Mapping[str, Any]]]:
    spec = case.expected
    tests = spec.get("tests") if isinstance(spec, Mapping) else None
    if not isinstance(spec, Mapping) or not isinstance(tests, list) or not tests:
        raise ValueError(f"case {case.id!r}: stdio_tests needs `expected: {{tests: [...]}}`")
    for index, test in enumerate(tests):
        if not isinstance(test, Mapping) or "input" not in test or "output" not in test:
            raise ValueError(f"case {case.id!r}: test {index + 1} needs `input` and `output`")
    return spec, tests


@dataclasses.dataclass
class _Tally:
    """Per-test verdicts in order; the first failure explains the score."""

    total: int
    passed: int = 0
    first_bad: tuple[int, str, str] | None = None  # test index, outcome, why

    def add(self, index: int, outcome: str, why: str = "") -> None:
        if outcome == "passed":
            self.passed += 1
        elif self.first_bad is None:
            self.first_bad = (index, outcome, why)


class StdioTests:
    def __init__(self, *, timeout: float, memory_mb: int, executor_options: dict[str, Any]):
        self.name = "stdio_tests"
        self.limits = Limits(timeout=timeout, memory=memory_mb << 20)
        self._executor_options = executor_options
        self._executor: Executor | None = None

    def executor(self, ctx: ScoreContext) -> Executor:
        """Made on first use: the suite's `executor`, else the run's (`--executor`)."""
        if self._executor is None:
            options = dict(self._executor_options)
            name = options.pop("name", None) or ctx.executor
            self._executor = make_executor(name, **options)
        return self._executor

    def jobs(self, case: Case, output: str) -> list[Job]:
        """The sandbox jobs for one answer: one per stdin test, or one for all call tests."""
        return self._plan(case, output)[0]

    def _plan(self, case: Case, output: str) -> tuple[list[Job], str]:
        """The jobs, and the secret tag of a call job's results ("" for stdin tests)."""
        spec, tests = _tests_of(case)
        program = str(spec.get("prelude", "")) + program_of(output)
        if spec.get("fn"):
            tag = secrets.token_hex(16)
            return [self._call_job(str(spec["fn"]), program, output, tests, tag)], tag
        return [self._stdio_job(program, test) for test in tests], ""

    def _stdio_job(self, program: str, test: Mapping[str, Any]) -> Job:
        room = _OUTPUT_SLACK + 4 * len(str(test["output"]).encode())
        limits = dataclasses.replace(self.limits, output=max(self.limits.output, room))
        return Job.python(program, stdin=str(test["input"]), limits=limits)

    def _call_job(
        self, fn: str, program: str, output: str, tests: list[Mapping[str, Any]], tag: str
    ) -> Job:
        inputs = [str(test["input"]) for test in tests]
        for index, text in enumerate(inputs):
            try:
                parse_call_inputs(text)
            except ValueError as exc:
                raise ValueError(f"test {index + 1}: {exc}") from None
        per_call = self.limits.timeout
        expected_bytes = sum(len(str(test["output"]).encode()) for test in tests)
        limits = dataclasses.replace(
            self.limits,
            timeout=(per_call + 1) * len(tests) + 5,  # lcb_runner's global timeout
            output=max(self.limits.output, _OUTPUT_SLACK + 4 * expected_bytes + 256 * len(tests)),
        )
        solution = uses_solution_class(program_of(output))
        check = call_check(fn, solution, inputs, per_call, tag)
        return Job.python(program, check=check, limits=limits)

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        spec, tests = _tests_of(case)
        jobs, tag = self._plan(case, answer.output)
        results = await asyncio.gather(*(self.executor(ctx).run(job) for job in jobs))
        tally = _Tally(total=len(tests))
        if spec.get("fn"):
            self._tally_calls(tally, tests, results[0], tag)
        else:
            for index, (test, result) in enumerate(zip(tests, results, strict=True)):
                if not result.passed:
                    tally.add(index, result.outcome, _last_line(result.stderr))
                    continue
                wrong = stdio_mismatch(str(test["output"]), result.stdout)
                tally.add(index, "failed" if wrong else "passed", wrong or "")
        shown = results[tally.first_bad[0] if tally.first_bad and len(results) > 1 else 0]
        return _score(tally, shown)

    @staticmethod
    def _tally_calls(
        tally: _Tally, tests: list[Mapping[str, Any]], result: ExecResult, tag: str
    ) -> None:
        records = read_call_results(result.stdout, len(tests), tag)
        for index, (test, record) in enumerate(zip(tests, records, strict=True)):
            expected = parse_call_output(str(test["output"]))
            if record is None:  # the program ended (or was stopped) before this test
                ended = result.outcome if result.outcome != "passed" else "failed"
                tally.add(index, ended, "no result")
            elif "error" in record:
                error = str(record["error"])
                outcome = error if error in ("timeout", "runtime_error") else "failed"
                tally.add(index, outcome, str(record.get("detail", "")))
            elif "value" in record and lcb_values_match(expected, record["value"]):
                tally.add(index, "passed")
            else:
                tally.add(index, "failed", "returned a different value")

    async def aclose(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await executor.aclose()


def _last_line(text: str) -> str:
    return next((line for line in reversed(text.splitlines()) if line.strip()), "")


def _score(tally: _Tally, result: ExecResult) -> ScoreResult:
    """The verdict: passed only if every test passed; the value is the share that did."""
    score = verdict(result)
    assert score.details is not None
    if tally.first_bad is None:
        score.passed = True
        score.explanation = f"passed {tally.total}/{tally.total} tests"
        score.details["outcome"] = "passed"
    else:
        index, outcome, why = tally.first_bad
        score.passed = False
        label = "wrong answer" if outcome == "failed" else outcome
        reason = f": {' '.join(why.split())}" if why.strip() else ""
        score.explanation = (
            f"{label} on test {index + 1} ({tally.passed}/{tally.total} passed){reason}"
        )[:300]
        score.details["outcome"] = outcome
        score.details["test"] = index
    score.value = tally.passed / tally.total
    score.details["tests_passed"] = tally.passed
    score.details["tests"] = tally.total
    return score


def stdio_tests(
    timeout: float = 6.0,
    memory_mb: int = 1024,
    executor: str | None = None,
    isolation: str | None = None,
    workers: int | None = None,
) -> StdioTests:
    """`timeout` is per test (per call for call tests, whose one process also gets
    lcb_runner's global `(timeout + 1) * tests + 5` s); the value is the share passed."""
    if timeout <= 0 or memory_mb <= 0:
        raise ValueError("timeout and memory_mb must be positive")
    options: dict[str, Any] = {"name": executor}
    if isolation is not None:
        options["isolation"] = isolation
    if workers is not None:
        options["workers"] = workers
    return StdioTests(timeout=float(timeout), memory_mb=int(memory_mb), executor_options=options)
