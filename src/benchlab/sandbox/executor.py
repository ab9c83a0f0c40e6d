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
    """Build an executor by name (`local` by default, or `$BENCHLAB_EXECUTOR`).

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


def use_executor(name: str) -> None:
    """Make `name` this process's default executor (the CLI's `--executor`).

    Set in the environment, where `make_executor` looks when a scorer names
    none, because scorers are built from the suite's specs and the flag is a
    choice of where to run, not part of what is measured.
    """
    from benchlab.errors import ConfigError

    if name not in EXECUTORS:
        raise ConfigError(f"--executor: expected one of {', '.join(EXECUTORS)}, got {name!r}")
    if name == "ray":
        import importlib.util

        if importlib.util.find_spec("ray") is None:
            raise ConfigError("--executor ray: Ray is not installed (pip install 'benchlab[ray]')")
    os.environ["BENCHLAB_EXECUTOR"] = name
