"""Suites as the server sees them: stored ones, built-ins, and files in `--suite-dir`.

Only built-ins and files in the configured suite folder can be launched from
the browser: a suite reference is a path on the server's disk, and the write
API must not become a way to read arbitrary files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchlab.errors import NotFound
from benchlab.server.settings import Settings
from benchlab.store import Store, queries

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


def suite_list(store: Store, settings: Settings) -> list[dict[str, Any]]:
    stored = queries.suites_summary(store)
    names = {s["name"] for s in stored}
    can_launch = launchable(settings)
    for entry in stored:
        entry["stored"] = True
        entry["launchable"] = entry["name"] in can_launch
    for name in can_launch:
        if name not in names:
            stored.append(
                {
                    "name": name,
                    "version": None,
                    "hash": None,
                    "description": "",
                    "cases": None,
                    "versions": 0,
                    "runs": 0,
                    "last_run_at": None,
                    "stored": False,
                    "launchable": True,
                }
            )
    return sorted(stored, key=lambda s: s["name"])


def suite_cases(
    store: Store,
    settings: Settings,
    name: str,
    *,
    version: str | None = None,
    category: str | None = None,
    q: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """Cases of the stored suite, or of a launchable one read from disk if never run."""
    try:
        suite_hash = queries.suite_hash(store, name, version)
    except NotFound:
        ref = launchable(settings).get(name)
        if ref is None or version is not None:
            raise
        return _from_disk(ref, name, category=category, q=q, limit=limit, offset=offset)
    page = queries.cases_page(store, suite_hash, category=category, q=q, limit=limit, offset=offset)
    record = store.suite_record(suite_hash)
    return {
        "suite": name,
        "version": record["version"],
        "hash": suite_hash,
        "description": (record["header"] or {}).get("description", ""),
        "categories": queries.category_counts(store, suite_hash),
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
        "items": page.items,
    }


def _from_disk(
    ref: str, name: str, *, category: str | None, q: str | None, limit: int, offset: int
) -> dict[str, Any]:
    from benchlab.suites import load_suite

    suite = load_suite(Path(ref) if "/" in ref else ref)
    items = []
    counts: dict[str, int] = {}
    for case in suite.iter_cases():
        cat = case.category
        counts[cat or "(none)"] = counts.get(cat or "(none)", 0) + 1
        if category is not None and cat != category:
            continue
        text = case.input if isinstance(case.input, str) else str(case.input)
        if q and q not in case.id and q not in text:
            continue
        items.append(
            {
                "id": case.id,
                "input": case.input
                if isinstance(case.input, str)
                else [m.model_dump() for m in case.input],
                "context": case.context,
                "expected": case.expected,
                "scorers": None if case.scorers is None else [s.model_dump() for s in case.scorers],
                "category": cat,
                "metadata": case.metadata,
            }
        )
    return {
        "suite": name,
        "version": suite.header.version,
        "hash": suite.hash,
        "description": suite.header.description,
        "categories": dict(sorted(counts.items())),
        "total": len(items),
        "limit": limit,
        "offset": offset,
        "items": items[offset : offset + limit],
    }
