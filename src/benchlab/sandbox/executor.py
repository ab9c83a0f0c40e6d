"""One interface for every place programs can run: this machine now, a Ray cluster later.

Scorers hold an `Executor` and only ever `await run(job)`; which one runs the
job (and with how many workers) is chosen by name when the scorer is built,
so a suite never changes to move its executions elsewhere.
"""

from __future__ import annotations

import os
from typing import Any, Protocol, runtime_checkable

from benchlab.sandbox.job import ExecResult, Job

EXECUTORS = ("local", "ray")


@runtime_checkable
class Executor(Protocol):
    name: str

    async def run(self, job: Job) -> ExecResult: ...

    async def aclose(self) -> None: ...


def make_executor(name: str | None = None, **options: Any) -> Executor:
    """Build an executor by name (else `$BENCHLAB_EXECUTOR`, else `local`).

    `isolation` defaults to `$BENCHLAB_SANDBOX` or `auto`, so CI can insist on
    a backend (`BENCHLAB_SANDBOX=bwrap`) without touching any suite.
    """
    chosen = name or os.environ.get("BENCHLAB_EXECUTOR") or "local"
    options.setdefault("isolation", os.environ.get("BENCHLAB_SANDBOX") or "auto")
    if chosen == "local":
        from benchlab.sandbox.pool import LocalExecutor

        return LocalExecutor(**options)
    if chosen == "ray":
        from benchlab.sandbox.ray_executor import RayExecutor

        return RayExecutor(**options)
    raise ValueError(f"unknown executor {chosen!r} (use {', '.join(EXECUTORS)})")


def check_executor(name: str) -> str:
    """`name` if it can run here (the CLI's `--executor`), else a ConfigError.

    The choice then travels in the run's config to the scorers' context (it is
    where to run, not what is measured, so it is not recorded on the run);
    a scorer that names no executor of its own uses it.
    """
    from benchlab.errors import ConfigError

    if name not in EXECUTORS:
        raise ConfigError(f"--executor: expected one of {', '.join(EXECUTORS)}, got {name!r}")
    if name == "ray":
        import importlib.util

        if importlib.util.find_spec("ray") is None:
            raise ConfigError("--executor ray: Ray is not installed (pip install 'benchlab[ray]')")
    return name
