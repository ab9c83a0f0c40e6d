"""The scores of one scoring pass of a run, one row per scored attempt, in case order:
what per-factor views of a grid (`analysis.factors`) average by case and level.
"""

from __future__ import annotations

from sqlalchemy import and_, select

from benchlab.store.pass_view import pass_clause
from benchlab.store.schema import attempts, scores
from benchlab.store.store import Store

__all__ = ["pass_scores"]


def pass_scores(
    store: Store, run_id: str, pass_no: int
) -> list[tuple[str, str, str, str, float, str | None]]:
    """(model, suite, case, scorer, value, details) of one scoring pass."""
    a, s = attempts.c, scores.c
    query = (
        select(a.model, a.suite, a.case_id, s.scorer, s.value, s.details)
        .select_from(scores.join(attempts, attempts.c.id == scores.c.attempt_id))
        .where(and_(s.run_id == run_id, s.value.is_not(None)))
        .order_by(a.model, a.suite, a.case_id, a.sample)
    )
    query = query.where(pass_clause(run_id, pass_no))
    with store.engine.connect() as conn:
        return [(m, su, c, sc, float(v), d) for m, su, c, sc, v, d in conn.execute(query)]
