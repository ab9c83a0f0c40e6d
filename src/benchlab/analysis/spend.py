"""Money spent in a calendar month (UTC), per model and suite, and on average per run.

Counted from attempts that were really sent and finished that month: a cached
answer cost nothing when it was reused, so a re-run served from cache adds
nothing here (its summary still shows what the answers cost to get). Attempts
of models without a known price are counted apart, never as free.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from benchlab.errors import ConfigError
from benchlab.store import Store
from benchlab.store.outcomes import spend_rows, spend_run_ids

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_bounds(month: str | None, now: datetime | None = None) -> tuple[str, float, float]:
    """("YYYY-MM", start, end) as epoch seconds; the current month (UTC) by default."""
    if month is None:
        now = now or datetime.now(UTC)
        year, mon = now.year, now.month
    else:
        found = _MONTH.match(month)
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise ConfigError(f"--month {month!r}: expected YYYY-MM, like 2026-03")
        year, mon = int(found.group(1)), int(found.group(2))
    start = datetime(year, mon, 1, tzinfo=UTC)
    end = datetime(year + (mon == 12), 1 if mon == 12 else mon + 1, 1, tzinfo=UTC)
    return f"{year:04d}-{mon:02d}", start.timestamp(), end.timestamp()


def _group(rows: list[Any], key: str) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        name = getattr(r, key)
        entry = out.setdefault(name, {key: name, "cost_usd": 0.0, "requests": 0, "unknown_cost": 0})
        entry["cost_usd"] += r.cost_usd
        entry["requests"] += r.requests
        entry["unknown_cost"] += r.unknown_cost
    return sorted(out.values(), key=lambda e: (-e["cost_usd"], e[key]))


def monthly_spend(store: Store, month: str | None = None) -> dict[str, Any]:
    label, start, end = month_bounds(month)
    rows = spend_rows(store, start, end)
    run_ids = spend_run_ids(store, start, end)
    total = sum(r.cost_usd for r in rows)
    by_model = _group(rows, "model")
    by_suite = _group(rows, "suite")
    return {
        "month": label,
        "from": datetime.fromtimestamp(start, UTC).isoformat(),
        "to": datetime.fromtimestamp(end, UTC).isoformat(),
        "total_usd": total,
        "requests": sum(r.requests for r in rows),
        "unknown_cost_requests": sum(r.unknown_cost for r in rows),
        "runs": len(run_ids),
        "avg_per_run_usd": total / len(run_ids) if run_ids else None,
        "by_model": by_model,
        "by_suite": by_suite,
        "by_model_suite": [
            {
                "model": r.model,
                "suite": r.suite,
                "cost_usd": r.cost_usd,
                "requests": r.requests,
                "unknown_cost": r.unknown_cost,
                "runs": r.runs,
            }
            for r in rows
        ],
    }
