"""Per (run, suite, model) aggregates: what run lists, leaderboards, trends and spend read.

Scanning attempts for every dashboard request does not scale (a million
attempts), so a finished run's aggregates are computed once, with one GROUP BY,
and kept in `run_stats`; a running run's are computed live (a few thousand
rows through an index). Rows are computed lazily by whoever reads first, so the
engine and the CLI need not know this table exists, and a resumed or imported
run is simply recomputed (its `finished_at` changed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import and_, case, delete, exists, func, select
from sqlalchemy.exc import DBAPIError

from benchlab.store.run_query import RunFilter
from benchlab.store.schema import attempts, run_stats, runs
from benchlab.store.store import Store
from benchlab.store.writer import insert_ignoring_duplicates

_CHUNK = 500  # ids per IN (...) list


@dataclass(slots=True)
class ModelStat:
    """One model's aggregate on one suite of one run."""

    run_id: str
    suite: str
    model: str
    attempts: int
    judged: int
    passed: int
    errors: int
    cost_usd: float
    cost_unknown: int
    input_tokens: int
    output_tokens: int
    latency_sum: float
    latency_n: int
    first_at: float | None
    last_at: float | None

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.judged if self.judged else None

    @property
    def cost(self) -> float | None:
        """None when some answered attempt had no known price: a partial sum would mislead."""
        return None if self.cost_unknown else self.cost_usd

    @property
    def latency_mean(self) -> float | None:
        return self.latency_sum / self.latency_n if self.latency_n else None


def combine(
    stats: Sequence[ModelStat], *, run_id: str = "", suite: str = "", model: str = ""
) -> ModelStat:
    """Several aggregates as one (a run over all its suites and models, say)."""
    if len(stats) == 1:  # a model on a run's one suite, the usual case: nothing to add up
        return replace(stats[0], run_id=run_id, suite=suite, model=model)
    firsts = [s.first_at for s in stats if s.first_at is not None]
    lasts = [s.last_at for s in stats if s.last_at is not None]
    return ModelStat(
        run_id=run_id,
        suite=suite,
        model=model,
        attempts=sum(s.attempts for s in stats),
        judged=sum(s.judged for s in stats),
        passed=sum(s.passed for s in stats),
        errors=sum(s.errors for s in stats),
        cost_usd=sum(s.cost_usd for s in stats),
        cost_unknown=sum(s.cost_unknown for s in stats),
        input_tokens=sum(s.input_tokens for s in stats),
        output_tokens=sum(s.output_tokens for s in stats),
        latency_sum=sum(s.latency_sum for s in stats),
        latency_n=sum(s.latency_n for s in stats),
        first_at=min(firsts) if firsts else None,
        last_at=max(lasts) if lasts else None,
    )


def _aggregate_query(run_ids: Sequence[str]) -> Any:
    # Answered attempts (a scorer error has an answer too) carry tokens, latency and cost;
    # `judged` counts verdicts only (`passed` is NULL on every errored attempt).
    a = attempts.c
    ok = a.output.is_not(None)
    return (
        select(
            a.run_id,
            a.suite,
            a.model,
            func.count(),
            func.count(a.passed),
            func.sum(case((a.passed, 1), else_=0)),
            func.sum(case((a.status == "error", 1), else_=0)),
            func.sum(case((ok, a.cost_usd), else_=0.0)),
            func.sum(case((and_(ok, a.cost_usd.is_(None)), 1), else_=0)),
            func.sum(case((ok, a.input_tokens), else_=0)),
            func.sum(case((ok, a.output_tokens), else_=0)),
            func.sum(case((ok, a.latency_ms), else_=0.0)),
            func.sum(case((and_(ok, a.latency_ms.is_not(None)), 1), else_=0)),
            func.min(a.finished_at),
            func.max(a.finished_at),
        )
        .where(a.run_id.in_(run_ids))
        .group_by(a.run_id, a.suite, a.model)
    )


def _from_aggregate(row: Sequence[Any]) -> ModelStat:
    return ModelStat(
        run_id=row[0],
        suite=row[1],
        model=row[2],
        attempts=int(row[3]),
        judged=int(row[4] or 0),
        passed=int(row[5] or 0),
        errors=int(row[6] or 0),
        cost_usd=float(row[7] or 0.0),
        cost_unknown=int(row[8] or 0),
        input_tokens=int(row[9] or 0),
        output_tokens=int(row[10] or 0),
        latency_sum=float(row[11] or 0.0),
        latency_n=int(row[12] or 0),
        first_at=row[13],
        last_at=row[14],
    )


_FIELDS = [f.name for f in fields(ModelStat)]


def compute(store: Store, run_ids: Sequence[str]) -> list[ModelStat]:
    """Aggregates straight from attempts (live: for running runs, or to refresh a cache row)."""
    out: list[ModelStat] = []
    with store.engine.connect() as conn:
        for i in range(0, len(run_ids), _CHUNK):
            chunk = list(run_ids[i : i + _CHUNK])
            out.extend(_from_aggregate(r) for r in conn.execute(_aggregate_query(chunk)))
    return out


