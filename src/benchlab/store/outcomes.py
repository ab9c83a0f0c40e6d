"""Per-case outcomes, per-case score means and spend: what comparisons, history and budgets read.

Statistics over cases need one row per case, not per attempt, so the
aggregation happens in SQL (one GROUP BY through the run/model index) and a
run of a million attempts reaches Python as one row per case. Spend counts
only attempts that were really sent: a cached answer cost nothing this time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from benchlab.store.labels import HUMAN, case_human_means
from benchlab.store.pass_view import pass_clause, verdict_column
from benchlab.store.schema import attempts, score_passes, scores
from benchlab.store.store import Store

# An attempt the model answered, and so was paid for: status "ok", or an error that came
# after the answer (its scorer raised). A failed request has no output and cost nothing.
ANSWERED: Any = attempts.c.output.is_not(None)


@dataclass(slots=True)
class CaseRow:
    """One case's attempts by one model in one run."""

    model: str
    suite: str
    case_id: str
    category: str | None
    attempts: int
    judged: int  # attempts with a verdict; an errored attempt is never judged (not a fail)
    passed: int
    errors: int
    cost_usd: float  # answered attempts' known costs (cached ones included: the run's price)
    cost_unknown: int  # answered attempts without a price

    @property
    def rate(self) -> float | None:
        return self.passed / self.judged if self.judged else None


def case_outcomes(
    store: Store,
    run_id: str,
    *,
    model: str | None = None,
    suite: str | None = None,
    pass_no: int | None = None,
) -> list[CaseRow]:
    """One row per case; verdicts of the newest completed pass, or of scoring pass `pass_no`."""
    a = attempts.c
    # an errored attempt is never judged (not a fail), whatever a scorer left on it
    judged: Any = func.count(case((a.status != "error", a.passed)))
    passed: Any = func.sum(case((and_(a.status != "error", a.passed), 1), else_=0))
    source: Any = attempts
    if pass_no is not None and pass_no != store.latest_pass(run_id):
        verdict, source = verdict_column(run_id, pass_no)
        judged = func.count(case((a.status != "error", verdict)))
        passed = func.sum(case((and_(a.status != "error", verdict == 1), 1), else_=0))
    query = (
        select(
            a.model,
            a.suite,
            a.case_id,
            func.max(a.category),
            func.count(),
            judged,
            passed,
            func.sum(case((a.status == "error", 1), else_=0)),
            func.coalesce(func.sum(case((ANSWERED, a.cost_usd), else_=0.0)), 0.0),
            func.sum(case((and_(ANSWERED, a.cost_usd.is_(None)), 1), else_=0)),
        )
        .select_from(source)
        .where(a.run_id == run_id)
        .group_by(a.model, a.suite, a.case_id)
        .order_by(a.model, a.suite, a.case_id)
    )
    if model is not None:
        query = query.where(a.model == model)
    if suite is not None:
        query = query.where(a.suite == suite)
    with store.engine.connect() as conn:
        return [
            CaseRow(
                m,
                s,
                c,
                cat,
                int(n),
                int(j or 0),
                int(p or 0),
                int(e or 0),
                float(k or 0.0),
                int(u or 0),
            )
            for m, s, c, cat, n, j, p, e, k, u in conn.execute(query)
        ]


@dataclass(slots=True)
class CaseErrors:
    """One case's errored attempts by one model in one run, by kind."""

    suite: str
    case_id: str
    kind: str
    count: int
    message: str | None  # one of the kind's messages, to say what went wrong


def case_errors(store: Store, run_id: str, *, model: str | None = None) -> list[CaseErrors]:
    """Errored attempts per case and kind: what `compare` leaves out and `gate` reports.

    An attempt is errored when its status says so (its `passed` may still read
    False in databases written before errors were kept apart from fails).
    """
    a = attempts.c
    query = (
        select(a.suite, a.case_id, a.error_type, func.count(), func.min(a.error_message))
        .where(and_(a.run_id == run_id, a.status == "error"))
        .group_by(a.suite, a.case_id, a.error_type)
        .order_by(a.suite, a.case_id, a.error_type)
    )
    if model is not None:
        query = query.where(a.model == model)
    with store.engine.connect() as conn:
        return [
            CaseErrors(s, c, k or "unknown", int(n), m) for s, c, k, n, m in conn.execute(query)
        ]


@dataclass(slots=True)
class ScoreMean:
    """One scorer's mean value over one case's samples."""

    model: str
    suite: str
    case_id: str
    scorer: str
    mean: float
    n: int


def case_score_means(
    store: Store,
    run_id: str,
    *,
    model: str | None = None,
    suite: str | None = None,
    pass_no: int | None = None,
) -> list[ScoreMean]:
    return list(iter_case_score_means(store, run_id, model=model, suite=suite, pass_no=pass_no))


