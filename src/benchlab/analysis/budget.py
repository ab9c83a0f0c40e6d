"""A month's spend against a monthly budget: how much is used and which thresholds it crossed.

`benchlab spend --budget`, the server's budget alerts and the overview's budget
block all call `budget_status` on `monthly_spend`'s figures, so the terminal
and the dashboard say the same. When some price is unknown the known spend is
a lower bound: a threshold it crosses is crossed for sure, and the words say
"at least".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from benchlab.errors import ConfigError
from benchlab.format import money

if TYPE_CHECKING:
    from benchlab.analysis.spend import SpendFigures

__all__ = ["DEFAULT_THRESHOLDS", "budget_line", "budget_status", "check_budget", "check_thresholds"]

DEFAULT_THRESHOLDS = (80, 100)  # percent of the budget that raise an alert


def check_budget(budget_usd: float, *, flag: str = "--budget") -> float:
    if not math.isfinite(budget_usd) or budget_usd <= 0:
        raise ConfigError(f"{flag} {budget_usd:g}: expected a positive amount of US dollars")
    return float(budget_usd)


def check_thresholds(values: Iterable[int], *, flag: str = "--budget-threshold") -> list[int]:
    """Percentages of the budget, each 1-1000, sorted and without repeats."""
    out = sorted(set(values))
    for value in out:
        if not 1 <= value <= 1000:
            raise ConfigError(f"{flag} {value}: expected a percentage from 1 to 1000")
    return out or list(DEFAULT_THRESHOLDS)


def budget_status(
    spend: SpendFigures, budget_usd: float, thresholds: Iterable[int] = DEFAULT_THRESHOLDS
) -> dict[str, Any]:
    """The month of `spend` (`monthly_spend`'s figures) against `budget_usd`."""
    spent = float(spend.known_usd)
    known = spend.total_usd is not None
    levels = sorted(set(thresholds))
    status = {
        "month": spend.month,
        "budget_usd": budget_usd,
        "spent_usd": spent,
        "spent_known": known,
        "used_pct": 100.0 * spent / budget_usd,
        "remaining_usd": max(0.0, budget_usd - spent),
        "thresholds": levels,
        "crossed": [t for t in levels if spent >= budget_usd * t / 100.0],
        "over": spent > budget_usd,
    }
    return {**status, "line": budget_line(status)}


def budget_line(status: dict[str, Any]) -> str:
    spent = money(status["spent_usd"])
    if not status["spent_known"]:
        spent = f"at least {spent} (some prices unknown)"
    head = (
        f"budget {status['month']}: {spent} of {money(status['budget_usd'])} "
        f"({status['used_pct']:.0f}%)"
    )
    if status["over"]:
        over = status["spent_usd"] - status["budget_usd"]
        return f"{head}: OVER BUDGET by {money(over)}"
    if status["crossed"]:
        return f"{head}: past the {status['crossed'][-1]}% alert threshold"
    return f"{head}: {money(status['remaining_usd'])} left"
