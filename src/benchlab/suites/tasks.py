"""The task catalog as a suite: `benchlab run tasks` and `benchlab run tasks:PATH`.

The catalog (tasks/) reads task folders into cases and is used by the task
scorer too; making the suite out of them lives here, with the other suites
made in Python, so tasks/ stays below the suite loader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchlab.domain import Case, ScorerSpec, SuiteHeader
from benchlab.errors import SuiteError
from benchlab.suites.loader import LoadedSuite
from benchlab.tasks.catalog import BUILTIN, load_task


def task_suite(path: str | Path | None = None) -> LoadedSuite:
    """Every task folder under `path` (default: the built-in catalog), sorted by id."""
    root = Path(path) if path else BUILTIN
    display = f"tasks:{path}" if path else "builtin:tasks"
    if not root.is_dir():
        raise SuiteError(f"{display}: no such folder")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    cases: list[Case | dict[str, Any]] = [load_task(folder) for folder in folders]
    header = SuiteHeader(
        name="tasks" if path is None else f"tasks-{root.name}",
        description="Multi-language programming tasks: complete or repair a workspace, "
        "then its tests run in the sandbox.",
        scorers=[ScorerSpec(name="task_tests")],
        metadata={"kind": "code", "source": str(root)},
    )
    return LoadedSuite.from_cases(header, cases, source=display)
