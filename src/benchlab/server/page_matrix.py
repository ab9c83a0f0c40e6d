"""The `/matrix` page: cases as rows, the models of one or more runs as columns.

Rendered on the server from `analysis.matrix_view.results_matrix` (the same
call as `GET /api/matrix`), so the table, its filters, sorting, search and
paging all work as plain links and a GET form without JavaScript. Answers
are rendered as safe markdown with code highlighted (server/markdown.py);
static/matrix.js only opens a cell's attempt in the run page's panel
(static/run.js, which this page loads unchanged).
"""

from __future__ import annotations

from typing import Any, get_args

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from benchlab.analysis.matrix_view import ResultsMatrix, Show, results_matrix
from benchlab.errors import NotFound, UserError, api_text
from benchlab.server.api_matrix import split_list
from benchlab.server.deps import StoreDep
from benchlab.server.errors import redact
from benchlab.server.markdown import render_markdown
from benchlab.server.rendering import failure, int_param, qs, render, text_param
from benchlab.store import queries

__all__ = ["FOLD_CHARS", "PAGE", "router"]

router = APIRouter(include_in_schema=False)
PAGE = 50
FOLD_CHARS = 240  # answers longer than this (or of many lines) are folded in their cell
SHOWS: tuple[str, ...] = get_args(Show)


def _folded(text: str | None) -> bool:
    return bool(text) and (len(text or "") > FOLD_CHARS or (text or "").count("\n") > 5)


def _preview(text: str | None) -> str:
    first = " ".join((text or "").split())
    return first[:100] + ("…" if len(first) > 100 else "")


@router.get("/matrix", response_class=HTMLResponse)
def matrix_page(request: Request, store: StoreDep) -> HTMLResponse:
    run_ids = split_list(request.query_params.getlist("runs"))[:8]
    show_raw = text_param(request, "show") or "all"
    sort_raw = text_param(request, "sort") or "case"
    params: dict[str, Any] = {
        "runs": ",".join(run_ids) or None,
        "models": text_param(request, "models"),
        "suite": text_param(request, "suite"),
        "show": show_raw if show_raw in SHOWS else "all",
        "sort": sort_raw,
        "desc": "1" if text_param(request, "desc") in ("1", "true") else None,
        "q": text_param(request, "q"),
    }
    recent = queries.runs_page(store, limit=100).items
    matrix: ResultsMatrix | None = None
    error = None
    if run_ids:
        try:
            matrix = results_matrix(
                store,
                run_ids,
                models=split_list(params["models"]) or None,
                suite=params["suite"],
                show=params["show"],
                sort=params["sort"],
                desc=params["desc"] is not None,
                q=params["q"],
                limit=PAGE,
                offset=int_param(request, "offset"),
            )
        except NotFound as exc:
            return failure(request, exc)
        except UserError as exc:  # drawn as asked is impossible: say why above the form
            error = redact(request, api_text(exc))
    return render(
        request,
        "matrix.html",
        400 if error else 200,
        nav="matrix",
        matrix=matrix,
        error=error,
        recent=recent,
        chosen=matrix.runs if matrix else run_ids,
        params=params,
        shows=SHOWS,
        qs=lambda **kw: qs(params, **kw),
        markdown=render_markdown,
        folded=_folded,
        preview=_preview,
    )
