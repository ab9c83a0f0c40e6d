"""Batched, crash-safe persistence of finished attempts.

The engine hands rows to `BatchWriter` without waiting; every `flush_interval`
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
from typing import Any

from sqlalchemy import Engine, Table

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
    a third of the writer's time at thousands of attempts per second.
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

    def execute(self, conn: Any, rows: list[dict[str, Any]]) -> None:
        # A nullable column a row leaves out (one added by a later migration, like
        # attempts.cached_at, that older producers do not know) is written as NULL.
        if self.keys is None:
            if rows and any(k not in rows[0] for k in self.columns):
                rows = [{**dict.fromkeys(self.columns), **row} for row in rows]
            conn.exec_driver_sql(self.sql, rows)
        else:
            keys = self.keys
            conn.exec_driver_sql(self.sql, [tuple([row.get(k) for k in keys]) for row in rows])


class BatchWriter:
    # Above this many queued attempts (or cases) a batch is written at once instead of waiting
    # for the timer, so a fast run never holds more than this in memory.
    max_pending = 2000

    def __init__(self, engine: Engine, *, flush_interval: float = 0.1) -> None:
        self._engine = engine
        self.flush_interval = flush_interval
        self._cases: list[dict[str, Any]] = []
        self._attempts: list[dict[str, Any]] = []
        self._scores: list[dict[str, Any]] = []
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

    def add_case(self, row: dict[str, Any]) -> None:
        self._cases.append(row)
        if len(self._cases) >= self.max_pending:
            self.flush()

    def add_attempt(self, row: dict[str, Any], score_rows: list[dict[str, Any]]) -> None:
        self._attempts.append(row)
        self._scores.extend(score_rows)
        if len(self._attempts) >= self.max_pending:
            self.flush()

    def add_cache(self, row: dict[str, Any]) -> None:
        self._cache.append(row)

    def flush(self) -> None:
        """Write everything queued so far, in one transaction (attempts with their scores)."""
        batch = {
            "cases": self._cases,
            "attempts": self._attempts,
            "scores": self._scores,
            "cache": self._cache,
        }
        if not any(batch.values()):
            return
        self._cases, self._attempts, self._scores, self._cache = [], [], [], []
        try:
            with self._engine.begin() as conn:
                for name in ("cases", "attempts", "scores", "cache"):
                    rows = batch[name]
                    if rows:
                        self._statements[name].execute(conn, rows)
        except BaseException as exc:
            self.error = exc
            raise
        self.written_attempts += len(batch["attempts"])

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
