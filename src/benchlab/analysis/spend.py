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

The answer is typed (`MonthlySpend`: the figures and the line both print), the
`response_model` of `GET /api/spend` too; `benchlab spend --json` prints its figures.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from pydantic import BaseModel, ConfigDict, Field

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
from benchlab.store.spend_marks import spend_marks

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


# Dollars as the spend query sums them: a month with no request sums to the integer 0, and
# the JSON has always said `0` there, not `0.0` (a float field would rewrite it).
Usd = float | int


class SpendBySuite(BaseModel):
    suite: str
    cost_usd: Usd | None = Field(description="null when some request had no known price")
    known_usd: Usd
    requests: int
    unpriced_requests: int


class SpendByModel(BaseModel):
    model: str
    cost_usd: Usd | None = Field(description="null when some request had no known price")
    known_usd: Usd
    requests: int
    unpriced_requests: int


class SpendByModelSuite(BaseModel):
    model: str
    suite: str
    cost_usd: Usd | None = Field(description="null when some request had no known price")
    known_usd: Usd
    requests: int
    unpriced_requests: int
    cached_answers: int
    runs: int


class SpendByJudge(BaseModel):
    judge: str
    cost_usd: Usd | None = Field(description="null when some verdict's judge had no price")
    known_usd: Usd
    calls: int = Field(description="judge calls really sent (paid)")
    cached_calls: int = Field(description="judge calls the response cache answered, at $0")
    unpriced: int = Field(description="verdicts whose judge calls had no known price")


class SpendFigures(BaseModel):
    """A month's figures, what `benchlab spend --json` prints."""

    month: str = Field(description="YYYY-MM")
    from_: str = Field(serialization_alias="from", description="the month's start, ISO 8601")
    to: str = Field(description="the next month's start, ISO 8601")
    total_usd: Usd | None = Field(description="null when some request had no known price")
    known_usd: Usd
    requests: int
    unpriced_requests: int
    cached_answers: int
    runs: int
    avg_per_run_usd: Usd | None
    judge_usd: Usd | None = Field(description="judges' part of the total; null when unpriced")
    judge_known_usd: Usd
    judge_calls: int
    judge_cached_calls: int
    judge_unpriced_verdicts: int
    by_judge: list[SpendByJudge]
    by_model: list[SpendByModel]
    by_suite: list[SpendBySuite]
    by_model_suite: list[SpendByModelSuite]


class MonthlySpend(SpendFigures):
    """Money spent in a calendar month (UTC): `benchlab spend --json`'s figures and line.

    Frozen: `monthly_spend` hands the same figures to every reader until they change."""

    model_config = ConfigDict(frozen=True)

    line: str = Field(description="the figures in one line, as the terminal prints them")


@dataclass
class _Sum:
    """One model's or suite's requests of the month, added up."""

    known_usd: float = 0.0
    requests: int = 0
    unpriced_requests: int = 0

    def add(self, row: SpendRow) -> None:
        self.known_usd += row.cost_usd
        self.requests += row.requests
        self.unpriced_requests += row.unknown_cost

    def figures(self) -> dict[str, Any]:
        """The fields a per-model or per-suite row has besides its name; `cost_usd` is the
        known cost, or None when some request of it had no price."""
        return {
            "cost_usd": None if self.unpriced_requests else self.known_usd,
            "known_usd": self.known_usd,
            "requests": self.requests,
            "unpriced_requests": self.unpriced_requests,
        }


def _sums(rows: list[SpendRow], name: Callable[[SpendRow], str]) -> list[tuple[str, _Sum]]:
    """The rows added up per `name`, the dearest first."""
    out: dict[str, _Sum] = {}
    for r in rows:
        if not r.requests:
            continue  # only cached answers: nothing was spent on it
        out.setdefault(name(r), _Sum()).add(r)
    return sorted(out.items(), key=lambda item: (-item[1].known_usd, item[0]))


def _by_model(rows: list[SpendRow]) -> list[SpendByModel]:
    return [SpendByModel(model=m, **t.figures()) for m, t in _sums(rows, lambda r: r.model)]


def _by_suite(rows: list[SpendRow]) -> list[SpendBySuite]:
    return [SpendBySuite(suite=s, **t.figures()) for s, t in _sums(rows, lambda r: r.suite)]


