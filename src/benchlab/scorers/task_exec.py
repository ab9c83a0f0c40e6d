"""`task_tests`: apply the answer to a fresh copy of the task's workspace and run its tests.

The answer (whole files or a unified diff, see tasks/answers.py) is applied
on the host to the workspace carried in the case; the resulting files plus
the task's hidden tests are written into the sandbox's fresh folder, where
the build command (a failure is a `syntax_error`: it did not compile) and
then the test command run under the task's limits. The verdict's details
keep what `benchlab show RUN_ID --attempt ...` writes out as artifacts: the
patch, stdout and stderr. A task whose toolchain is not installed fails with
one clear line saying which tool is missing, instead of a confusing build error.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from benchlab.domain import Case
from benchlab.sandbox.executor import Executor, make_executor
from benchlab.sandbox.job import Job, Limits, Step
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.code_exec import verdict
from benchlab.scorers.registry import register
from benchlab.tasks.answers import AnswerError, apply_answer
from benchlab.tasks.catalog import missing_toolchain

_LOG_CHARS = 64 << 10


def _shell(command: str) -> tuple[str, ...]:
    return ("sh", "-c", command.replace("{python}", sys.executable))


class TaskTests:
    def __init__(self, *, executor_options: dict[str, Any]) -> None:
        self.name = "task_tests"
        self._executor_options = executor_options
        self._executor: Executor | None = None

    def executor(self) -> Executor:
        if self._executor is None:
            self._executor = make_executor(**self._executor_options)
        return self._executor

    def job(self, task: Mapping[str, Any], files: Mapping[str, str]) -> Job:
        # Toolchains that cache (go) get their cache inside the fresh folder: nothing is shared.
        env = {"GOCACHE": "{workdir}/.cache/go", "GOPATH": "{workdir}/.cache/gopath"}
        env.update(task.get("env") or {})
        steps = []
        if task.get("build"):
            steps.append(Step(_shell(task["build"]), compile=True))
        steps.append(Step(_shell(task["test"])))
        limits = Limits(
            timeout=float(task.get("timeout", 60)),
            memory=int(task.get("memory_mb", 1024)) << 20,
            processes=int(task.get("processes", 128)),
            output=_LOG_CHARS,
            open_files=1024,
        )
        return Job(steps=tuple(steps), files={**files, **task["tests"]}, env=env, limits=limits)

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        task = case.expected
        if not isinstance(task, Mapping) or "workspace" not in task or "test" not in task:
            raise ValueError(f"case {case.id!r}: task_tests needs a task (see benchlab.tasks)")
        tool = missing_toolchain(str(task["language"]))
        if tool is not None:
            return ScoreResult(
                value=0.0,
                passed=False,
                explanation=f"skipped: {tool} is not installed ({task['language']} task)",
                details={"outcome": "skipped", "missing_tool": tool},
            )
        try:
            applied = apply_answer(task["workspace"], answer.output, [])
        except AnswerError as exc:
            return ScoreResult(
                value=0.0,
                passed=False,
                explanation=f"failed: {exc}",
                details={"outcome": "failed", "answer_error": str(exc), "patch": ""},
            )
        result = await self.executor().run(self.job(task, applied.files))
        score = verdict(result)
        assert score.details is not None
        score.details.update(
            {
                "answer_form": applied.form,
                "patch": applied.patch,
                "stdout": result.stdout[-_LOG_CHARS:],
                "stderr": result.stderr[-_LOG_CHARS:],
            }
        )
        return score

    async def aclose(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await executor.aclose()


@register("task_tests")
def task_tests(
    executor: str | None = None, isolation: str | None = None, workers: int | None = None
) -> TaskTests:
    """Limits come from each task's task.yaml; only where to run is chosen here."""
    options: dict[str, Any] = {"name": executor}
    if isolation is not None:
        options["isolation"] = isolation
    if workers is not None:
        options["workers"] = workers
    return TaskTests(executor_options=options)
