"""The `benchlab` command: parse flags, build a config, call the library, print.

Handlers stay thin; everything they do is available from `import benchlab`.
Each command group lives in its own module and registers itself on `app`;
heavy modules (SQLAlchemy, aiohttp, the engine) are imported inside the
handlers so that `benchlab --help` starts in a fraction of a second. A
`UserError` becomes one line on stderr and exit code 2; nothing else is
caught, so a bug still shows its traceback.

Commands load lazily: `benchlab run ...` imports only the module that defines
`run`, because Typer inspects the signature and evaluates the annotations of
every registered command before it parses a single flag (about 0.1 s for all
of them). `--help`, an unknown command and `load_commands()` load them all.
For the same reason the command modules do without `from __future__ import
annotations`: Typer would `eval` every string annotation of every option
(about 10% of `--help`).
"""

from __future__ import annotations

import importlib
import sys

from benchlab.cli.app import app

# Which module defines each command, in the order of `--help`;
# tests/cli/test_lazy_commands.py keeps it true.
COMMANDS: dict[str, str] = {
    "run": "run_cmd",
    "resume": "run_cmd",
    "runs": "runs_cmd",
    "show": "runs_cmd",
    "export": "runs_cmd",
    "suites": "catalog_cmd",
    "models": "catalog_cmd",
    "version": "catalog_cmd",
    "score": "judge_cmd",
    "pairwise": "judge_cmd",
    "build": "judge_cmd",
    "agreement": "labels_cmd",
    "labels": "labels_cmd",
    "serve": "serve_cmd",
    "push": "serve_cmd",
    "compare": "compare_cmd",
    "gate": "gate_cmd",
    "history": "history_cmd",
    "report": "report_cmd",
    "power": "power_cmd",
    "spend": "spend_cmd",
    "doctor": "doctor_cmd",
    "import-samples": "samples_cmd",
    "data": "data_cmd",
    "samples": "production_samples_cmd",
}

# Command modules register themselves on `app` when imported; this order (each module where its
# first command stands above) is the order of `--help`.
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))

__all__ = ["COMMANDS", "app", "load_commands", "main"]


def load_commands(command: str | None = None) -> None:
    """Register `command`'s module on `app`, or every command module when it is not one of
    ours (None, `--help`, a typo: Typer then lists or suggests among all of them)."""
    names = (COMMANDS[command],) if command in COMMANDS else COMMAND_MODULES
    for name in names:
        importlib.import_module(f"benchlab.cli.{name}")


def _command_in(argv: list[str]) -> str | None:
    """The subcommand, when it is the first argument (the group itself takes no options
    other than --help, which wants every command)."""
    return argv[0] if argv and not argv[0].startswith("-") else None


def main() -> None:
    """The console script.

    The command does not load third-party pydantic plugins: finding them
    scans every installed package's metadata at the first model build, 10 ms
    or more of each command's start. `PYDANTIC_DISABLE_PLUGINS=none` in the
    environment brings them back; `import benchlab` is never affected.
    """
    import os

    from benchlab.errors import UserError

    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    load_commands(_command_in(sys.argv[1:]))
    try:
        app()
    except UserError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(exc.exit_code)
