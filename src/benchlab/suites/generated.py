"""Built-in suites made in Python from packaged datasets, next to the YAML ones in builtin/.

Each is named `module:function` and imported only when asked for, so the
dataset (and the package that ships it) costs nothing to other commands.
This module imports nothing of the loader at run time (the loader asks it),
so the two form no import cycle.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchlab.suites.loader import LoadedSuite

GENERATED: dict[str, str] = {
    "humaneval": "benchlab.suites.humaneval:humaneval_suite",
    "tasks": "benchlab.suites.tasks:task_suite",
}


# The standard benchmarks (mmlu, gsm8k, ...), named in benchlab.suites.standard.table.
STANDARD = "benchlab.suites.standard.base:standard_suite"

# Suites read from a local file in a dataset's own format: `PREFIX:PATH`.
FORMATS: dict[str, str] = {
    "livecodebench": "benchlab.suites.livecodebench:livecodebench_suite",
    "tasks": "benchlab.suites.tasks:task_suite",
}


def generated_suite(name: str) -> LoadedSuite | None:
    """The generated suite `name` (a built-in name or `FORMAT:PATH`), or None if there is none."""
    from benchlab.suites.standard.table import is_standard

    if is_standard(name):  # mmlu, gsm8k?shots=8, ...: built from its dataset
        module, _, function = STANDARD.partition(":")
        standard: LoadedSuite = getattr(importlib.import_module(module), function)(name)
        return standard
    kind, sep, path = name.partition(":")
    if sep and kind in FORMATS:
        module, _, function = FORMATS[kind].partition(":")
        found: LoadedSuite = getattr(importlib.import_module(module), function)(path)
        return found
    ref = GENERATED.get(name.removeprefix("builtin:"))
    if ref is None:
        return None
    module, _, function = ref.partition(":")
    suite: LoadedSuite = getattr(importlib.import_module(module), function)()
    return suite
