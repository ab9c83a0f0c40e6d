"""Batched, crash-safe persistence of finished attempts.

The engine hands records (store/records.py) to `BatchWriter` without waiting; every `flush_interval`
seconds (100 ms by default) whatever has accumulated is written in one
transaction with `executemany`. A `kill -9` therefore loses at most the
attempts in flight plus those finished in the last interval — and `resume`
redoes exactly those, because the unique attempt key makes every insert
idempotent.

The writes run on the event loop's own thread, not a background thread. That
looks slower but is not: Python's sqlite3 releases the GIL around every row of
an `executemany`, and while the event loop is busy a writer thread waits up to
the 5 ms switch interval to get it back for each row — measured here, 5,000
rows took 6 ms from an idle thread and 1.5 s from a thread competing with a
busy loop, the writer fell tens of thousands of rows behind, and memory grew
with the run. Written in-loop, a 100 ms batch costs a few milliseconds, and a
slow disk slows the loop down instead of piling up rows (natural backpressure).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, Table

from benchlab.store.records import AttemptRecord, CaseRecord, ScoreRecord, StoredRecord
from benchlab.store.schema import attempts, cases, response_cache, scores


def insert_ignoring_duplicates(engine: Engine, table: Table) -> Any:
    """An INSERT that skips rows whose key already exists, in this engine's dialect."""
    name = engine.dialect.name
    if name == "sqlite":  # dialect modules imported on use: each costs start-up time
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table).on_conflict_do_nothing()
    if name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table).on_conflict_do_nothing()
    return table.insert().prefix_with("IGNORE")


def insert_newest_wins(engine: Engine, table: Table) -> Any:
    """An INSERT that replaces the row whose key already exists (the response cache: a
    fresh answer to the same request is what a later `--cache` run should reuse)."""
    name = engine.dialect.name
    key = [c.name for c in table.primary_key.columns]
    if name in ("sqlite", "postgresql"):
        stmt: Any
        if name == "sqlite":  # only the dialect in use: postgresql's costs ~50 ms to import
            from sqlalchemy.dialects import sqlite

            stmt = sqlite.insert(table)
        else:
            from sqlalchemy.dialects import postgresql

            stmt = postgresql.insert(table)
        rest = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in key}
        return stmt.on_conflict_do_update(index_elements=key, set_=rest)
    return table.insert().prefix_with("IGNORE")


class _DriverInsert:
    """An insert-or-ignore compiled once by SQLAlchemy, executed as a plain DBAPI executemany.

    Our rows are already in the driver's types (text, numbers, booleans), so
    SQLAlchemy's per-row parameter processing buys nothing here and costs about
    a third of the writer's time at thousands of attempts per second. Records
    (store/records.py) go to the driver as their values: a tuple for a positional
    driver (SQLite), a dict for a named one (psycopg).
    """

    def __init__(self, engine: Engine, table: Table, *, replace: bool = False) -> None:
        statement = (insert_newest_wins if replace else insert_ignoring_duplicates)(engine, table)
        compiled = statement.compile(
            dialect=engine.dialect, column_keys=[c.key for c in table.columns]
        )
        self.sql = str(compiled)
        self.columns = [c.key for c in table.columns]
        self.keys: list[str] | None = (
            [str(k) for k in compiled.positiontup]
            if compiled.positional and compiled.positiontup
            else None
        )

    def execute(self, conn: Any, rows: Sequence[dict[str, Any]]) -> None:
        """Rows as dicts (the response cache's); a column a row leaves out is NULL."""
        if self.keys is None:
            if rows and any(k not in rows[0] for k in self.columns):
                rows = [{**dict.fromkeys(self.columns), **row} for row in rows]
            conn.exec_driver_sql(self.sql, list(rows))
        else:
            keys = self.keys
            conn.exec_driver_sql(self.sql, [tuple([row.get(k) for k in keys]) for row in rows])

    def execute_records(self, conn: Any, records: Sequence[StoredRecord]) -> None:
        if self.keys is None:
            conn.exec_driver_sql(self.sql, [r.to_row() for r in records])
        elif records and tuple(self.keys) == records[0].COLUMNS:
            conn.exec_driver_sql(self.sql, [r.values() for r in records])
        else:
            keys = self.keys
            rows = [r.to_row() for r in records]
            conn.exec_driver_sql(self.sql, [tuple([row[k] for k in keys]) for row in rows])


class BatchWriter:
    # Above this many queued attempts (or cases) a batch is written at once instead of waiting
    # for the timer, so a fast run never holds more than this in memory.
    max_pending = 2000

    def __init__(self, engine: Engine, *, flush_interval: float = 0.1) -> None:
        self._engine = engine
        self.flush_interval = flush_interval
        self._cases: list[CaseRecord] = []
        self._attempts: list[AttemptRecord] = []
        self._scores: list[ScoreRecord] = []
        self._cache: list[dict[str, Any]] = []
        self._statements = {
            name: _DriverInsert(engine, table, replace=name == "cache")
            for name, table in (
                ("cases", cases),
                ("attempts", attempts),
                ("scores", scores),
                ("cache", response_cache),
            )
        }
        self._task: asyncio.Task[None] | None = None
        self.error: BaseException | None = None
        self.written_attempts = 0

    def add_case(self, record: CaseRecord) -> None:
        self._cases.append(record)
        if len(self._cases) >= self.max_pending:
            self.flush()

    def add_attempt(self, record: AttemptRecord, scores: list[ScoreRecord]) -> None:
        self._attempts.append(record)
        self._scores.extend(scores)
        if len(self._attempts) >= self.max_pending:
            self.flush()

    def add_cache(self, row: dict[str, Any]) -> None:
        self._cache.append(row)

    def flush(self) -> None:
        """Write everything queued so far, in one transaction (attempts with their scores)."""
        records: dict[str, Sequence[StoredRecord]] = {
            "cases": self._cases,
            "attempts": self._attempts,
            "scores": self._scores,
        }
        cache = self._cache
        if not cache and not any(records.values()):
            return
        self._cases, self._attempts, self._scores, self._cache = [], [], [], []
        try:
            with self._engine.begin() as conn:
                for name, batch in records.items():
                    if batch:
                        self._statements[name].execute_records(conn, batch)
                if cache:
                    self._statements["cache"].execute(conn, cache)
        except BaseException as exc:
            self.error = exc
            raise
        self.written_attempts += len(records["attempts"])

    async def _every_interval(self) -> None:
        while True:
            await asyncio.sleep(self.flush_interval)
            self.flush()

    def start(self) -> None:
        """Flush on a timer on the running event loop (call from inside the loop)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._every_interval())

    async def aclose(self) -> None:
        """Stop the timer and write what is left."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        if self.error is None:
            self.flush()

    def close(self) -> None:
        """Write what is left (for callers without an event loop)."""
        if self.error is None:
            self.flush()