def iter_case_score_means(
    store: Store,
    run_id: str,
    *,
    model: str | None = None,
    suite: str | None = None,
    pass_no: int | None = None,
) -> Iterator[ScoreMean]:
    """Like `case_score_means`, streamed: a summary of a huge run keeps numbers, not rows."""
    a, s = attempts.c, scores.c
    query = (
        select(a.model, a.suite, a.case_id, s.scorer, func.avg(s.value), func.count(s.value))
        .select_from(scores.join(attempts, attempts.c.id == scores.c.attempt_id))
        .where(and_(s.run_id == run_id, s.value.is_not(None)))
        .group_by(a.model, a.suite, a.case_id, s.scorer)
        .order_by(a.model, s.scorer, a.suite, a.case_id)
    )
    # the newest scoring pass (`benchlab score`), else the run's own, unless `pass_no` says
    shown = store.latest_pass(run_id) if pass_no is None else pass_no
    query = query.where(pass_clause(run_id, shown))
    if not shown:  # the run's own scoring: an attempt a scorer errored on is not judged at all
        query = query.where(a.status == "ok")
    if model is not None:
        query = query.where(a.model == model)
    if suite is not None:
        query = query.where(a.suite == suite)
    with (
        store.engine.connect() as conn,
        conn.execute(query.execution_options(yield_per=2000)) as rows,
    ):
        for m, su, c, sc, v, n in rows:
            yield ScoreMean(m, su, c, sc, float(v), int(n))
    for m, su, c, v, n in case_human_means(store, run_id, model=model, suite=suite):
        yield ScoreMean(m, su, c, HUMAN, v, n)  # human labels, beside the scorers


def run_spend(store: Store, run_id: str) -> float:
    """US$ a run has really spent so far: answered, uncached, priced attempts."""
    a = attempts.c
    query = select(func.coalesce(func.sum(a.cost_usd), 0.0)).where(
        and_(a.run_id == run_id, ANSWERED, a.cached.is_(False))
    )
    with store.engine.connect() as conn:
        return float(conn.execute(query).scalar_one() or 0.0)


@dataclass(slots=True)
class SpendRow:
    model: str
    suite: str
    cost_usd: float  # the priced requests' cost
    requests: int  # answered requests really sent (a reused answer is not one)
    unknown_cost: int  # of those, requests without a known price: never counted as free
    runs: int  # runs that sent at least one of those requests
    cached: int = 0  # answers reused from the response cache, at cost 0


def spend_rows(store: Store, start: float, end: float) -> list[SpendRow]:
    """Spend per (model, suite) of attempts finished in [start, end), runs of every status.

    The one query behind `benchlab spend`, `GET /api/spend` and the dashboard's spend, so
    the three can never disagree. Cached answers cost nothing and are counted apart.
    """
    a = attempts.c
    sent = a.cached.is_(False)
    query = (
        select(
            a.model,
            a.suite,
            func.coalesce(func.sum(case((sent, a.cost_usd), else_=None)), 0.0),
            func.sum(case((sent, 1), else_=0)),
            func.sum(case((and_(sent, a.cost_usd.is_(None)), 1), else_=0)),
            func.count(func.distinct(case((sent, a.run_id), else_=None))),
            func.sum(case((sent, 0), else_=1)),
        )
        .where(and_(ANSWERED, a.finished_at >= start, a.finished_at < end))
        .group_by(a.model, a.suite)
        .order_by(a.model, a.suite)
    )
    with store.engine.connect() as conn:
        return [
            SpendRow(m, s, float(c or 0.0), int(n or 0), int(u or 0), int(r or 0), int(k or 0))
            for m, s, c, n, u, r, k in conn.execute(query)
        ]


@dataclass(slots=True)
class JudgeSpendRow:
    """A judge's paid calls in a month, on one suite's verdicts."""

    judge: str
    suite: str
    paid_usd: float  # priced calls really sent (calls answered from the cache cost nothing)
    calls: int  # calls really sent
    cached_calls: int
    unpriced_verdicts: int  # verdicts whose judge calls had no known price: never free


def judge_spend_rows(store: Store, start: float, end: float) -> list[JudgeSpendRow]:
    """What judges were paid for verdicts made in [start, end), per (judge, suite).

    A verdict of the run's own scoring (pass 0) is dated by its attempt; a later
    `benchlab score` pass by the pass's start. Usage sits in each score's details
    (scorers/judging.py); rows written before `paid_usd` existed count their whole cost.
    """
    a, s, p = attempts.c, scores.c, score_passes.c
    when = func.coalesce(p.created_at, a.finished_at)
    query = (
        select(a.suite, s.details)
        .select_from(
            scores.join(attempts, attempts.c.id == s.attempt_id).outerjoin(
                score_passes, and_(p.run_id == s.run_id, p.pass_no == s.pass_no)
            )
        )
        .where(
            and_(
                or_(s.details.like('%"judge":{%'), s.details.like('%"judge": {%')),
                when >= start,
                when < end,
            )
        )
        .execution_options(yield_per=1000)
    )
    out: dict[tuple[str, str], JudgeSpendRow] = {}
    with store.engine.connect() as conn, conn.execute(query) as rows:
        for suite, details in rows:
            usage = json.loads(details).get("judge")
            if not isinstance(usage, dict):
                continue
            calls = int(usage.get("calls") or 0)
            cached = int(usage.get("cached_calls") or 0)
            key = (str(usage.get("model") or "?"), suite)
            row = out.setdefault(key, JudgeSpendRow(key[0], suite, 0.0, 0, 0, 0))
            row.calls += calls - cached
            row.cached_calls += cached
            paid = usage.get("paid_usd", usage.get("cost_usd"))
            if paid is None and calls > cached:
                row.unpriced_verdicts += 1
            elif paid is not None:
                row.paid_usd += float(paid)
    return [out[k] for k in sorted(out)]


def spend_run_ids(store: Store, start: float, end: float) -> Sequence[str]:
    """The runs (any status) that sent at least one uncached request in [start, end)."""
    a = attempts.c
    query = (
        select(a.run_id)
        .where(and_(ANSWERED, a.cached.is_(False), a.finished_at >= start, a.finished_at < end))
        .distinct()
    )
    with store.engine.connect() as conn:
        return [r for (r,) in conn.execute(query)]
