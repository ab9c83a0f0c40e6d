"""The factor view of a grid or stance run: `/runs/{id}/factors` and its JSON twin
`/api/runs/{id}/factors`.

Both answer from `analysis.factor_views.factor_view`, which wraps the very calls
`benchlab show --by/--paired-by` makes (`analysis.factors`), so the page, the API
and the command line cannot disagree. The page draws per-level means with their
intervals, the bin mix (stance runs), the paired uplifts and a pivot of two
factors; every chart's numbers are in a table beside it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from benchlab.analysis.factor_views import FactorDocument, factor_view
from benchlab.analysis.factors import parse_pivot
from benchlab.errors import UserError
from benchlab.server import factor_charts
from benchlab.server.deps import StoreDep
from benchlab.server.errors import error_responses
from benchlab.server.rendering import failure, qs, render, text_param

__all__ = ["api_router", "router"]

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["read"])

Factor = Annotated[str | None, Query(max_length=300, description="a factor of the run's grid")]


@api_router.get(
    "/runs/{run_id}/factors",
    response_model=FactorDocument,
    responses=error_responses(
        {
            404: "no run with that id (or unique prefix)",
            400: "the run has no grid, a factor is unknown, or `pass` names no scoring pass",
        }
    ),
)
def get_factors(
    store: StoreDep,
    run_id: str,
    by: Factor = None,
    paired_by: Factor = None,
    pivot: Annotated[
        str | None, Query(max_length=601, description="two factors as ROWS,COLUMNS")
    ] = None,
    score_pass: Annotated[
        str | None,
        Query(
            alias="pass",
            max_length=300,
            description="scoring pass: a number or judge=MODEL (default the latest completed)",
        ),
    ] = None,
) -> FactorDocument:
    """A grid run per level of `by` (mean, t interval, bin mix), paired uplifts between the
    levels of `paired_by` over matched sets, and a pivot of two factors: the numbers of
    `benchlab show RUN --by BY --paired-by PAIRED_BY --json`."""
    return factor_view(
        store,
        run_id,
        by=by,
        paired_by=paired_by,
        pivot=parse_pivot(pivot),
        score_pass=score_pass,
    )


def _charts(doc: FactorDocument) -> list[dict[str, Any]]:
    """Per model, its figures (None where there is nothing to draw)."""
    return [
        {
            "means": factor_charts.means_figure(doc, entry),
            "bins": factor_charts.bins_figure(entry) if doc.sided else None,
            "uplift": factor_charts.uplift_figure(doc, entry),
        }
        for entry in doc.models
    ]


@router.get("/runs/{run_id}/factors", response_class=HTMLResponse)
def factors_page(request: Request, run_id: str, store: StoreDep) -> HTMLResponse:
    params = {k: text_param(request, k) for k in ("by", "paired_by", "pivot", "pass")}
    try:
        run = store.get_run(run_id)
        doc = factor_view(
            store,
            run.id,
            by=params["by"],
            paired_by=params["paired_by"],
            pivot=parse_pivot(params["pivot"]),
            score_pass=params["pass"],
        )
    except UserError as exc:
        return failure(request, exc)
    return render(
        request,
        "factors.html",
        nav="runs",
        run=run,
        doc=doc.model_dump(mode="json"),
        charts=_charts(doc),
        params=params,
        qs=lambda **kw: qs(params, **kw),
    )
