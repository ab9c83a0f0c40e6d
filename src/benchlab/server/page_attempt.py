"""One attempt, rendered on the server: as its own page and as the attempt panel's fragment.

`GET /attempts/{id}` is a complete page (a link to share, and the panel's
content without JavaScript); `GET /attempts/{id}/panel` is the same body
alone, which the attempt panel (static/attempt_panel.js) fetches and inserts.
Rendering once, here, keeps every untrusted string on the one escaped path
(Jinja autoescape, `markdown.render_markdown`, Pygments), so the browser never
builds HTML from data.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from benchlab.analysis.attempt_views import MAX_ATTEMPT_ID, attempt_detail
from benchlab.errors import NotFound, UserError
from benchlab.server.attempt_view import attempt_view
from benchlab.server.deps import StoreDep
from benchlab.server.rendering import failure, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _id(raw: str) -> int:
    if not raw.isdigit() or int(raw) > MAX_ATTEMPT_ID:
        raise NotFound(f"no attempt {raw}")
    return int(raw)


@router.get("/attempts/{attempt_id}", response_class=HTMLResponse)
def attempt_page(request: Request, store: StoreDep, attempt_id: str) -> HTMLResponse:
    try:
        view = attempt_view(attempt_detail(store, _id(attempt_id)))
    except UserError as exc:
        return failure(request, exc)
    return render(request, "attempt.html", nav="runs", view=view)


@router.get("/attempts/{attempt_id}/panel", response_class=HTMLResponse)
def attempt_panel(request: Request, store: StoreDep, attempt_id: str) -> HTMLResponse:
    try:
        view = attempt_view(attempt_detail(store, _id(attempt_id)))
    except UserError as exc:
        status = 404 if isinstance(exc, NotFound) else 400
        return render(request, "attempt_missing.html", status, message=str(exc))
    return render(request, "attempt_panel.html", view=view)
