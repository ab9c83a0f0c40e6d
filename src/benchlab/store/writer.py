"""Batched, crash-safe persistence of finished attempts.

The engine hands rows to `BatchWriter` without waiting; a background thread
writes whatever has accumulated every `flush_interval` seconds (100 ms by
default) in one transaction with `executemany`. A `kill -9` therefore loses at
most the attempts in flight plus those finished in the last interval — and
`resume` redoes exactly those, because the unique attempt key makes every
insert idempotent.

A thread (not the event loop) does the writing so that SQLite's fsyncs and
SQLAlchemy's statement processing overlap with the network I/O.
"""

from __future__ import annotations

import threading
from collections import deque
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


class BatchWriter:
    def __init__(self, engine: Engine, *, flush_interval: float = 0.1) -> None:
        self._engine = engine
        self._interval = flush_interval
        self._cases: deque[dict[str, Any]] = deque()
        self._attempts: deque[dict[str, Any]] = deque()
        self._scores: deque[dict[str, Any]] = deque()
        self._cache: deque[dict[str, Any]] = deque()
        self._statements = {
            "cases": insert_ignoring_duplicates(engine, cases),
            "attempts": insert_ignoring_duplicates(engine, attempts),
            "scores": insert_ignoring_duplicates(engine, scores),
            "cache": insert_ignoring_duplicates(engine, response_cache),
        }
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._flushed = threading.Condition()
        self._pending_flush = 0
        self.error: BaseException | None = None
        self.written_attempts = 0
        self._thread = threading.Thread(target=self._loop, name="benchlab-writer", daemon=True)
        self._thread.start()

    # deque.append is atomic under the GIL: callers never take a lock.
    def add_case(self, row: dict[str, Any]) -> None:
        self._cases.append(row)

    def add_attempt(self, row: dict[str, Any], score_rows: list[dict[str, Any]]) -> None:
        # Scores first: a flush that sees the attempt must also see its scores.
        self._scores.extend(score_rows)
        self._attempts.append(row)

    def add_cache(self, row: dict[str, Any]) -> None:
        self._cache.append(row)

    def _drain(self, queue: deque[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        pop = queue.popleft
        for _ in range(len(queue)):
            out.append(pop())
        return out

    def _write_once(self) -> None:
        # Attempts are drained before scores so that every drained attempt's scores are
        # already queued (add_attempt queues scores first).
        batch_attempts = self._drain(self._attempts)
        batch = {
            "cases": self._drain(self._cases),
            "scores": self._drain(self._scores),
            "cache": self._drain(self._cache),
            "attempts": batch_attempts,
        }
        if not any(batch.values()):
            return
        with self._engine.begin() as conn:
            for name in ("cases", "attempts", "scores", "cache"):
                rows = batch[name]
                if rows:
                    conn.execute(self._statements[name], rows)
        self.written_attempts += len(batch_attempts)

    def _loop(self) -> None:
        while True:
            self._wake.wait(self._interval)
            self._wake.clear()
            stopping = self._stop.is_set()
            with self._flushed:
                requested = self._pending_flush
            try:
                self._write_once()
            except BaseException as exc:  # surfaced to the engine, which fails the run
                self.error = exc
                stopping = True
            with self._flushed:
                self._pending_flush -= requested
                self._flushed.notify_all()
            if stopping:
                return

    def flush(self, timeout: float = 60.0) -> None:
        """Block until everything queued so far is written (or the writer failed)."""
        if not self._thread.is_alive():
            if self.error is None:
                self._write_once()
            return
        with self._flushed:
            self._pending_flush += 1
            self._wake.set()
            self._flushed.wait_for(
                lambda: self._pending_flush <= 0 or not self._thread.is_alive(), timeout=timeout
            )

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join()
        if self.error is None:
            self._write_once()
