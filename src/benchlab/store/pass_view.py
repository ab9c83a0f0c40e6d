"""One scoring pass of a run, seen on its own: the SQL that picks its scores and verdicts.

A run can be scored several times (`benchlab score`): pass 0 is the run's own
scoring, passes 1, 2, ... are recorded in `score_passes`, and their scores sit
beside each other in `scores`. The attempts' `passed` column holds the verdicts
of the newest completed pass only (what summaries read fast); to read an older
pass, its verdicts are rebuilt from its own scores, exactly as the engine
builds an attempt's verdict (`engine.attempt.overall_passed`: no verdict when
no scorer gave one, else whether every one passed). Attempts that were never
scored again (errors: no answer to score) keep their recorded verdict.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, select

from benchlab.store.schema import attempts, score_passes, scores


def pass_clause(run_id: str, pass_no: int) -> Any:
    """The condition on `scores` rows that selects one pass of one run.

    Pass 0 is every pass number no recorded pass uses: imported runs may number
    their own scores 0, 1, 2... (one per scorer of the original harness).
    """
    if pass_no > 0:
        return scores.c.pass_no == pass_no
    later = select(score_passes.c.pass_no).where(score_passes.c.run_id == run_id)
    return scores.c.pass_no.not_in(later)


def verdict_column(run_id: str, pass_no: int) -> tuple[Any, Any]:
    """(verdict, from) to select one attempt's verdict of `pass_no`: 1, 0 or NULL.

    `from` is `attempts` left-joined to the pass's per-attempt verdicts; use it as
    the query's `select_from`.
    """
    s = scores.c
    one = case((s.passed.is_(True), 1), (s.passed.is_(False), 0), else_=None)
    per_attempt = (
        select(s.attempt_id.label("attempt_id"), func.min(one).label("verdict"))
        .where(and_(s.run_id == run_id, pass_clause(run_id, pass_no)))
        .group_by(s.attempt_id)
        .subquery()
    )
    a = attempts.c
    recorded = case((a.passed.is_(True), 1), (a.passed.is_(False), 0), else_=None)
    verdict = case((a.status != "ok", recorded), else_=per_attempt.c.verdict)
    joined = attempts.outerjoin(per_attempt, per_attempt.c.attempt_id == a.id)
    return verdict, joined