def _judges(rows: list[JudgeSpendRow]) -> list[SpendByJudge]:
    out: dict[str, SpendByJudge] = {}
    for r in rows:
        entry = out.setdefault(
            r.judge,
            SpendByJudge(
                judge=r.judge, cost_usd=None, known_usd=0.0, calls=0, cached_calls=0, unpriced=0
            ),
        )
        entry.known_usd += r.paid_usd
        entry.calls += r.calls
        entry.cached_calls += r.cached_calls
        entry.unpriced += r.unpriced_verdicts
    for entry in out.values():
        entry.cost_usd = None if entry.unpriced else entry.known_usd
    return sorted(out.values(), key=lambda e: (-e.known_usd, e.judge))


# (month start, end) -> (the spend marks it was computed at, its figures), per open store
_made: WeakKeyDictionary[Store, dict[tuple[float, float], tuple[tuple[Any, ...], MonthlySpend]]]
_made = WeakKeyDictionary()
_made_lock = threading.Lock()


def monthly_spend(
    store: Store, month: str | None = None, *, now: datetime | None = None
) -> MonthlySpend:
    """The month's spend (this month, UTC, by default); see the module doc.

    Computed again only when something it reads changed (`store.spend_marks`): the
    overview and `GET /api/spend` read it on every view, and a month at a million attempts
    takes ~180 ms to add up. The figures are those of the same computation, shared (frozen)."""
    label, start, end = month_bounds(month, now)
    marks = spend_marks(store, start, end)
    with _made_lock:
        found = _made.get(store, {}).get((start, end))
    if found is not None and found[0] == marks:
        return found[1]
    figures = _monthly_spend(store, label, start, end)
    with _made_lock:
        _made.setdefault(store, {})[(start, end)] = (marks, figures)
    return figures


def _monthly_spend(store: Store, label: str, start: float, end: float) -> MonthlySpend:
    rows = spend_rows(store, start, end)
    run_ids = spend_run_ids(store, start, end)
    judged = judge_spend_rows(store, start, end)
    judge_known = sum(j.paid_usd for j in judged)
    judge_unpriced = sum(j.unpriced_verdicts for j in judged)
    known = sum(r.cost_usd for r in rows) + judge_known
    unpriced = sum(r.unknown_cost for r in rows)
    total = None if unpriced or judge_unpriced else known
    figures = SpendFigures(
        month=label,
        from_=datetime.fromtimestamp(start, UTC).isoformat(),
        to=datetime.fromtimestamp(end, UTC).isoformat(),
        total_usd=total,
        known_usd=known,
        requests=sum(r.requests for r in rows),
        unpriced_requests=unpriced,
        cached_answers=sum(r.cached for r in rows),
        runs=len(run_ids),
        avg_per_run_usd=(total / len(run_ids)) if run_ids and total is not None else None,
        judge_usd=None if judge_unpriced else judge_known,
        judge_known_usd=judge_known,
        judge_calls=sum(j.calls for j in judged),
        judge_cached_calls=sum(j.cached_calls for j in judged),
        judge_unpriced_verdicts=judge_unpriced,
        by_judge=_judges(judged),
        by_model=_by_model(rows),
        by_suite=_by_suite(rows),
        by_model_suite=[
            SpendByModelSuite(
                model=r.model,
                suite=r.suite,
                cost_usd=None if r.unknown_cost else r.cost_usd,
                known_usd=r.cost_usd,
                requests=r.requests,
                unpriced_requests=r.unknown_cost,
                cached_answers=r.cached,
                runs=r.runs,
            )
            for r in rows
        ],
    )
    return MonthlySpend(**dict(figures), line=spend_line(figures))


def spend_line(data: SpendFigures) -> str:
    """The month's spend in one line, the same words on the terminal and the dashboard."""
    total, known, unpriced = data.total_usd, data.known_usd, data.unpriced_requests
    spent = money(total) if total is not None else f"unknown (at least {money(known)})"
    avg = data.avg_per_run_usd
    parts = [
        f"{data.month}: {spent} over {data.runs} run{'s' if data.runs != 1 else ''}",
        f"{data.requests:,} requests sent",
        f"{'-' if avg is None else money(avg)} per run",
    ]
    if data.judge_calls or data.judge_unpriced_verdicts:
        judge = data.judge_usd
        shown = "unknown" if judge is None else money(judge)
        parts.append(f"judges {shown} over {data.judge_calls:,} calls (included)")
    if unpriced:
        parts.append(f"{unpriced:,} request{'s' if unpriced != 1 else ''} without a known price")
    if data.judge_unpriced_verdicts:
        n = data.judge_unpriced_verdicts
        parts.append(f"{n:,} verdict{'s' if n != 1 else ''} by a judge without a known price")
    if data.cached_answers:
        parts.append(f"{data.cached_answers:,} cached answers at $0")
    return "; ".join(parts)
