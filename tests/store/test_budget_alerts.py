"""Migration 0010 and the budget_alerts table: one alert per (month, threshold), whichever
process raises it first, with the webhook's delivery recorded, on every database."""

from __future__ import annotations

from benchlab.store import Store
from benchlab.store.budget_alerts import mark_delivered, mark_failed, month_alerts, raise_alert


def test_an_alert_is_raised_once_and_its_delivery_recorded(db_url: str) -> None:
    with Store(db_url) as store:
        assert raise_alert(store, "2026-12", 80, 100.0, 81.5, 1000.0) is True
        assert raise_alert(store, "2026-12", 80, 100.0, 90.0, 2000.0) is False  # kept: first
        assert raise_alert(store, "2026-12", 100, 100.0, 101.0, 3000.0) is True
        assert raise_alert(store, "2026-11", 80, 100.0, 85.0, 500.0) is True
        mark_failed(store, "2026-12", 80, "could not reach the receiver" + "!" * 600)
        mark_delivered(store, "2026-12", 100, 3500.0)
    with Store(db_url) as store:  # what a restarted server reads
        first, second = month_alerts(store, "2026-12")
    assert (first.threshold_pct, first.spent_usd, first.delivered_at, first.tries) == (
        80,
        81.5,
        None,
        1,
    )
    assert first.last_error is not None and len(first.last_error) == 500
    assert (second.threshold_pct, second.delivered_at, second.tries) == (100, 3500.0, 1)
