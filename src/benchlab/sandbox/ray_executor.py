"""Executions on a Ray cluster: `--executor ray`, for code benchmarks that outgrow one machine.

Each Ray actor owns one `LocalExecutor` slot (a warm fork server under the
node's own isolation) and takes one CPU, so the cluster runs as many
programs at once as the actors it was given, each on whichever node Ray
placed it. Jobs and results are the same plain dataclasses as locally; only
the transport differs. The cluster is `address` or `$RAY_ADDRESS`; with
neither, Ray starts a local instance (what the tests do). `ray` is imported
only here, so it stays an optional extra: `pip install benchlab[ray]`.
"""

from __future__ import annotations

import asyncio
import importlib
import os
from typing import Any

from benchlab.sandbox.job import ExecResult, Job


class _Slot:
    """The actor body: one warm, isolated worker on some node of the cluster."""

    def __init__(self, isolation: str, landlock: bool) -> None:
        from benchlab.sandbox.pool import LocalExecutor

        self.executor = LocalExecutor(workers=1, isolation=isolation, landlock=landlock)

    def label(self) -> str:
        return self.executor.isolation.label()

    def run(self, job: Job) -> ExecResult:
        return self.executor.run_many([job])[0]

    def close(self) -> None:
        self.executor.close()


class RayExecutor:
    """Runs jobs on Ray actors, least busy first; `workers` actors (default: cluster CPUs)."""

    name = "ray"

    def __init__(
        self,
        workers: int | None = None,
        *,
        isolation: str = "auto",
        landlock: bool = True,
        address: str | None = None,
    ) -> None:
        try:  # untyped on purpose: an optional extra, present or not where mypy runs
            ray: Any = importlib.import_module("ray")
        except ImportError as exc:  # a clear line instead of a traceback
            raise ValueError("the ray executor needs Ray: pip install 'benchlab[ray]'") from exc
        self._ray = ray
        if not ray.is_initialized():
            ray.init(
                address=address or os.environ.get("RAY_ADDRESS"),
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
            )
        count = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        actor = ray.remote(num_cpus=1, max_concurrency=1)(_Slot)
        self._actors: list[Any] = [actor.remote(isolation, landlock) for _ in range(count)]
        self._busy = [0] * count
        self._labels: list[str] | None = None

    @property
    def workers(self) -> int:
        return len(self._actors)

    async def isolation_labels(self) -> list[str]:
        """What each actor's worker really runs with (nodes may differ)."""
        if self._labels is None:
            self._labels = list(await asyncio.gather(*(a.label.remote() for a in self._actors)))
        return self._labels

    async def run(self, job: Job) -> ExecResult:
        index = min(range(len(self._actors)), key=self._busy.__getitem__)
        self._busy[index] += 1
        try:
            result: ExecResult = await self._actors[index].run.remote(job)
        finally:
            self._busy[index] -= 1
        return result

    async def aclose(self) -> None:
        actors, self._actors = self._actors, []
        if actors:
            await asyncio.gather(*(a.close.remote() for a in actors), return_exceptions=True)
            for actor in actors:
                self._ray.kill(actor)
