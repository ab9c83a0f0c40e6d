"""`benchlab CMD` loads only CMD's module; the table that says which module that is stays true."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchlab import cli


def _registered() -> dict[str, str]:
    """Every command on the fully loaded app, with the module that defines it."""
    cli.load_commands()
    found: dict[str, str] = {}
    for command in cli.app.registered_commands:
        assert command.callback is not None
        name = command.name or command.callback.__name__.replace("_", "-")
        found[name] = command.callback.__module__.rsplit(".", 1)[-1]
    for group in cli.app.registered_groups:
        assert group.name is not None and group.typer_instance is not None
        (first, *_) = group.typer_instance.registered_commands
        assert first.callback is not None
        found[group.name] = first.callback.__module__.rsplit(".", 1)[-1]
    return found


def test_the_command_table_names_each_commands_own_module() -> None:
    assert _registered() == cli.COMMANDS


def test_command_modules_keep_evaluated_annotations() -> None:
    """Typer reads every option's annotation; strings it must `eval` one by one."""
    folder = Path(cli.__file__).parent
    for name in cli.COMMAND_MODULES:
        source = (folder / f"{name}.py").read_text()
        assert "from __future__ import annotations" not in source, name


PROBE = """
import json, sys
sys.argv = ["benchlab", *json.loads(sys.argv[1])]
from benchlab.cli import main
try:
    main()
except SystemExit:
    pass
loaded = sorted(m.rsplit(".", 1)[-1] for m in sys.modules if m.startswith("benchlab.cli."))
sys.stderr.write("LOADED " + json.dumps(loaded) + "\\n")
"""


def _loaded_modules(*argv: str, cwd: Path) -> tuple[set[str], str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )
    marker = next(line for line in result.stderr.splitlines() if line.startswith("LOADED "))
    names = set(json.loads(marker.removeprefix("LOADED ")))
    return {n for n in names if n.endswith("_cmd")}, result.stdout


@pytest.mark.parametrize(
    ("argv", "module"),
    [(["version"], "catalog_cmd"), (["resume", "--help"], "run_cmd"), (["labels"], "labels_cmd")],
)
def test_a_command_loads_its_own_module_only(argv: list[str], module: str, tmp_path: Path) -> None:
    loaded, stdout = _loaded_modules(*argv, cwd=tmp_path)
    assert loaded == {module}
    assert stdout.strip()  # the command itself still ran (a version, a help page)


@pytest.mark.parametrize("argv", [["--help"], ["rnu"]])
def test_help_and_unknown_commands_see_every_command(argv: list[str], tmp_path: Path) -> None:
    loaded, _ = _loaded_modules(*argv, cwd=tmp_path)
    assert loaded == set(cli.COMMAND_MODULES)


def test_a_lone_command_module_still_takes_its_command_name(tmp_path: Path) -> None:
    """One module of one command must not turn `benchlab` into that command."""
    result = subprocess.run(
        [sys.executable, "-m", "benchlab", "doctor", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "doctor [OPTIONS]" in result.stdout
