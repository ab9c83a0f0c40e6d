"""Which runs match: the one query behind `benchlab runs`, `GET /api/runs`, the dashboard's
run lists, the scheduler's "last run" and `benchlab.list_runs`.

A filter is built once here, so the command line, the server and the Python API
cannot drift apart (they did: the server's status filter forgot `stopped_budget`).
A run reads as the domain's `Run`; one whose `running` owner has died reads as
`interrupted` (store/owner.py), in lists as in `Store.get_run`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

from sqlalchemy import ColumnElement, Engine, and_, case, func, select

from benchlab.domain import Run
from benchlab.errors import ConfigError
from benchlab.store.owner import Owner
from benchlab.store.records import RunRecord
from benchlab.store.schema import run_models, run_stats, run_suites, runs

__all__ = [
    "RUN_SORTS",
    "RunFilter",
    "RunSort",
    "count_runs",
    "find_runs",
    "parse_tags",
    "run_from_row",
    "sorted_runs",
]

# What a run list can be ordered by; `-name` is descending. The totals (pass rate, cost,
# attempts, errors) come from the cached aggregates of `run_stats`, so the database sorts
# every matching run before the page is cut, instead of one page being sorted alone.
RunSort = Literal[
    "created",
    "-created",
    "pass_rate",
    "-pass_rate",
    "cost",
    "-cost",
    "attempts",
    "-attempts",
    "errors",
    "-errors",
    "duration",
    "-duration",
    "status",
    "-status",
]
RUN_SORTS: tuple[str, ...] = get_args(RunSort)


def parse_tags(tags: Iterable[str], *, flag: str = "--tag") -> dict[str, str]:
    """KEY=VALUE strings as a tag mapping (the value may be empty, the key may not);
    `flag` names where they came from in the error (`--tag`, or the query's `tag`)."""
    out: dict[str, str] = {}
    for tag in tags:
        key, sep, value = tag.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{flag} {tag!r}: expected KEY=VALUE")
        if "\x00" in tag:  # no stored tag holds one, and neither database takes it in a query
            raise ConfigError(f"{flag} {tag!r}: a NUL character is not allowed")
        out[key.strip()] = value
    return out


@dataclass(frozen=True)
class RunFilter:
    """Conditions a run must all meet; None (or no tags) leaves a condition out.
    `since`/`until` are epoch seconds on `created_at`, `until` exclusive."""

    suite: str | None = None
    model: str | None = None
    status: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    since: float | None = None
    until: float | None = None

    def where(self) -> ColumnElement[bool] | None:
        conds: list[ColumnElement[bool]] = []
        if self.model is not None:
            models = select(run_models.c.run_id).where(run_models.c.model == self.model)
            conds.append(runs.c.id.in_(models))
        if self.suite is not None:
            suites = select(run_suites.c.run_id).where(run_suites.c.suite == self.suite)
            conds.append(runs.c.id.in_(suites))
        if self.status is not None:
            conds.append(runs.c.status == self.status)
        for key, value in self.tags.items():
            conds.append(runs.c.tags[key].as_string() == value)
        if self.since is not None:
            conds.append(runs.c.created_at >= self.since)
        if self.until is not None:
            conds.append(runs.c.created_at < self.until)
        return and_(*conds) if conds else None


def run_from_row(row: Any) -> Run:
    """A `runs` row as the domain's Run (a dead owner's `running` run reads interrupted)."""
    run = RunRecord.from_row(row)
    if run.status == "running":
        owner = Owner.of(row)
        if owner is not None and owner.gone():
            # Its process died without a word: interrupted, resumable (store/owner.py).
            run = replace(run, status="interrupted", finished_at=owner.heartbeat_at)
    return run.to_domain()


def _total(name: str) -> Any:
    """One run's total over its (suite, model) rows of `run_stats`, as a scalar subquery
    per run (an index lookup on the table's key, not a scan); only rows computed for the
    run's current `finished_at` count, so a running or resumed run's stale rows never do."""
    s = run_stats.c
    judged = func.sum(s.judged)
    value = {
        "pass_rate": func.sum(s.passed) * 1.0 / func.nullif(judged, 0),
        "cost": case((func.sum(s.cost_unknown) > 0, None), else_=func.sum(s.cost_usd)),
        "attempts": func.sum(s.attempts),
        "errors": func.sum(s.errors),
    }[name]
    return (
        select(value)
        .where(and_(s.run_id == runs.c.id, s.run_finished_at == runs.c.finished_at, s.model != ""))
        .scalar_subquery()
    )


def _ordered(columns: list[Any], sort: str) -> Any:
    """A select of `columns` from runs, ordered by `sort` (one of RUN_SORTS) with missing
    values last either way, then newest first and by id so that pages never overlap. The
    key is a selected column, so each run's total is computed once, not once per use."""
    if sort not in RUN_SORTS:
        raise ConfigError(f"sort {sort!r}: expected one of {', '.join(RUN_SORTS)}")
    name = sort.lstrip("-")
    newest = (runs.c.created_at.desc(), runs.c.id.desc())
    if name == "created":
        if sort == "created":
            return select(*columns).order_by(runs.c.created_at, runs.c.id)
        return select(*columns).order_by(*newest)
    key: Any
    if name == "status":
        key = runs.c.status
    elif name == "duration":
        key = runs.c.finished_at - runs.c.started_at
    else:
        key = _total(name)
    key = key.label("sort_key")
    direction = key.desc() if sort.startswith("-") else key.asc()
    return select(*columns, key).order_by(direction.nulls_last(), *newest)


def find_runs(
    engine: Engine, where: RunFilter, *, limit: int | None = None, offset: int = 0
) -> list[Run]:
    """The matching runs, newest first (ties by id, so pages never overlap); all of them
    when `limit` is None."""
    return sorted_runs(engine, where, "-created", limit=limit, offset=offset)


def sorted_runs(
    engine: Engine, where: RunFilter, sort: str, *, limit: int | None = None, offset: int = 0
) -> list[Run]:
    """The matching runs in the order `sort` names (one of RUN_SORTS; ties newest first,
    then by id, so pages never overlap); all of them when `limit` is None. Sorting by a
    total reads `run_stats` as it stands: refresh it first (`store.stats.refresh`)."""
    query = _ordered([runs], sort)
    condition = where.where()
    if condition is not None:
        query = query.where(condition)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    with engine.connect() as conn:
        return [run_from_row(r) for r in conn.execute(query).mappings()]


def count_runs(engine: Engine, where: RunFilter) -> int:
    """How many runs match (for a pager's total)."""
    query = select(func.count()).select_from(runs)
    condition = where.where()
    if condition is not None:
        query = query.where(condition)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())
