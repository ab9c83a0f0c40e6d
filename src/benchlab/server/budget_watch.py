"""Budget alerts: the month's spend against the server's budget, checked and notified.

When is it checked: after every run the server itself runs finishes (launched
from the browser or by a schedule: the launcher calls `check` from the run's
own thread), and on every view of the overview (so a run made by `benchlab run`
in another process against the same database is noticed by the next person
who opens the dashboard). Each check is one spend query.

Crossing a threshold (80% and 100% by default) writes a `budget_alerts` row
(store/budget_alerts.py), which the overview shows; when a webhook URL is
configured the notice is POSTed as JSON once per threshold per month: a
Slack incoming webhook reads its `text`, other receivers the fields beside it.
A receiver that is down or answers an error does not fail the page or the
run: the row records the error and the next check tries again. Sending is
synchronous with a short timeout (a hanging receiver delays that one check by
at most WEBHOOK_TIMEOUT_S per pending notice) and one check sends at a time
within a process; two server processes sharing one database could both send a
notice raised in the same instant (the alert row itself is written once).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from benchlab.analysis.budget import budget_status
from benchlab.analysis.spend import MonthlySpend, month_bounds, monthly_spend
from benchlab.format import money
from benchlab.server.settings import Settings
from benchlab.store import Store
from benchlab.store.budget_alerts import (
    BudgetAlert,
    mark_delivered,
    mark_failed,
    month_alerts,
    raise_alert,
)

__all__ = ["BudgetView", "BudgetWatch", "notice", "recent_months"]

log = logging.getLogger("benchlab.server.budget")
WEBHOOK_TIMEOUT_S = 3.0


@dataclass
class BudgetView:
    """What the overview's budget block shows for one month."""

    spend: MonthlySpend
    status: dict[str, Any] | None  # None: no budget configured
    alerts: list[BudgetAlert] = field(default_factory=list)
    webhook: bool = False


def recent_months(count: int = 12, now: datetime | None = None) -> list[str]:
    """This month (UTC) and the `count - 1` before it, newest first: the month selector."""
    label = month_bounds(None, now)[0]
    year, mon = int(label[:4]), int(label[5:])
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{mon:02d}")
        year, mon = (year - 1, 12) if mon == 1 else (year, mon - 1)
    return out


def notice(alert: BudgetAlert, status: dict[str, Any]) -> dict[str, Any]:
    """The JSON a webhook receives: Slack's `text`, and the figures as fields."""
    spent = money(alert.spent_usd)
    if not status["spent_known"]:
        spent = f"at least {spent}"
    text = (
        f"benchlab: spend in {alert.month} reached {alert.threshold_pct}% of the monthly "
        f"budget: {spent} of {money(alert.budget_usd)}"
    )
    return {
        "text": text,
        "event": "budget_threshold",
        "month": alert.month,
        "threshold_pct": alert.threshold_pct,
        "budget_usd": alert.budget_usd,
        "spent_usd": alert.spent_usd,
        "spent_known": status["spent_known"],
        "used_pct": round(100.0 * alert.spent_usd / alert.budget_usd, 2),
    }


class BudgetWatch:
    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self._sending = threading.Lock()

    def view(self, month: str | None = None, *, now: datetime | None = None) -> BudgetView:
        """The month's spend and budget; for the current month (the default) this is a
        check too: new crossings are recorded and pending notices sent."""
        data = monthly_spend(self.store, month, now=now)
        budget = self.settings.budget_usd
        if budget is None:
            return BudgetView(data, None)
        status = budget_status(data, budget, self.settings.budget_thresholds or ())
        if data.month == month_bounds(None, now)[0]:
            self._raise(status, budget)
            self._deliver(data.month, status)
        webhook = self.settings.budget_webhook is not None
        return BudgetView(data, status, month_alerts(self.store, data.month), webhook)

    def check(self) -> None:
        """The check after a run: never raises (a run's end must not fail for an alert)."""
        try:
            self.view()
        except Exception:  # logged: an alert problem must not break a run or a page
            log.exception("budget check failed")

    def _raise(self, status: dict[str, Any], budget: float) -> None:
        now = time.time()
        for pct in status["crossed"]:
            raise_alert(self.store, status["month"], pct, budget, status["spent_usd"], now)

    def _deliver(self, month: str, status: dict[str, Any]) -> None:
        url = self.settings.budget_webhook
        if url is None or not self._sending.acquire(blocking=False):
            return  # no webhook, or another check is sending right now
        try:
            for alert in month_alerts(self.store, month):
                if alert.delivered_at is not None:
                    continue
                error = _post(url, notice(alert, status))
                if error is None:
                    mark_delivered(self.store, month, alert.threshold_pct, time.time())
                else:
                    log.warning("budget webhook: %s (will try again)", error)
                    mark_failed(self.store, month, alert.threshold_pct, error)
        finally:
            self._sending.release()


def _post(url: str, body: dict[str, Any]) -> str | None:
    """POST `body`; None when the receiver took it (2xx), else what went wrong."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "benchlab"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_S) as response:
            response.read(1024)
    except urllib.error.HTTPError as exc:
        return f"the receiver answered {exc.code}"
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"could not reach the receiver ({reason})"
    return None
