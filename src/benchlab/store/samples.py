"""Production samples in the store: adding them without duplicates, reading them back.

A sample's key is its content hash (computed by `benchlab.samples`), so an
import that runs twice, or two files holding the same sample, keep one row.
Which of a batch's samples are new is decided by asking for the hashes that
already exist before an insert that skips existing keys: the count stays
exact on every database (a driver's rowcount after an executemany is not),
and two importers racing on the same sample still leave one row.

A batch is one transaction, not one per chunk: with a random key (the hash)
every commit rewrites most of the key index's pages into SQLite's WAL, so
commits, not rows, were most of an import's time. On SQLite the rows go
to the driver's `executemany` as tuples of a fixed statement: SQLAlchemy's
per-row parameter processing cost as much as the insert itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from benchlab.store.schema import samples
from benchlab.store.writer import insert_ignoring_duplicates

if TYPE_CHECKING:
    from benchlab.store.store import Store

__all__ = ["SAMPLE_COLUMNS", "add_samples", "count_samples", "iter_samples"]

# The columns a sample row carries, in the table's order.
SAMPLE_COLUMNS: tuple[str, ...] = tuple(c.name for c in samples.columns)
_CHUNK = 500  # hashes per IN (...) list: far below every driver's bound-parameter limit
# The same statement as insert_ignoring_duplicates' on SQLite, in the driver's own terms.
_SQLITE_INSERT = (
    f"INSERT INTO samples ({', '.join(SAMPLE_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(SAMPLE_COLUMNS))}) ON CONFLICT DO NOTHING"
)


def add_samples(store: Store, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert the rows whose hash is not stored yet; return how many were new.

    Rows repeated within `rows` count once. The whole call is one transaction.
    """
    added = 0
    with store.engine.begin() as conn:
        for start in range(0, len(rows), _CHUNK):
            chunk = {row["hash"]: row for row in rows[start : start + _CHUNK]}
            known = set(
                conn.execute(select(samples.c.hash).where(samples.c.hash.in_(list(chunk))))
                .scalars()
                .all()
            )
            new = [row for key, row in chunk.items() if key not in known]
            if new:
                _insert(store, conn, new)
            added += len(new)
    return added


def _insert(store: Store, conn: Connection, rows: list[Mapping[str, Any]]) -> None:
    if store.engine.dialect.name == "sqlite":
        conn.exec_driver_sql(
            _SQLITE_INSERT, [tuple(row.get(c) for c in SAMPLE_COLUMNS) for row in rows]
        )
    else:
        conn.execute(insert_ignoring_duplicates(store.engine, samples), [dict(r) for r in rows])


def count_samples(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(samples)).scalar_one())


def iter_samples(store: Store, columns: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every stored sample as a dict of its columns (or only `columns`: reading a million
    inputs without their outputs is twice as fast), oldest first (no timestamp: last)."""
    chosen = [samples.c[name] for name in columns] if columns else [samples]
    query = select(*chosen).order_by(samples.c.timestamp.is_(None), samples.c.timestamp)
    with store.engine.connect() as conn:
        for row in conn.execution_options(yield_per=1000).execute(query).mappings():
            yield dict(row)
