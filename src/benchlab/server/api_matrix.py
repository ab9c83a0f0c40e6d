"""`GET /api/matrix`: the results matrix (analysis/matrix_view.py) as JSON.

In its own module beside api_read.py, in the same style: parse and bound the
parameters, call one library function whose typed answer is the
`response_model`, and document every error status it answers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from benchlab.analysis.matrix_view import ResultsMatrix, Show, results_matrix
from benchlab.server.deps import StoreDep
from benchlab.server.errors import error_responses
from benchlab.store import queries

__all__ = ["router", "split_list"]

router = APIRouter(prefix="/api", tags=["read"])


def split_list(values: list[str] | str | None) -> list[str]:
    """`a,b` and repeated parameters alike, as one list without blanks."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@router.get(
    "/matrix",
    response_model=ResultsMatrix,
    responses=error_responses(
        {
            404: "no run with one of those ids (or unique prefixes)",
            400: "the matrix cannot be drawn as asked: no run, too many runs or columns, "
            "a model in none of the runs, `flips` without exactly two runs (or no model in "
            "common), or `sort` naming no column",
        }
    ),
)
def matrix(
    store: StoreDep,
    runs: Annotated[
        str, Query(min_length=1, max_length=600, description="run ids (or prefixes), a,b,...")
    ],
    models: Annotated[
        str | None, Query(max_length=2000, description="only these models: a,b,...")
    ] = None,
    suite: Annotated[str | None, Query(max_length=300)] = None,
    sample: Annotated[int, Query(ge=0, le=10_000, description="which sample of each case")] = 0,
    show: Annotated[Show, Query(description="which rows")] = "all",
    sort: Annotated[
        str,
        Query(
            max_length=20,
            pattern=r"^(case|verdict:\d{1,2}|score:\d{1,2})$",
            description="`case`, or `verdict:N` / `score:N` for column N",
        ),
    ] = "case",
    desc: bool = False,
    q: Annotated[
        str | None, Query(max_length=300, description="in case ids and answers (any case)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=queries.MAX_PAGE, description="rows per page")] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31, description="rows to skip")] = 0,
) -> ResultsMatrix:
    """Cases as rows, the models of one or more runs as columns (`run_id`, `model` pairs);
    each cell an answer with its verdict (`error` apart from `fail`), scores and attempt
    id. `show` keeps the rows where a column failed, errored, the judged columns disagree,
    or (two runs) a model's verdict flipped; `q` searches case ids and answers."""
    return results_matrix(
        store,
        split_list(runs),
        models=split_list(models) or None,
        suite=suite or None,
        sample=sample,
        show=show,
        sort=sort,
        desc=desc,
        q=q or None,
        limit=limit,
        offset=offset,
    )
