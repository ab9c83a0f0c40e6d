"""Rates, their differences and money as people read them, spelled once for the CLI,
the server and the reports.

It lives beside `domain` and `errors` at the bottom of the import graph,
because every layer that shows numbers to a person needs it (the engine's
progress line and budget messages, the CLI's tables, the server's pages, the
markdown and HTML reports), and none of them may import the others.

Money: an unknown price is "unknown", never "$0.0000" (a run on an unpriced
model did not cost nothing). Below $1 four decimals, so the cents that a
cheap run costs stay visible; an amount so small that four decimals would
show zeros (one attempt on a cheap model) gets two significant digits
instead; from $1 up, cents and thousands separators.
"""

from __future__ import annotations

import math

UNKNOWN_MONEY = "unknown"


def percent(rate: float | None, *, missing: str = "-") -> str:
    """A rate in [0, 1] as a percentage with one decimal: 0.8333 -> "83.3%"."""
    return missing if rate is None else f"{100 * rate:.1f}%"


def points(delta: float | None, *, missing: str = "-") -> str:
    """A difference of two rates in percentage points, signed: 0.012 -> "+1.2 pp"."""
    return missing if delta is None else f"{100 * delta:+.1f} pp"


def points_interval(ci: list[float] | tuple[float, float] | None, *, missing: str = "-") -> str:
    """An interval of a difference of rates: [-0.01, 0.02] -> "[-1.0, +2.0] pp"."""
    return missing if not ci else f"[{100 * ci[0]:+.1f}, {100 * ci[1]:+.1f}] pp"


def signed(value: float | None, *, missing: str = "-") -> str:
    """A score on a signed scale (a grid's level mean, a paired uplift): 1.2 -> "+1.200"."""
    return missing if value is None else f"{value:+.3f}"


def signed_interval(ci: list[float] | tuple[float, float] | None, *, missing: str = "-") -> str:
    """An interval on that scale: [-0.6, 0.6] -> "[-0.600, +0.600]"."""
    return missing if not ci else f"[{ci[0]:+.3f}, {ci[1]:+.3f}]"


def money(usd: float | None) -> str:
    """US dollars: None -> "unknown", 0.12345 -> "$0.1235", 0.0000123 -> "$0.000012",
    1234.5 -> "$1,234.50"."""
    if usd is None:
        return UNKNOWN_MONEY
    sign, amount = ("-", -usd) if usd < 0 else ("", usd)
    if round(amount, 4) >= 1:  # $0.99996 reads $1.00, not $1.0000
        return f"{sign}${amount:,.2f}"
    if amount == 0 or amount >= 0.00005:  # rounds to at least $0.0001
        return f"{sign}${amount:.4f}"
    decimals = 1 - math.floor(math.log10(amount))  # two significant digits
    return f"{sign}${amount:.{decimals}f}"
