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
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, func, select

from benchlab.domain import Run
from benchlab.errors import ConfigError
from benchlab.store.owner import Owner
from benchlab.store.records import RunRecord
from benchlab.store.schema import run_models, run_suites, runs

__all__ = ["RunFilter", "count_runs", "find_runs", "parse_tags", "run_from_row"]


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


def find_runs(
    engine: Engine, where: RunFilter, *, limit: int | None = None, offset: int = 0
) -> list[Run]:
    """The matching runs, newest first (ties by id, so pages never overlap); all of them
    when `limit` is None."""
    query = select(runs).order_by(runs.c.created_at.desc(), runs.c.id.desc())
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
