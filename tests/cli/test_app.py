"""What every command shares: `--version`, and help that shows what to type."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import benchlab
from benchlab.cli import COMMANDS, app, load_commands

# Typer's own labels for a parameter's annotation; a user should never read them.
PLACEHOLDER = re.compile(r"<(bool|int|float|str|path|list\[[^>]*\]|[a-z_]+\|[^>]*)>")


def test_version_flag_prints_the_version_and_exits_0() -> None:
    for flag in ("--version", "-V"):
        result = subprocess.run(
            [sys.executable, "-m", "benchlab", flag], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"benchlab {benchlab.__version__}\n"


@pytest.fixture(scope="module")
def help_texts() -> dict[str, str]:
    load_commands()
    runner = CliRunner()
    names = [[], *([c] for c in COMMANDS), ["labels", "export"], ["labels", "add"]]
    out: dict[str, str] = {}
    for words in names:
        result = runner.invoke(app, [*words, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, (words, result.output)
        out[" ".join(words) or "benchlab"] = result.output
    return out


def test_help_of_every_command_has_no_type_placeholders(help_texts: dict[str, str]) -> None:
    assert len(help_texts) == len(COMMANDS) + 3
    for name, text in help_texts.items():
        for label in ("<bool>", "<list[", "<int>", "<str>", "<float>", "<path>"):
            assert label not in text, (name, label, text)
        assert not PLACEHOLDER.search(text), (name, PLACEHOLDER.search(text))


def test_help_labels_values_the_click_way(help_texts: dict[str, str]) -> None:
    run_help = help_texts["run"]
    assert re.search(r"--seed\s+INTEGER", run_help)
    assert re.search(r"--model\s+-m\s+TEXT", run_help)
    assert re.search(r"--models\s+PATH", run_help)
    # A flag takes no value: nothing between it and its help.
    assert re.search(r"--dry-run\s+Render prompts", run_help)
    assert "SUITES" in run_help
