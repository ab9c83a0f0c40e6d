"""Suites that need review: which cases a run may ask, and the message when none."""

from __future__ import annotations

from typing import Any

import pytest

from benchlab.domain import SuiteHeader
from benchlab.errors import SuiteError
from benchlab.suites.loader import LoadedSuite
from benchlab.suites.review import runnable_ids


def _suite(reviews: list[Any], *, required: bool = True) -> LoadedSuite:
    header = SuiteHeader(name="prod", metadata={"review_required": True} if required else {})
    cases = [
        {"id": f"c{i}", "input": "q", "expected": "a", "metadata": {"review": r}}
        if r is not None
        else {"id": f"c{i}", "input": "q", "expected": "a"}
        for i, r in enumerate(reviews)
    ]
    return LoadedSuite.from_cases(header, cases)


def test_accepted_cases_only_unless_unreviewed_ones_are_asked_for() -> None:
    suite = _suite(
        [
            "accepted",
            "unreviewed",
            "rejected",
            {"status": "accepted", "by": "ana", "at": "2026-12-07T03:00:00Z"},
            None,
            "edited?",
        ]
    )
    assert runnable_ids(suite, include_unreviewed=False) == {"c0", "c3"}
    # Unknown statuses and cases without one count as unreviewed; rejected never runs.
    assert runnable_ids(suite, include_unreviewed=True) == {"c0", "c1", "c3", "c4", "c5"}


def test_a_suite_that_needs_no_review_is_not_read() -> None:
    assert runnable_ids(_suite(["rejected"], required=False), include_unreviewed=False) is None


def test_no_reviewed_case_names_the_flag() -> None:
    suite = _suite(["unreviewed", "unreviewed", "rejected"])
    with pytest.raises(SuiteError, match=r"no reviewed case yet \(2 unreviewed, 1 rejected\)") as e:
        runnable_ids(suite, include_unreviewed=False)
    assert "--include-unreviewed" in str(e.value)
    with pytest.raises(SuiteError, match="every case was rejected"):
        runnable_ids(_suite(["rejected"]), include_unreviewed=True)
