"""Suites and their cases as the dashboard and `GET /api/suites[/{name}/cases]` show them
(their `response_model`s): stored suites, and the launchable ones never run yet.

Which suites may be launched is the server's decision (its `--suite-dir`); the
caller passes them in as name -> reference, so this layer knows no server.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from benchlab.errors import NotFound
from benchlab.store import Store, queries

__all__ = ["CaseItem", "CasePage", "SuiteList", "SuiteRow", "suite_cases", "suite_list"]


class SuiteRow(BaseModel):
    name: str
    version: str | None = Field(description="the newest stored version; null: never run")
    hash: str | None
    description: str
    cases: int | None
    versions: int = Field(description="stored versions")
    runs: int
    last_run_at: datetime | None
    stored: bool = Field(description="some run used it")
    launchable: bool = Field(description="the server may start a run of it")


class SuiteList(BaseModel):
    """Stored suites (with their newest version) and launchable ones not yet run, by name."""

    items: list[SuiteRow]


class CaseItem(BaseModel):
    id: str
    input: Any = Field(description="a prompt, or a list of chat messages")
    context: Any
    expected: Any
    scorers: list[dict[str, Any]] | None = Field(description="the case's own scorers, if any")
    category: str | None
    metadata: dict[str, Any]


class CasePage(BaseModel):
    """A suite's cases in order, one page, with case counts per category (its coverage)."""

    suite: str
    version: str
    hash: str
    description: str
    categories: dict[str, int] = Field(description='category ("(none)": none) -> cases')
    total: int
    limit: int
    offset: int
    items: list[CaseItem]


def suite_list(store: Store, launchable: Mapping[str, str]) -> SuiteList:
    """Every stored suite, and every launchable one (name -> reference) never run."""
    stored = queries.suites_summary(store)
    names = {s["name"] for s in stored}
    for entry in stored:
        entry["stored"] = True
        entry["launchable"] = entry["name"] in launchable
    for name in launchable:
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
    rows = sorted(stored, key=lambda s: s["name"])
    return SuiteList(items=[SuiteRow.model_validate(s) for s in rows])


def suite_cases(
    store: Store,
    launchable: Mapping[str, str],
    name: str,
    *,
    version: str | None = None,
    category: str | None = None,
    q: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> CasePage:
    """Cases of the stored suite, or of a launchable one read from disk if never run."""
    try:
        suite_hash = queries.suite_hash(store, name, version)
    except NotFound:
        ref = launchable.get(name)
        if ref is None or version is not None:
            raise
        return _from_disk(ref, name, category=category, q=q, limit=limit, offset=offset)
    page = queries.cases_page(store, suite_hash, category=category, q=q, limit=limit, offset=offset)
    record = store.suite_record(suite_hash)
    return CasePage.model_validate(
        {
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
    )


def _from_disk(
    ref: str, name: str, *, category: str | None, q: str | None, limit: int, offset: int
) -> CasePage:
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
    return CasePage.model_validate(
        {
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
    )
