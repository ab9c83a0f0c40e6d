"""Production samples in the store: adding them without duplicates, reading them back.

A sample's key is its content hash (computed by `benchlab.samples`), so an
import that runs twice, or two files holding the same sample, keep one row.
Which of a batch's samples are new is decided by asking for the hashes that
already exist before an insert that skips existing keys: the count stays
exact on every database (a driver's rowcount after an executemany is not),
and two importers racing on the same sample still leave one row.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from benchlab.store.schema import samples
from benchlab.store.writer import insert_ignoring_duplicates

if TYPE_CHECKING:
    from benchlab.store.store import Store

__all__ = ["SAMPLE_COLUMNS", "add_samples", "count_samples", "iter_samples"]

# The columns a sample row carries, in the table's order.
SAMPLE_COLUMNS: tuple[str, ...] = tuple(c.name for c in samples.columns)
_CHUNK = 500  # hashes per IN (...) list: far below every driver's bound-parameter limit


def add_samples(store: Store, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert the rows whose hash is not stored yet; return how many were new.

    Rows repeated within `rows` count once. Each chunk is one transaction.
    """
    added = 0
    for start in range(0, len(rows), _CHUNK):
        chunk = {row["hash"]: row for row in rows[start : start + _CHUNK]}
        with store.engine.begin() as conn:
            known = set(
                conn.execute(select(samples.c.hash).where(samples.c.hash.in_(list(chunk))))
                .scalars()
                .all()
            )
            new = [dict(row) for key, row in chunk.items() if key not in known]
            if new:
                conn.execute(insert_ignoring_duplicates(store.engine, samples), new)
        added += len(new)
    return added


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
