"""A run's answers reused from the response cache, per model, with the oldest and newest
time those answers were first asked (`analysis.cache_use` says what that means for a summary).
"""

from __future__ import annotations

from sqlalchemy import and_, func, select

from benchlab.store.schema import attempts
from benchlab.store.store import Store

__all__ = ["cached_answers"]


def cached_answers(store: Store, run_id: str) -> list[tuple[str, int, float | None, float | None]]:
    """(model, reused answers, oldest cached_at, newest cached_at) per model that reused any;
    the times are None for answers reused by a version that kept no time."""
    a = attempts.c
    query = (
        select(a.model, func.count(), func.min(a.cached_at), func.max(a.cached_at))
        .where(and_(a.run_id == run_id, a.cached.is_(True)))
        .group_by(a.model)
    )
    with store.engine.connect() as conn:
        return [(m, int(n), lo, hi) for m, n, lo, hi in conn.execute(query)]
