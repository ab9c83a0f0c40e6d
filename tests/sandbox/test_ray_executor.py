"""The Ray executor against a local Ray instance that the test starts: same jobs, same verdicts."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchlab.domain import ScorerSpec
from benchlab.sandbox import Job, Limits
from benchlab.sandbox.executor import make_executor
from benchlab.sandbox.ray_executor import RayExecutor
from benchlab.scorers import build_scorer
from benchlab.scorers.base import Answer, NoModels
from benchlab.scorers.code_exec import PythonTests
from benchlab.suites import load_suite

ray = pytest.importorskip(
    "ray", reason="the ray extra is not installed (pip install benchlab[ray])"
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def test_jobs_run_on_ray_actors_with_their_isolation(local_ray: None) -> None:
    async def main() -> None:
        executor = make_executor("ray", workers=2)
        assert isinstance(executor, RayExecutor)
        try:
            labels = await executor.isolation_labels()
            assert len(labels) == 2 and all("rlimits" in label for label in labels)
            jobs = [
                Job.python("print(6 * 7)"),
                Job.python("def f():\n    return 1", check="assert f() == 2"),
                Job.python("while True:\n    pass", limits=Limits(timeout=1)),
            ]
            results = await asyncio.gather(*(executor.run(job) for job in jobs))
            assert [r.outcome for r in results] == ["passed", "failed", "timeout"]
            assert results[0].stdout == "42\n" and results[0].isolation in labels
        finally:
            await executor.aclose()

    asyncio.run(main())


def test_humaneval_scorer_on_ray_gives_the_same_verdicts(local_ray: None) -> None:
    cases = list(load_suite("humaneval").iter_cases())[:6]

    async def verdicts(executor: str) -> list[bool | None]:
        scorer = build_scorer(ScorerSpec(name="python_tests", options={"executor": executor}))
        assert isinstance(scorer, PythonTests)
        try:
            out = []
            for i, case in enumerate(cases):
                answer = case.reference if i % 2 else "    return None\n"
                out.append(
                    (await scorer.score(case, Answer(output=answer or ""), NoModels())).passed
                )
            return out
        finally:
            await scorer.aclose()

    on_ray = asyncio.run(verdicts("ray"))
    assert on_ray == asyncio.run(verdicts("local")) == [False, True] * 3


def test_cli_executor_ray_runs_humaneval(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    args = ["run", "humaneval", "-m", "oracle", "--limit", "8", "--executor", "ray", "--json"]
    done = subprocess.run(
        [sys.executable, "-m", "benchlab", *args, "-q", "--db", f"sqlite:///{tmp_path}/r.db"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (entry,) = json.loads(done.stdout)["models"]
    assert entry["attempts"] == 8 and entry["pass_rate"] == 1.0


def test_cli_score_pass_runs_code_on_ray(tmp_path: Path, local_ray: None) -> None:
    """A scoring pass may run code elsewhere than its run did: same verdicts from Ray, on the
    cluster `$RAY_ADDRESS` names (the test's own; the test above has the CLI start one)."""
    import json

    from support.runs import cli, cli_process

    db = ["-q", "--db", f"sqlite:///{tmp_path}/r.db", "--json"]
    ran = cli("run", "humaneval", "-m", "oracle", "--limit", "4", *db)
    assert ran.returncode == 0, ran.stderr
    run_id = json.loads(ran.stdout)["run_id"]
    cluster = {"RAY_ADDRESS": ray.get_runtime_context().gcs_address}
    scored = cli_process("score", run_id, "--executor", "ray", *db[1:], env=cluster)
    assert scored.returncode == 0, scored.stderr
    rescored = json.loads(scored.stdout)
    assert rescored["scoring"]["pass_no"] == 1 and rescored["scoring"]["scored"] == 4
    (entry,) = rescored["models"]
    assert entry["pass_rate"] == 1.0
