"""What a month's spend is computed from, in a few index reads: to know it has not changed.

A month's spend (`outcomes.spend_rows`, `judge_spend_rows`, `spend_run_ids`)
reads the month's attempts and every score row: ~180 ms at a million attempts,
on every overview and `GET /api/spend`. It changes only when what it reads
changes: an attempt stored, deleted (a resume with `--retry-errors`) or
imported into the month, or a scoring pass started, finished or scoring. The
marks below see each of those: the month's attempt count and newest attempt
(index-only reads of `ix_attempts_finished`), the scoring passes' count and
times, and the score count of every run with an unfinished pass (a pass
scores as it goes, and its verdicts count from its start).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select

from benchlab.store.schema import attempts, score_passes, scores
from benchlab.store.store import Store


def spend_marks(store: Store, start: float, end: float) -> tuple[Any, ...]:
    """Equal for two reads of [start, end) exactly when nothing the spend reads changed
    in between (see the module doc)."""
    a, p = attempts.c, score_passes.c
    in_month = and_(a.finished_at >= start, a.finished_at < end)
    unfinished = select(p.run_id).where(p.finished_at.is_(None)).distinct()
    with store.engine.connect() as conn:
        month = conn.execute(select(func.count(), func.max(a.finished_at)).where(in_month)).one()
        passes = conn.execute(
            select(
                func.count(),
                func.max(p.created_at),
                func.count(p.finished_at),
                func.max(p.finished_at),
            )
        ).one()
        scoring = conn.execute(
            select(scores.c.run_id, func.count())
            .where(scores.c.run_id.in_(unfinished))
            .group_by(scores.c.run_id)
            .order_by(scores.c.run_id)
        ).all()
    return (*month, *passes, *(tuple(r) for r in scoring))
