"""Production samples in the store: adding them without duplicates, reading them back.

A sample's key is its content hash (computed by `benchlab.samples`), so an
import that runs twice, or two files holding the same sample, keep one row.
Every insert skips existing keys, so two importers racing on the same
sample still leave one row; how many of a batch's samples were new is exact
on every database (below: SQLite's own count; elsewhere the hashes already
stored are looked up first, as a driver's rowcount after an executemany is
not to be trusted).

Rows go through a `SampleWriter`: one connection whose transaction is
committed every COMMIT_ROWS rows, not per call. With a random key (the
hash) a commit writes most of the key index's pages to SQLite's WAL again
(and a checkpoint copies them into the file), so the number of commits, not
of rows, set most of an import's cost: a million rows in transactions of
10,000 wrote 6.6 GB for a 0.6 GB file; in transactions of 100,000, 2.0 GB
(bench/README.md). A kill loses the transaction in flight, which a rerun
adds, as it skips everything before. On SQLite the rows go to the driver's
`executemany` as tuples of a fixed statement (SQLAlchemy's per-row
parameter processing cost as much as the insert itself), and the count of
new rows is the driver's: sqlite3 sums the rows each execution changed, and
a row skipped by `ON CONFLICT DO NOTHING` changed none, so the lookup of
known hashes (a second walk of the key index per row) is not needed there.
The key index of a million samples (~80 MB) outgrows SQLite's default 2 MB
page cache, and every insert then read its page back from the OS: the
writer's connection gets a larger cache (CACHE_MB, a fixed bound), and is
closed, not pooled, when the writer is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from benchlab.store.schema import samples
from benchlab.store.writer import insert_ignoring_duplicates

if TYPE_CHECKING:
    from benchlab.store.store import Store

__all__ = [
    "CACHE_MB",
    "COMMIT_ROWS",
    "SAMPLE_COLUMNS",
    "SampleWriter",
    "add_samples",
    "count_samples",
    "iter_samples",
]

# The columns a sample row carries, in the table's order.
SAMPLE_COLUMNS: tuple[str, ...] = tuple(c.name for c in samples.columns)
_CHUNK = 500  # hashes per IN (...) list: far below every driver's bound-parameter limit
CACHE_MB = 64  # SQLite page cache of a writer's connection (see the module's docstring)
COMMIT_ROWS = 100_000  # rows per transaction of a writer (see the module's docstring)


def add_samples(store: Store, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert the rows whose hash is not stored yet; return how many were new.

    Rows repeated within `rows` count once, and the first copy is the one stored. The
    whole call is one transaction.
    """
    with SampleWriter(store, SAMPLE_COLUMNS) as writer:
        return writer.add([tuple(row.get(c) for c in SAMPLE_COLUMNS) for row in rows])


class SampleWriter:
    """Sample rows given as value tuples in the order of `columns` (which must include
    `hash`), stored once per hash through one connection, committed every `commit_rows`
    rows and when the writer closes; an error (or a kill) rolls back only the rows since
    the last commit. Use as a context manager."""

    def __init__(
        self, store: Store, columns: Sequence[str], *, commit_rows: int | None = None
    ) -> None:
        self._columns = tuple(columns)
        self._key = self._columns.index("hash")
        self._commit_rows = COMMIT_ROWS if commit_rows is None else commit_rows
        self._uncommitted = 0
        self._engine = store.engine
        self._conn = store.engine.connect()
        self._conn.detach()  # closed for real at the end: its large cache goes with it
        self._sqlite = store.engine.dialect.name == "sqlite"
        if self._sqlite:
            self._conn.exec_driver_sql(f"PRAGMA cache_size=-{CACHE_MB * 1024}")
            self._statement = (
                f"INSERT INTO samples ({', '.join(self._columns)}) "
                f"VALUES ({', '.join('?' * len(self._columns))}) ON CONFLICT DO NOTHING"
            )

    def __enter__(self) -> SampleWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self._conn.commit()
        else:
            self._conn.rollback()
        self._conn.close()

    def add(self, rows: Sequence[Sequence[Any]]) -> int:
        """Insert the rows whose hash is not stored yet (nor earlier in `rows`); how many
        were new."""
        added = self._insert(rows) if rows else 0
        self._uncommitted += len(rows)
        if self._uncommitted >= self._commit_rows:
            self._conn.commit()  # the next statement begins the next transaction
            self._uncommitted = 0
        return added

    def _insert(self, rows: Sequence[Sequence[Any]]) -> int:
        if self._sqlite:
            return int(self._conn.exec_driver_sql(self._statement, list(rows)).rowcount)
        added = 0
        for start in range(0, len(rows), _CHUNK):
            chunk: dict[str, Sequence[Any]] = {}
            for row in rows[start : start + _CHUNK]:
                chunk.setdefault(row[self._key], row)
            known = set(
                self._conn.execute(select(samples.c.hash).where(samples.c.hash.in_(list(chunk))))
                .scalars()
                .all()
            )
            new = [
                dict(zip(self._columns, row, strict=True))
                for key, row in chunk.items()
                if key not in known
            ]
            if new:
                self._conn.execute(insert_ignoring_duplicates(self._engine, samples), new)
            added += len(new)
        return added


def count_samples(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(samples)).scalar_one())


def iter_samples(store: Store, columns: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every stored sample as a dict of its columns (or only `columns`: reading a million
    inputs without their outputs is twice as fast), oldest first (no timestamp: last)."""
    names = list(columns) if columns else list(SAMPLE_COLUMNS)
    query = select(*(samples.c[name] for name in names)).order_by(
        samples.c.timestamp.is_(None), samples.c.timestamp
    )
    with store.engine.connect() as conn:
        # dict(zip(...)) of the plain rows: half the cost of SQLAlchemy's row mappings
        for row in conn.execution_options(yield_per=1000).execute(query):
            yield dict(zip(names, row, strict=True))
