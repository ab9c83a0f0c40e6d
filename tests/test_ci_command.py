"""CI runs the tests with the README's command, so the time the README promises is CI's."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _readme_command() -> list[str]:
    """The one-line bash block that the README's "runs the tests" paragraph follows."""
    readme = (ROOT / "README.md").read_text()
    found = re.search(r"```bash\n([^\n]+)\n```\n\nruns the tests", readme)
    assert found, "README: no test command before 'runs the tests'"
    return shlex.split(found.group(1))


def _ci_commands() -> list[list[str]]:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    return [shlex.split(line.split("||")[0]) for line in lines if " -m pytest" in line]


def test_ci_runs_the_readmes_test_command() -> None:
    command = _readme_command()
    assert command[:3] == [".venv/bin/python", "-m", "pytest"]
    (ci,) = _ci_commands()
    assert ci[: len(command)] == command  # CI may add options of its own after it
