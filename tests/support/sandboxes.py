"""A started sandbox executor of one isolation level, or the test skipped saying why."""

from __future__ import annotations

import pytest

from benchlab.sandbox import LocalExecutor, SandboxError
from benchlab.sandbox.isolation import available


def started_executor(backend: str) -> LocalExecutor:
    """Two workers under `backend`; a level this machine lacks or cannot run skips."""
    if not available(backend):
        pytest.skip(f"{backend} is not installed on this machine")
    executor = LocalExecutor(workers=2, isolation=backend)
    try:
        executor.start()
    except SandboxError as exc:
        executor.close()
        pytest.skip(f"{backend} does not work here: {exc}")
    return executor
