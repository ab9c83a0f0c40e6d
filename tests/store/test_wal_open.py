"""Opening a WAL database: a passing "disk I/O error" is tried again, a lasting one raised."""

from __future__ import annotations

import sqlite3

import pytest

from benchlab.store.db import _enter_wal


class _Cursor:
    """A cursor whose first `failures` executes raise `error`."""

    def __init__(self, failures: int, error: str = "disk I/O error") -> None:
        self.failures = failures
        self.error = error
        self.calls = 0

    def execute(self, sql: str) -> None:
        assert sql == "PRAGMA journal_mode=WAL"
        self.calls += 1
        if self.calls <= self.failures:
            raise sqlite3.OperationalError(self.error)


def test_a_passing_io_error_is_tried_again() -> None:
    cur = _Cursor(failures=2)
    _enter_wal(cur)
    assert cur.calls == 3


def test_a_lasting_io_error_is_raised() -> None:
    cur = _Cursor(failures=99)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        _enter_wal(cur, tries=3)
    assert cur.calls == 3


def test_any_other_error_is_raised_at_once() -> None:
    cur = _Cursor(failures=1, error="file is not a database")
    with pytest.raises(sqlite3.OperationalError, match="not a database"):
        _enter_wal(cur)
    assert cur.calls == 1
