"""`GET /api/budget`: the month's spend against the server's budget, and its alerts.

The same `BudgetView` as the overview's budget block (server/budget_watch.py),
so a script polling the JSON sees what the dashboard shows; like a view of the
overview, reading the current month is also a budget check.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from benchlab.analysis.spend import Usd
from benchlab.server.deps import BudgetDep
from benchlab.server.errors import error_responses
from benchlab.server.query_params import BAD_MONTH, Month

__all__ = ["Budget", "BudgetAlertOut", "router"]

router = APIRouter(prefix="/api", tags=["read"])


class BudgetAlertOut(BaseModel):
    # read straight off the stored alert (store/budget_alerts.BudgetAlert), field by field
    model_config = ConfigDict(from_attributes=True)

    threshold_pct: int
    budget_usd: Usd
    spent_usd: Usd = Field(description="the month's spend when the threshold was crossed")
    raised_at: float = Field(description="epoch seconds")
    delivered_at: float | None = Field(description="when the webhook took the notice")
    tries: int
    last_error: str | None


class Budget(BaseModel):
    """A month's spend against the monthly budget (null fields: no budget set)."""

    month: str = Field(description="YYYY-MM, UTC")
    configured: bool = Field(description="whether the server has a monthly budget")
    budget_usd: Usd | None
    spent_usd: Usd = Field(description="known spend; a lower bound when spent_known is false")
    spent_known: bool
    used_pct: float | None
    remaining_usd: Usd | None
    thresholds: list[int] = Field(description="alert thresholds, percent of the budget")
    crossed: list[int]
    over: bool
    line: str
    webhook: bool = Field(description="whether alerts are POSTed to a webhook")
    alerts: list[BudgetAlertOut]


@router.get(
    "/budget",
    response_model=Budget,
    responses=error_responses(BAD_MONTH),
)
def budget(watch: BudgetDep, month: Month = None) -> Budget:
    """Spend against the monthly budget (`benchlab serve --budget USD`) and the alerts raised."""
    view = watch.view(month)
    st = view.status
    spend = view.spend
    return Budget(
        month=spend.month,
        configured=st is not None,
        budget_usd=None if st is None else st["budget_usd"],
        spent_usd=spend.known_usd,
        spent_known=spend.total_usd is not None,
        used_pct=None if st is None else st["used_pct"],
        remaining_usd=None if st is None else st["remaining_usd"],
        thresholds=[] if st is None else st["thresholds"],
        crossed=[] if st is None else st["crossed"],
        over=False if st is None else st["over"],
        line=spend.line if st is None else st["line"],
        webhook=view.webhook,
        alerts=[BudgetAlertOut.model_validate(a) for a in view.alerts],
    )
