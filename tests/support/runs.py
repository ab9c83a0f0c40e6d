"""Real runs with chosen pass/fail patterns (replay models, no network); the CLI as a user
runs it (in the test process, or in a process of its own)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from benchlab import api
from benchlab.domain import ScorerSpec
from benchlab.engine.config import RunConfig
from benchlab.providers.profiles import resolve_models
from support.in_process import run_main
from support.suites import write_jsonl_suite


def suite(directory: Path, n: int, *, categories: int = 2, name: str = "s") -> Path:
    """n cases `c0..c{n-1}` answered right by the output str(i) (numeric scorer)."""
    directory.mkdir(parents=True, exist_ok=True)
    return write_jsonl_suite(directory / f"{name}.jsonl", n, categories=categories)


def replay(
    path: Path, n: int, *, failing: Iterable[int] = (), samples: int = 1, fail_samples: int = 1
) -> str:
    """A replay file answering c0..c{n-1}; `failing` cases answer wrong in `fail_samples`."""
    bad = set(failing)
    with path.open("w") as handle:
        for i in range(n):
            for s in range(samples):
                wrong = i in bad and s < fail_samples
                row = {"case_id": f"c{i}", "output": "wrong" if wrong else str(i), "sample": s}
                handle.write(json.dumps(row) + "\n")
    return f"replay/{path}"


def priced_models(path: Path, profiles: dict[str, tuple[str, float]]) -> Path:
    """A models file: name -> (spec, US$ per 1M tokens in and out)."""
    body = {
        "models": [
            {"name": name, "spec": spec, "price": {"input": price, "output": price}}
            for name, (spec, price) in profiles.items()
        ]
    }
    path.write_text(json.dumps(body))
    return path


def make_run(
    db: str,
    suite_path: Path,
    *models: str,
    models_file: Path | None = None,
    tags: dict[str, str] | None = None,
    samples: int = 1,
    scorer: str = "numeric",
    env: dict[str, str] | None = None,
    **extra: Any,
) -> api.RunResult:
    config = RunConfig(
        suites=[str(suite_path)],
        models=resolve_models(list(models), models_file),
        scorers=[ScorerSpec(name=scorer)],
        db=db,
        tags=tags or {},
        samples=samples,
        **extra,
    )
    return api.run(config, env=env)


TIMEOUT = 120  # seconds a command may take, in a process or not

# Prefixes of environment variables a process reads before or while it imports, not later.
READ_AT_START = ("PYTHON", "HF_", "NLTK_")


def cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`benchlab ARGS` as a user runs it, seen as a process (exit status, stdout, stderr),
    run in the test's process to save a Python start-up per command (support/in_process.py);
    `env` is added to an environment without the machine's provider keys, base URLs and
    benchlab defaults, so no test reaches a real provider or another test's database by
    accident.

    Some commands get a process all the same: one given variables that are read once, at
    start-up (PYTHON*: sys.path, plugins' entry points) or at first import (huggingface_hub's
    HF_*, nltk's NLTK_DATA), which in the test process would not count; and one called while
    an event loop runs in this thread (Playwright's sync API keeps one), where the command's
    own `asyncio.run` cannot start."""
    if (env and any(name.startswith(READ_AT_START) for name in env)) or _loop_running():
        return cli_process(*args, env=env, cwd=cwd)
    return run_main(args, _environment(env), cwd, timeout=TIMEOUT)


def cli_process(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`cli` in a process of its own, for what only a process shows: start-up, signals, what
    a fresh interpreter has imported or configured from the environment."""
    return subprocess.run(
        [sys.executable, "-m", "benchlab", *args],
        env=_environment(env),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd,
    )


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _environment(extra: dict[str, str] | None) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith(("_API_KEY", "_BASE_URL"))
        and k not in ("BENCHLAB_DB", "BENCHLAB_URL", "BENCHLAB_ADMIN_KEY")
    }
    return {**base, **(extra or {})}


def assert_user_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Bad input: exit code 2 and one line on stderr naming what is wrong, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
