"""The reviewed cases of a production suite: `/review/{suite}/reviewed`.

The queue (page_review.py) shows what is left to decide; this view shows what
was decided (accepted, rejected, or accepted with an edited reference) with
who and when and every earlier verdict, filtered by decision and tag, and
lets a reviewer change a decision, or reopen a case so that it goes back into
the queue, with the queue's keys. It reads and writes through the queue's API
(`GET /api/review/{suite}?decision=&tag=`, `POST /api/review/{suite}`), so the
version check, the lock and the history of verdicts are the same.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from benchlab.errors import UserError
from benchlab.server.deps import SettingsDep
from benchlab.server.labels import labeling_enabled
from benchlab.server.page_review import get_queue
from benchlab.server.rendering import failure, render

__all__ = ["DECISIONS", "router"]

router = APIRouter(include_in_schema=False)

# The filter's choices (values of page_review.Decision), first the default: every decided case.
DECISIONS = (
    ("reviewed", "accepted or rejected"),
    ("accepted", "accepted"),
    ("rejected", "rejected"),
    ("edited", "reference edited"),
)


@router.get("/review/{suite}/reviewed", response_class=HTMLResponse)
def reviewed_page(request: Request, suite: str, settings: SettingsDep) -> HTMLResponse:
    """The page; its script asks the API for the cases. A filter value it does not know (a
    hand-edited link) falls back to the default rather than an error page."""
    try:
        queue = get_queue(settings, suite)
    except UserError as exc:
        return failure(request, exc)
    decision = request.query_params.get("decision", "")
    tag = request.query_params.get("tag", "")
    return render(
        request,
        "reviewed.html",
        nav="review",
        suite=queue,
        decisions=DECISIONS,
        decision=decision if decision in dict(DECISIONS) else DECISIONS[0][0],
        tags=queue.tags,
        tag=tag if tag in queue.tags else "",
        enabled=labeling_enabled(settings),
    )
