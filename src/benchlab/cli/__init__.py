"""The `benchlab` command: parse flags, build a config, call the library, print.

Handlers stay thin; everything they do is available from `import benchlab`.
Each command group lives in its own module and registers itself on `app`;
heavy modules (SQLAlchemy, aiohttp, the engine) are imported inside the
handlers so that `benchlab --help` starts in a fraction of a second. A
`UserError` becomes one line on stderr and exit code 2; nothing else is
caught, so a bug still shows its traceback.
"""

from __future__ import annotations

import importlib
import sys

from benchlab.cli.app import app

# Command modules register themselves on `app`; this order is the order of `--help`.
COMMAND_MODULES = (
    "run_cmd",
    "runs_cmd",
    "catalog_cmd",
    "judge_cmd",
    "labels_cmd",
    "serve_cmd",
    "compare_cmd",
    "gate_cmd",
    "history_cmd",
    "report_cmd",
    "power_cmd",
    "spend_cmd",
    "doctor_cmd",
    "samples_cmd",
)
for _module in COMMAND_MODULES:
    importlib.import_module(f"benchlab.cli.{_module}")

__all__ = ["app", "main"]


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
    try:
        app()
    except UserError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(exc.exit_code)
