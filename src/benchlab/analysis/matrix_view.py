"""The results matrix: cases as rows, the models of one or more runs as columns, each cell
an answer with its verdict and scores; the typed answer of `GET /api/matrix` and the
`/matrix` page.

This is where a reader checks what the summary numbers mean: which cases a model
got wrong, where models disagree, what flipped between a baseline and a
candidate. The store pages and filters it in SQL (`store.matrix_rows`); this
layer resolves runs and models to columns, checks what was asked, and gives the
answer one model. A cell's verdict keeps `error` apart from `fail`: an
infrastructure error is never counted or filtered as a wrong answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from benchlab.analysis.attempt_views import ScoreCell
from benchlab.errors import UserError
from benchlab.store import Store, queries
from benchlab.store.matrix_rows import (
    CELL_CHARS,
    MatrixColumn,
    MatrixQuery,
    matrix_page,
)

__all__ = [
    "MAX_COLUMNS",
    "MAX_RUNS",
    "MatrixCell",
    "MatrixColumnInfo",
    "MatrixRow",
    "ResultsMatrix",
    "Show",
    "Verdict",
    "parse_sort",
    "results_matrix",
]

MAX_RUNS = 8
MAX_COLUMNS = 32
Show = Literal["all", "failures", "errors", "disagreements", "flips"]
Verdict = Literal["pass", "fail", "error", "none"]


class MatrixColumnInfo(BaseModel):
    """One column: a model of a run, with its verdict counts over every case (all pages)."""

    index: int
    run_id: str
    model: str
    passed: int
    failed: int
    errors: int = Field(description="attempts that errored: no verdict, never a failure")
    no_verdict: int = Field(description="answered, but no scorer gave a verdict")


class MatrixCell(BaseModel):
    """One attempt as a cell: its verdict, scores and (the start of) its answer."""

    attempt_id: str = Field(description="the attempt id (a 63-bit integer, as text)")
    verdict: Verdict = Field(description="`error`: the attempt errored (not a wrong answer)")
    output: str | None = Field(description=f"the answer's first {CELL_CHARS} characters")
    output_chars: int = Field(description="the whole answer's length")
    scores: dict[str, ScoreCell] = Field(description="scorer (or `human`) -> value, verdict")
    error_type: str | None
    error_message: str | None = Field(description="its first 300 characters")
    latency_ms: float | None
    cost_usd: float | None


class MatrixRow(BaseModel):
    suite: str
    case_id: str
    cells: list[MatrixCell | None] = Field(
        description="one per column, in column order; null: no attempt there"
    )


class ResultsMatrix(BaseModel):
    """One page of the matrix; `total` counts every row that matches the filter."""

    runs: list[str]
    columns: list[MatrixColumnInfo]
    show: Show
    sort: str = Field(description="`case`, or `verdict:N` / `score:N` for column N")
    desc: bool
    q: str | None
    suite: str | None
    sample: int
    total: int
    limit: int
    offset: int
    rows: list[MatrixRow]


def parse_sort(sort: str, n_columns: int) -> tuple[str, int]:
    """`case`, `verdict:N` or `score:N` as (key, column); `UserError` for anything else."""
    key, _, index = sort.partition(":")
    if key == "case" and not index:
        return "case", 0
    if key in ("verdict", "score") and index.isdigit() and int(index) < n_columns:
        return key, int(index)
    raise UserError(
        f"sort {sort!r}: use case, verdict:N or score:N with N a column (0-{n_columns - 1})"
    )


def results_matrix(
    store: Store,
    runs: Sequence[str],
    *,
    models: Sequence[str] | None = None,
    suite: str | None = None,
    sample: int = 0,
    show: Show = "all",
    sort: str = "case",
    desc: bool = False,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> ResultsMatrix:
    """The matrix of `runs` (ids or unique prefixes): one column per model of each run
    (only `models`, when given). `show=flips` needs exactly two runs and pairs each model
    with itself. `NotFound` for an unknown run; `UserError` for what cannot be drawn."""
    if not runs:
        raise UserError("name at least one run")
    found = [store.get_run(r) for r in runs]
    run_list = list(dict.fromkeys(r.id for r in found))
    if len(run_list) > MAX_RUNS:
        raise UserError(f"at most {MAX_RUNS} runs side by side")
    models_of = {r.id: r.models for r in found}
    wanted = list(dict.fromkeys(models)) if models else None
    if wanted:
        unknown = [m for m in wanted if not any(m in ms for ms in models_of.values())]
        if unknown:
            raise UserError(f"no model {unknown[0]!r} in these runs")
    columns = [
        MatrixColumn(run_id, model)
        for run_id in run_list
        for model in models_of[run_id]
        if wanted is None or model in wanted
    ]
    if len(columns) > MAX_COLUMNS:
        raise UserError(f"{len(columns)} columns: at most {MAX_COLUMNS} (choose models)")
    flip_pairs: list[tuple[int, int]] = []
    if show == "flips":
        if len(run_list) != 2:
            raise UserError("flips are between two runs: name exactly two")
        index = {c: i for i, c in enumerate(columns)}
        flip_pairs = [
            (i, index[MatrixColumn(run_list[1], c.model)])
            for i, c in enumerate(columns)
            if c.run_id == run_list[0] and MatrixColumn(run_list[1], c.model) in index
        ]
        if not flip_pairs:
            raise UserError("the two runs have no model in common: nothing can flip")
    key, sort_column = parse_sort(sort, len(columns))
    limit, offset = max(1, min(limit, queries.MAX_PAGE)), max(0, offset)
    page, counts = matrix_page(
        store,
        MatrixQuery(
            columns=columns,
            suite=suite,
            sample=sample,
            failures=show == "failures",
            errors=show == "errors",
            disagreements=show == "disagreements",
            flip_pairs=flip_pairs,
            q=q,
            sort=key,
            sort_column=sort_column,
            desc=desc,
            limit=limit,
            offset=offset,
        ),
    )
    # One validation of the whole page (pydantic-core walks the nested dicts in one call):
    # a thousand `MatrixCell.model_validate` calls cost more than the page's SQL.
    return ResultsMatrix.model_validate(
        {
            "runs": run_list,
            "columns": [
                {
                    "index": i,
                    "run_id": c.run_id,
                    "model": c.model,
                    "passed": counts[c].get("pass", 0),
                    "failed": counts[c].get("fail", 0),
                    "errors": counts[c].get("error", 0),
                    "no_verdict": counts[c].get("none", 0),
                }
                for i, c in enumerate(columns)
            ],
            "show": show,
            "sort": sort if key != "case" else "case",
            "desc": desc,
            "q": q,
            "suite": suite,
            "sample": sample,
            "total": page.total,
            "limit": page.limit,
            "offset": page.offset,
            "rows": [
                {
                    "suite": row["suite"],
                    "case_id": row["case_id"],
                    "cells": [None if cell is None else _cell(cell) for cell in row["cells"]],
                }
                for row in page.items
            ],
        }
    )


def _cell(cell: dict[str, object]) -> dict[str, object]:
    return {**cell, "attempt_id": str(cell["id"]), "output_chars": cell["output_chars"] or 0}
