"""How many of a run's answers were reused from the response cache, and from when.

A run served from the cache measures the model as it was when those answers
were first asked, not as it is today; a tracker that does not say so reports
yesterday's model under today's date. So every summary of a run that reused
answers carries the count per model and, for the run, the oldest and newest
reused answer's time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from benchlab.store import Store
from benchlab.store.cached_answers import cached_answers


def _iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC).isoformat()


def cache_use(store: Store, run_id: str) -> tuple[dict[str, int], dict[str, Any] | None]:
    """(model -> reused answers, run-level {"used", "from", "to"} or None when none was)."""
    rows = cached_answers(store, run_id)
    per_model = {m: int(n) for m, n, _lo, _hi in rows}
    if not per_model:
        return {}, None
    lows = [lo for _m, _n, lo, _hi in rows if lo is not None]
    highs = [hi for _m, _n, _lo, hi in rows if hi is not None]
    return per_model, {
        "used": sum(per_model.values()),
        "from": _iso(min(lows)) if lows else None,  # None: reused by a version that kept no time
        "to": _iso(max(highs)) if highs else None,
    }


def add_cache_use(store: Store, run_id: str, models: list[dict[str, Any]]) -> dict[str, Any]:
    """`cached` per model entry of a summary; returns the run-level `cache` block
    ({"used": 0, "from": None, "to": None} when every answer was asked for this run)."""
    per_model, block = cache_use(store, run_id)
    for entry in models:
        entry["cached"] = per_model.get(entry["model"], 0)
    return block or {"used": 0, "from": None, "to": None}


def cache_note(block: dict[str, Any] | None) -> str | None:
    """One line for terminal and page: how many answers were reused and from when."""
    if not block or not block.get("used"):
        return None
    used = int(block["used"])
    span = ""
    if block.get("from"):
        lo, hi = str(block["from"])[:16].replace("T", " "), str(block["to"])[:16].replace("T", " ")
        span = f" from {lo} UTC" if lo == hi else f" from {lo} to {hi} UTC"
    return (
        f"{used} answer{'s' if used != 1 else ''} reused from the response cache{span} "
        "(not asked again; cost 0)"
    )
