"""Money spent in a calendar month (UTC), per model and suite, and on average per run.

The one spend figure of benchlab: `benchlab spend`, `GET /api/spend` and the
dashboard's overview all read `monthly_spend`, so they cannot disagree. It
counts requests really sent and answered that month, by runs of every status
(a run stopped by `--max-cost`, failed or interrupted spent money too); a
cached answer cost nothing and is counted apart. Judges are paid too: their
calls (never the ones the response cache answered) are in the totals and
listed per judge in `by_judge`, dated by when the verdict was made. A request
of a model or judge without a known price is never counted as free: the totals
it belongs to are `None` ("unknown") with `known_usd` beside them and the
count of unpriced requests and verdicts.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from benchlab.errors import ConfigError
from benchlab.format import money
from benchlab.store import Store
from benchlab.store.outcomes import (
    JudgeSpendRow,
    SpendRow,
    judge_spend_rows,
    spend_rows,
    spend_run_ids,
)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_bounds(month: str | None, now: datetime | None = None) -> tuple[str, float, float]:
    """("YYYY-MM", start, end) as epoch seconds; the current month (UTC) by default."""
    if month is None:
        now = now or datetime.now(UTC)
        year, mon = now.year, now.month
    else:
        found = _MONTH.match(month)
        # datetime needs 1 <= year and a next month within year 9999
        if not found or not 1 <= int(found.group(2)) <= 12 or not 1 <= int(found.group(1)) < 9999:
            raise ConfigError(f"--month {month!r}: expected YYYY-MM, like 2026-03")
        year, mon = int(found.group(1)), int(found.group(2))
    start = datetime(year, mon, 1, tzinfo=UTC)
    end = datetime(year + (mon == 12), 1 if mon == 12 else mon + 1, 1, tzinfo=UTC)
    return f"{year:04d}-{mon:02d}", start.timestamp(), end.timestamp()


def _entry(key: str, name: str) -> dict[str, Any]:
    return {key: name, "cost_usd": 0.0, "known_usd": 0.0, "requests": 0, "unpriced_requests": 0}


def _add(entry: dict[str, Any], row: SpendRow) -> None:
    entry["known_usd"] += row.cost_usd
    entry["requests"] += row.requests
    entry["unpriced_requests"] += row.unknown_cost


def _priced(entry: dict[str, Any]) -> dict[str, Any]:
    """`cost_usd` is the known cost, or None when some request of it had no price."""
    entry["cost_usd"] = None if entry["unpriced_requests"] else entry["known_usd"]
    return entry


def _group(rows: list[SpendRow], key: str) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        if not r.requests:
            continue  # only cached answers: nothing was spent on it
        name = getattr(r, key)
        _add(out.setdefault(name, _entry(key, name)), r)
    return sorted((_priced(e) for e in out.values()), key=lambda e: (-e["known_usd"], e[key]))


def _judges(rows: list[JudgeSpendRow]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = out.setdefault(
            r.judge,
            {"judge": r.judge, "known_usd": 0.0, "calls": 0, "cached_calls": 0, "unpriced": 0},
        )
        entry["known_usd"] += r.paid_usd
        entry["calls"] += r.calls
        entry["cached_calls"] += r.cached_calls
        entry["unpriced"] += r.unpriced_verdicts
    for entry in out.values():
        entry["cost_usd"] = None if entry["unpriced"] else entry["known_usd"]
    return sorted(out.values(), key=lambda e: (-e["known_usd"], e["judge"]))


def monthly_spend(
    store: Store, month: str | None = None, *, now: datetime | None = None
) -> dict[str, Any]:
    """The month's spend (this month, UTC, by default); see the module doc."""
    label, start, end = month_bounds(month, now)
    rows = spend_rows(store, start, end)
    run_ids = spend_run_ids(store, start, end)
    judged = judge_spend_rows(store, start, end)
    judge_known = sum(j.paid_usd for j in judged)
    judge_unpriced = sum(j.unpriced_verdicts for j in judged)
    known = sum(r.cost_usd for r in rows) + judge_known
    unpriced = sum(r.unknown_cost for r in rows)
    total = None if unpriced or judge_unpriced else known
    return {
        "month": label,
        "from": datetime.fromtimestamp(start, UTC).isoformat(),
        "to": datetime.fromtimestamp(end, UTC).isoformat(),
        "total_usd": total,
        "known_usd": known,
        "requests": sum(r.requests for r in rows),
        "unpriced_requests": unpriced,
        "cached_answers": sum(r.cached for r in rows),
        "runs": len(run_ids),
        "avg_per_run_usd": (total / len(run_ids)) if run_ids and total is not None else None,
        "judge_usd": None if judge_unpriced else judge_known,
        "judge_known_usd": judge_known,
        "judge_calls": sum(j.calls for j in judged),
        "judge_cached_calls": sum(j.cached_calls for j in judged),
        "judge_unpriced_verdicts": judge_unpriced,
        "by_judge": _judges(judged),
        "by_model": _group(rows, "model"),
        "by_suite": _group(rows, "suite"),
        "by_model_suite": [
            {
                "model": r.model,
                "suite": r.suite,
                "cost_usd": None if r.unknown_cost else r.cost_usd,
                "known_usd": r.cost_usd,
                "requests": r.requests,
                "unpriced_requests": r.unknown_cost,
                "cached_answers": r.cached,
                "runs": r.runs,
            }
            for r in rows
        ],
    }


def spend_line(data: dict[str, Any]) -> str:
    """The month's spend in one line, the same words on the terminal and the dashboard."""
    total, known, unpriced = data["total_usd"], data["known_usd"], data["unpriced_requests"]
    spent = money(total) if total is not None else f"unknown (at least {money(known)})"
    avg = data["avg_per_run_usd"]
    parts = [
        f"{data['month']}: {spent} over {data['runs']} run{'s' if data['runs'] != 1 else ''}",
        f"{data['requests']:,} requests sent",
        f"{'-' if avg is None else money(avg)} per run",
    ]
    if data["judge_calls"] or data["judge_unpriced_verdicts"]:
        judge = data["judge_usd"]
        shown = "unknown" if judge is None else money(judge)
        parts.append(f"judges {shown} over {data['judge_calls']:,} calls (included)")
    if unpriced:
        parts.append(f"{unpriced:,} request{'s' if unpriced != 1 else ''} without a known price")
    if data["judge_unpriced_verdicts"]:
        n = data["judge_unpriced_verdicts"]
        parts.append(f"{n:,} verdict{'s' if n != 1 else ''} by a judge without a known price")
    if data["cached_answers"]:
        parts.append(f"{data['cached_answers']:,} cached answers at $0")
    return "; ".join(parts)
