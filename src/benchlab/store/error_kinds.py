"""A run's errored attempts grouped by model and kind, each with its first message.

What a user needs to act on errors is how many of each kind and one example
of what went wrong (the first, which is usually the clearest: later ones are
often the same failure repeated). One GROUP BY, then one small lookup per
group, so a run with a million errors costs no more than one with three.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select

from benchlab.store.schema import attempts
from benchlab.store.store import Store


@dataclass(slots=True)
class ErrorKind:
    model: str
    kind: str
    count: int
    first_message: str


def error_kinds(store: Store, run_id: str) -> list[ErrorKind]:
    """Per (model, kind): how many attempts errored and the first one's message."""
    a = attempts.c
    errored = and_(a.run_id == run_id, a.status == "error")
    groups = (
        select(a.model, a.error_type, func.count(), func.min(a.finished_at))
        .where(errored)
        .group_by(a.model, a.error_type)
        .order_by(a.model, a.error_type)
    )
    out: list[ErrorKind] = []
    with store.engine.connect() as conn:
        for model, kind, count, first_at in conn.execute(groups).all():
            kind_match = a.error_type.is_(None) if kind is None else a.error_type == kind
            first = (
                select(a.error_message)
                .where(and_(errored, a.model == model, kind_match, a.finished_at == first_at))
                .limit(1)
            )
            message = conn.execute(first).scalar()
            out.append(ErrorKind(model, kind or "unknown", int(count), message or ""))
    return out


def by_kind(rows: list[ErrorKind]) -> dict[str, dict[str, Any]]:
    """{kind: {"count": n, "first_message": "..."}} over these rows (models merged)."""
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        found = out.get(row.kind)
        if found is None:
            out[row.kind] = {"count": row.count, "first_message": row.first_message}
        else:
            found["count"] += row.count
    return dict(sorted(out.items()))
