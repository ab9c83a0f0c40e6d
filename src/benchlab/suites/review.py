"""Which cases of a suite that needs review a run may ask: accepted ones, by default.

A suite built from production samples (`benchlab samples build`) holds the
production outputs as candidate references, which may be wrong (that is often
why a sample was chosen). Its header says `metadata.review_required: true`
and each case says `metadata.review`: `unreviewed` (as built), `accepted`,
`rejected` (or a mapping `{status: ..., by: ..., at: ...}` when a reviewer
is recorded). A run asks only accepted cases unless `--include-unreviewed`
adds the unreviewed ones; rejected cases are never asked. Any other suite is
not concerned and costs nothing: its cases are not read here.
"""

from __future__ import annotations

from typing import Any

from benchlab.domain import Case
from benchlab.errors import SuiteError
from benchlab.suites.loader import LoadedSuite

__all__ = [
    "ACCEPTED",
    "REJECTED",
    "REVIEW_REQUIRED",
    "UNREVIEWED",
    "needs_review",
    "review_status",
    "runnable_ids",
]

REVIEW_REQUIRED = "review_required"
ACCEPTED = "accepted"
UNREVIEWED = "unreviewed"
REJECTED = "rejected"


def needs_review(suite: LoadedSuite) -> bool:
    return suite.header.metadata.get(REVIEW_REQUIRED) is True


def review_status(case: Case) -> str:
    """`accepted`, `rejected` or `unreviewed` (anything unknown counts as unreviewed)."""
    value: Any = case.metadata.get("review")
    if isinstance(value, dict):
        value = value.get("status")
    return value if value in (ACCEPTED, REJECTED) else UNREVIEWED


def runnable_ids(suite: LoadedSuite, include_unreviewed: bool) -> set[str] | None:
    """The ids a run may ask, or None when the suite needs no review (every case).

    Raises SuiteError when review leaves nothing to ask, naming the flag.
    """
    if not needs_review(suite):
        return None
    allowed = {ACCEPTED, UNREVIEWED} if include_unreviewed else {ACCEPTED}
    counts = {ACCEPTED: 0, UNREVIEWED: 0, REJECTED: 0}
    runnable: set[str] = set()
    for case in suite.iter_cases():
        status = review_status(case)
        counts[status] += 1
        if status in allowed:
            runnable.add(case.id)
    if not runnable:
        if include_unreviewed:
            raise SuiteError(f"{suite.source}: every case was rejected in review")
        raise SuiteError(
            f"{suite.source}: no reviewed case yet ({counts[UNREVIEWED]} unreviewed, "
            f"{counts[REJECTED]} rejected); accept cases first, or pass --include-unreviewed "
            "to run the unreviewed production outputs as references"
        )
    return runnable
