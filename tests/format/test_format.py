"""One spelling of rates and money everywhere: the CLI, the server and the reports share it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import benchlab
from benchlab.format import money, percent, points, points_interval, signed, signed_interval


@pytest.mark.parametrize(
    ("usd", "shown"),
    [
        (None, "unknown"),  # an unpriced model did not cost nothing
        (0.0, "$0.0000"),
        (0.4990, "$0.4990"),
        (0.12345678, "$0.1235"),
        (0.0000123, "$0.000012"),  # one cheap attempt: not $0.0000
        (0.00004999, "$0.000050"),
        (0.00005, "$0.0001"),
        (0.99996, "$1.00"),  # not $1.0000
        (1.0, "$1.00"),
        (12.344, "$12.34"),
        (1234.5, "$1,234.50"),
        (-0.25, "-$0.2500"),
    ],
)
def test_money(usd: float | None, shown: str) -> None:
    assert money(usd) == shown


def test_percent() -> None:
    assert percent(0.8333) == "83.3%"
    assert percent(1.0) == "100.0%"
    assert percent(0.0) == "0.0%"
    assert percent(None) == "-"
    assert percent(None, missing="\u2013") == "\u2013"


def test_points() -> None:
    assert points(0.012) == "+1.2 pp"
    assert points(-0.05) == "-5.0 pp"
    assert points(None) == "-"
    assert points_interval([-0.01, 0.02]) == "[-1.0, +2.0] pp"
    assert points_interval(None) == "-"


def test_signed_scores() -> None:
    """Grid level means and uplifts (show --by, the factor view) on their signed scale."""
    assert signed(1.2) == "+1.200"
    assert signed(-0.6) == "-0.600"
    assert signed(0.0) == "+0.000"
    assert signed(None) == "-"
    assert signed(None, missing="\u2013") == "\u2013"
    assert signed_interval([-0.6, 0.6]) == "[-0.600, +0.600]"
    assert signed_interval(None) == "-"


def test_no_module_formats_money_or_percentages_by_hand() -> None:
    """The copies this module replaced stay gone: no `$...:.4f`, no `...:+.1f} pp`, and no
    `_pct`/`_usd`/`_pp` helpers."""
    root = Path(benchlab.__file__).parent
    by_hand = re.compile(r"\$\{[^}]*:[,]?\.\d+f\}|:\+\.1f\}\]? pp|def _?(pct|usd|pp)\(|def _cost\(")
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        if path.relative_to(root) != Path("format", "__init__.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if by_hand.search(line)
    ]
    assert not found, found
