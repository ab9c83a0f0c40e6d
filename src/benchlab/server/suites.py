"""Suites as the server sees them: stored ones, built-ins, and files in `--suite-dir`.

Only built-ins and files in the configured suite folder can be launched from
the browser: a suite reference is a path on the server's disk, and the write
API must not become a way to read arbitrary files.
"""

from __future__ import annotations

import logging
from pathlib import Path

from benchlab.domain import ScorerSpec
from benchlab.errors import ConfigError, UserError
from benchlab.server.settings import Settings

log = logging.getLogger(__name__)

SUITE_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl", ".csv")

# file -> ((mtime_ns, size), whether it loads as a suite): each file of the folder is loaded
# once per change, not on every view of a page that lists the suites.
_LOADS: dict[Path, tuple[tuple[int, int], bool]] = {}


def is_suite(path: Path) -> bool:
    """Whether a file of the suite folder loads as a suite: a models file, a file of
    answers or a suite with a mistake in it has the suffix of one but cannot be launched."""
    from benchlab.suites import load_suite

    try:
        stat = path.stat()
    except OSError:
        return False
    made_from = (stat.st_mtime_ns, stat.st_size)
    known = _LOADS.get(path)
    if known is not None and known[0] == made_from:
        return known[1]
    try:
        load_suite(path)
        loads = True
    except (UserError, OSError):
        loads = False
    except Exception:  # a file that breaks the loader itself (nesting past the recursion
        # limit, say) is no suite either: one bad file must not take the list down with it
        log.warning("suite dir: %s cannot be loaded", path, exc_info=True)
        loads = False
    _LOADS[path] = (made_from, loads)
    return loads


def launchable(settings: Settings) -> dict[str, str]:
    """name -> reference the engine accepts, for every suite the browser may run: the
    packaged files and the suites built from packaged data (`tasks`, `humaneval`, which
    `benchlab suites` lists as built-in too and which need no download)."""
    from benchlab.suites import builtin_suites
    from benchlab.suites.generated import GENERATED

    out = {name: name for name in sorted(builtin_suites())}  # quickstart first: the default
    out.update((name, name) for name in sorted(GENERATED) if name not in out)
    folder = settings.suite_dir
    if folder is not None and folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix in SUITE_SUFFIXES and path.is_file() and is_suite(path):
                out.setdefault(path.stem, str(path))
    return out


def launch_targets(settings: Settings) -> dict[str, str]:
    """What the Launch form and `POST /api/runs` accept: the launchable suites, then the
    standard benchmarks (mmlu, gsm8k, ...: fixed names whose data comes from the local
    dataset cache; a launch without it is refused with `benchlab data pull`'s advice).
    Only launching offers them: browsing one never run would fetch its dataset."""
    from benchlab.suites.standard.table import FAMILIES

    out = launchable(settings)
    for name in sorted(FAMILIES):
        out.setdefault(name, name)
    return out


def launch_scorers(names: list[str]) -> list[ScorerSpec]:
    """The scorers a launch asks for, by registered name only: a `module:function` scorer
    would make the server import code a request names."""
    from benchlab.scorers.registry import scorer_names

    known = scorer_names()
    for name in names:
        if ":" in name:
            raise ConfigError(
                f"scorer {name!r}: custom (module:function) scorers can only run from the CLI"
            )
        if name not in known:
            raise ConfigError(f"unknown scorer {name!r} (known: {', '.join(known)})")
    return [ScorerSpec(name=name) for name in names]
