"""The JSON API's query parameters that several routes share, with the errors they document.

A parameter that means the same on two routes (a page, a month, a set of tags) is
declared once here, so its bounds, its schema and the 400 it documents cannot drift
apart between route modules (api_read.py, api_budget.py, labels.py).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import Depends, Query
from pydantic import BeforeValidator, StringConstraints, WithJsonSchema

from benchlab.server.whitespace import PY_SPACE
from benchlab.store import queries

__all__ = [
    "BAD_MONTH",
    "BAD_TAG",
    "NO_RUN",
    "AttemptFilters",
    "Limit",
    "Month",
    "Offset",
    "Tags",
    "Text",
    "When",
    "epoch",
]

Limit = Annotated[int, Query(ge=1, le=queries.MAX_PAGE, description="page size")]
Offset = Annotated[int, Query(ge=0, le=2**31, description="rows to skip")]
Text = Annotated[str | None, Query(max_length=300)]

# The schema says what the handlers accept; the handlers check it themselves (400, with
# their own message), so these only document: KEY=VALUE with a key that is not blank,
# and a calendar month within a sensible range.
# "Blank" is Python's `str.strip`, which the handlers use (server/whitespace.py).
TagText = Annotated[
    str,
    WithJsonSchema(
        {"type": "string", "pattern": rf"^[^=\x00]*[^=\x00{PY_SPACE}][^=\x00]*=[^\x00]*$"}
    ),
]
MonthText = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-\d{2}$"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^(?:19[7-9][0-9]|2[0-9]{3})-(?:0[1-9]|1[0-2])$"}
    ),
]
Tags = Annotated[list[TagText], Query(max_length=20, description="KEY=VALUE, repeatable")]
Month = Annotated[MonthText | None, Query(description="YYYY-MM, UTC (default: now)")]

_NUMBER = re.compile(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*")


def _no_number(value: object) -> object:
    """The schema says an ISO 8601 date-time; pydantic alone would also read `until=0.5` as
    half a second after 1970 and answer an empty page, which looks like "no runs"."""
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        raise ValueError("expected an ISO 8601 date-time such as 2026-12-01T00:00:00Z")
    return value


When = Annotated[
    datetime | None,
    BeforeValidator(_no_number),
    Query(description="ISO 8601 date-time (UTC when it names no zone)"),
]

# The errors a route taking these documents (`error_responses({**NO_RUN, **BAD_TAG})`).
NO_RUN = {404: "no run with that id (or unique prefix)"}
BAD_TAG = {400: "a `tag` is not KEY=VALUE"}
BAD_MONTH = {400: "`month` is no calendar month"}


def epoch(value: datetime | None) -> float | None:
    """A query datetime as epoch seconds; one without a zone is taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def _attempt_filter(
    model: Text = None,
    suite: Text = None,
    case: Text = None,
    category: Text = None,
    passed: bool | None = None,
    status: Literal["ok", "error"] | None = None,
    error_type: Text = None,
    q: Text = None,
) -> queries.AttemptFilter:
    """The attempt filters as query parameters (`case` is the case id)."""
    return queries.AttemptFilter(model, suite, case, category, passed, status, error_type, q)


# A route's attempt filters, as one typed value (`where: AttemptFilters`).
AttemptFilters = Annotated[queries.AttemptFilter, Depends(_attempt_filter)]
