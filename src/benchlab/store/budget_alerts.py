"""The budget alerts a month raised, and whether each reached the webhook.

A row per (month, threshold percent) is written the first time the month's
spend crosses that threshold; it keeps the alert on the dashboard and, with
`delivered_at`, makes the webhook notice go out once: a server restarted
after a notice was sent does not send it again, and one whose receiver was
down tries again at the next check (`tries` and `last_error` say how it went).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from benchlab.store.schema import budget_alerts
from benchlab.store.store import Store

__all__ = ["BudgetAlert", "mark_delivered", "mark_failed", "month_alerts", "raise_alert"]


@dataclass(frozen=True, slots=True)
class BudgetAlert:
    month: str
    threshold_pct: int
    budget_usd: float
    spent_usd: float  # what the month had spent when the threshold was crossed
    raised_at: float
    delivered_at: float | None
    tries: int
    last_error: str | None


def month_alerts(store: Store, month: str) -> list[BudgetAlert]:
    """The month's alerts, lowest threshold first."""
    b = budget_alerts.c
    query = select(budget_alerts).where(b.month == month).order_by(b.threshold_pct)
    with store.engine.connect() as conn:
        return [BudgetAlert(*row) for row in conn.execute(query)]


def raise_alert(
    store: Store, month: str, threshold_pct: int, budget_usd: float, spent_usd: float, now: float
) -> bool:
    """Record that `month` crossed `threshold_pct`; False when it was recorded already
    (by this process or another one sharing the database)."""
    row = {
        "month": month,
        "threshold_pct": threshold_pct,
        "budget_usd": budget_usd,
        "spent_usd": spent_usd,
        "raised_at": now,
        "delivered_at": None,
        "tries": 0,
        "last_error": None,
    }
    try:
        with store.engine.begin() as conn:
            conn.execute(insert(budget_alerts).values(**row))
    except IntegrityError:
        return False
    return True


def _key(month: str, threshold_pct: int) -> ColumnElement[bool]:
    b = budget_alerts.c
    return and_(b.month == month, b.threshold_pct == threshold_pct)


def mark_delivered(store: Store, month: str, threshold_pct: int, now: float) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            update(budget_alerts)
            .where(_key(month, threshold_pct))
            .values(delivered_at=now, tries=budget_alerts.c.tries + 1, last_error=None)
        )


def mark_failed(store: Store, month: str, threshold_pct: int, error: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            update(budget_alerts)
            .where(_key(month, threshold_pct))
            .values(tries=budget_alerts.c.tries + 1, last_error=error[:500])
        )
