"""Suites as the server sees them: stored ones, built-ins, and files in `--suite-dir`.

Only built-ins and files in the configured suite folder can be launched from
the browser: a suite reference is a path on the server's disk, and the write
API must not become a way to read arbitrary files.
"""

from __future__ import annotations

from benchlab.server.settings import Settings

SUITE_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl", ".csv")


def launchable(settings: Settings) -> dict[str, str]:
    """name -> reference the engine accepts, for every suite the browser may run."""
    from benchlab.suites import builtin_suites

    out = {name: name for name in sorted(builtin_suites())}
    folder = settings.suite_dir
    if folder is not None and folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix in SUITE_SUFFIXES and path.is_file():
                out.setdefault(path.stem, str(path))
    return out
