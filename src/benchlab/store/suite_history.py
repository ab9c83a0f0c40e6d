"""Which content of a suite each run ran: the points where a tracked suite changed.

A daily sample drifts when its data file grows or is edited: the suite's name stays,
its content hash (`run_suites.suite_hash`, the hash of the cases as loaded) does not.
A trend that crosses such a point compares two different tests, so the dashboard
marks it; this is the query that finds those points.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import and_, select

from benchlab.store.run_query import RunFilter
from benchlab.store.schema import run_suites, runs, suites
from benchlab.store.store import Store

__all__ = ["SuiteChange", "suite_changes"]


@dataclass(frozen=True, slots=True)
class SuiteChange:
    """The first run (`run_id`, created at `created_at`, epoch seconds) on new content."""

    run_id: str
    created_at: float
    suite_hash: str
    cases: int | None
    previous_hash: str
    previous_cases: int | None


def suite_changes(
    store: Store,
    suite: str,
    *,
    tags: Mapping[str, str] | None = None,
    statuses: tuple[str, ...] = ("completed",),
) -> list[SuiteChange]:
    """Each run of `suite` (with `tags`, in `statuses`) whose suite content differs from
    the run before it, oldest first. The first run is no change: nothing came before."""
    query = (
        select(runs.c.id, runs.c.created_at, run_suites.c.suite_hash, suites.c.n_cases)
        .join(run_suites, run_suites.c.run_id == runs.c.id)
        .outerjoin(suites, suites.c.hash == run_suites.c.suite_hash)
        .where(and_(run_suites.c.suite == suite, runs.c.status.in_(list(statuses))))
        .order_by(runs.c.created_at, runs.c.id)
    )
    tagged = RunFilter(tags=dict(tags or {})).where()
    if tagged is not None:
        query = query.where(tagged)
    out: list[SuiteChange] = []
    before: tuple[str, int | None] | None = None
    with store.engine.connect() as conn:
        for run_id, created, digest, n_cases in conn.execute(query):
            if before is not None and digest != before[0]:
                out.append(SuiteChange(run_id, created, digest, n_cases, *before))
            before = (digest, n_cases)
    return out