def refresh(store: Store) -> int:
    """Compute and keep the aggregates of every finished run that has none (or stale ones).

    Costs one small anti-join when everything is fresh, which is almost always.
    """
    fresh = exists().where(
        and_(run_stats.c.run_id == runs.c.id, run_stats.c.run_finished_at == runs.c.finished_at)
    )
    query = select(runs.c.id, runs.c.finished_at).where(and_(runs.c.status != "running", ~fresh))
    with store.engine.connect() as conn:
        missing = {rid: fin for rid, fin in conn.execute(query)}
    if not missing:
        return 0
    ids = list(missing)
    computed = compute(store, ids)
    rows = [
        {**{name: getattr(s, name) for name in _FIELDS}, "run_finished_at": missing[s.run_id]}
        for s in computed
    ]
    seen = {s.run_id for s in computed}
    for rid in ids:
        if rid not in seen:  # a marker, so that an empty run is not recomputed on every read
            empty = ModelStat(rid, "", "", 0, 0, 0, 0, 0.0, 0, 0, 0, 0.0, 0, None, None)
            rows.append(
                {**{n: getattr(empty, n) for n in _FIELDS}, "run_finished_at": missing[rid]}
            )
    with store.engine.begin() as conn:
        for i in range(0, len(ids), _CHUNK):
            conn.execute(delete(run_stats).where(run_stats.c.run_id.in_(ids[i : i + _CHUNK])))
        conn.execute(insert_ignoring_duplicates(store.engine, run_stats), rows)
    return len(ids)


def refresh_if_writable(store: Store) -> None:
    """`refresh`, unless the database may only be read (`benchlab runs --db` on a shared
    one): then what it holds is what there is."""
    with suppress(DBAPIError):
        refresh(store)


def for_runs(store: Store, run_ids: Iterable[str]) -> dict[str, list[ModelStat]]:
    """run id -> its per (suite, model) aggregates; cached for finished runs, live otherwise."""
    ids = list(dict.fromkeys(run_ids))
    if not ids:
        return {}
    out: dict[str, list[ModelStat]] = {rid: [] for rid in ids}
    try:
        refresh(store)
    except DBAPIError:  # a database we may only read (`benchlab runs --db` on a shared one)
        for stat in compute(store, ids):  # what the cache would hold, summed now
            out[stat.run_id].append(stat)
        return out
    running: list[str] = []
    with store.engine.connect() as conn:
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            status_q = select(runs.c.id).where(
                and_(runs.c.id.in_(chunk), runs.c.status == "running")
            )
            live = [r for (r,) in conn.execute(status_q)]
            running.extend(live)
            # Rows of a running run are from before it was resumed: stale, so never read.
            # the columns in ModelStat's order, read as plain tuples: a run list reads ten
            # rows a run, and RowMappings cost more than the read
            stored_q = select(*(run_stats.c[name] for name in _FIELDS)).where(
                and_(
                    run_stats.c.run_id.in_([r for r in chunk if r not in live]),
                    run_stats.c.model != "",
                )
            )
            for row in conn.execute(stored_q):
                out[row[0]].append(ModelStat(*row))
    for stat in compute(store, running):
        out[stat.run_id].append(stat)
    return out


def finished_stats(
    store: Store,
    *,
    suite: str | None = None,
    model: str | None = None,
    since: float | None = None,
    statuses: Sequence[str] = ("completed",),
    tags: Mapping[str, str] | None = None,
) -> list[tuple[ModelStat, dict[str, Any]]]:
    """Cached aggregates of finished runs joined with their run's times, oldest first;
    `tags` (all must match) keep, say, a pull request's run out of a daily tracker's view."""
    refresh(store)
    # the columns in ModelStat's order, then the run's times, read as plain tuples: every
    # finished run's rows are read (a leaderboard, a trend), and RowMappings cost more than
    # the read
    query = (
        select(
            *(run_stats.c[name] for name in _FIELDS),
            runs.c.created_at,
            runs.c.started_at,
            runs.c.finished_at,
        )
        .join(runs, runs.c.id == run_stats.c.run_id)
        .where(and_(runs.c.status.in_(list(statuses)), run_stats.c.model != ""))
        .order_by(runs.c.created_at, runs.c.id)
    )
    if suite is not None:
        query = query.where(run_stats.c.suite == suite)
    if model is not None:
        query = query.where(run_stats.c.model == model)
    if since is not None:
        query = query.where(runs.c.created_at >= since)
    tagged = RunFilter(tags=dict(tags or {})).where()
    if tagged is not None:
        query = query.where(tagged)
    n = len(_FIELDS)
    with store.engine.connect() as conn:
        return [
            (
                ModelStat(*row[:n]),
                {"created_at": row[n], "started_at": row[n + 1], "finished_at": row[n + 2]},
            )
            for row in conn.execute(query).all()
        ]
