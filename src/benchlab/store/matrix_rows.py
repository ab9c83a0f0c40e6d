"""The results matrix in SQL: cases as rows, (run, model) pairs as columns, one page at a time.

A matrix of 10,000 cases by 6 models is 60,000 attempts per run; shipping them
to Python to filter, sort and cut one page would make every page cost the whole
matrix. So the rows are one `GROUP BY suite, case_id` over the chosen runs'
attempts, each column a conditional aggregate of its own attempt's verdict
code (and score, when sorting by it); the filters are `HAVING` clauses on those
codes, the total is a window count over the filtered groups, and only the
page's attempts are read in full afterwards. The same Core expressions run on
SQLite and PostgreSQL.

An errored attempt has its own code (`ERROR`), never `FAIL`: an infrastructure
error is not a wrong answer, so "failures" and "flips" look at judged verdicts
only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from benchlab.store.labels import human_scores
from benchlab.store.pass_view import pass_clause
from benchlab.store.queries import Page
from benchlab.store.schema import attempts, labels, score_passes, scores
from benchlab.store.store import Store

__all__ = [
    "CELL_CHARS",
    "ERROR",
    "FAIL",
    "NONE",
    "PASS",
    "VERDICT_NAMES",
    "Counts",
    "MatrixColumn",
    "MatrixQuery",
    "matrix_page",
]

# Verdict codes, ordered so that sorting by verdict ascending puts failures first.
FAIL, ERROR, NONE, PASS = 0, 1, 2, 3
MISSING = 4  # no attempt in that column (sorts last)
VERDICT_NAMES = {FAIL: "fail", ERROR: "error", NONE: "none", PASS: "pass"}
CELL_CHARS = 4000  # of each answer sent to a cell; the attempt panel has the whole text


Counts = dict[str, int]  # verdict name -> attempts


@dataclass(frozen=True, slots=True)
class MatrixColumn:
    run_id: str
    model: str


@dataclass(slots=True)
class MatrixQuery:
    """What one page of the matrix asks: the columns, which rows, in which order."""

    columns: Sequence[MatrixColumn]
    suite: str | None = None
    sample: int = 0
    failures: bool = False  # a column answered and was judged wrong
    errors: bool = False  # a column's attempt errored
    disagreements: bool = False  # judged columns do not all agree
    flip_pairs: Sequence[tuple[int, int]] = field(default_factory=list)  # judged, and differ
    q: str | None = None  # in a case id or any column's answer
    sort: str = "case"  # "case", "verdict" or "score"
    sort_column: int = 0
    desc: bool = False
    limit: int = 50
    offset: int = 0


def _code() -> Any:
    a = attempts.c
    return case(
        (a.status != "ok", ERROR),
        (a.passed.is_(True), PASS),
        (a.passed.is_(False), FAIL),
        else_=NONE,
    )


def _in(column: MatrixColumn) -> Any:
    return and_(attempts.c.run_id == column.run_id, attempts.c.model == column.model)


def _base(query: MatrixQuery) -> list[Any]:
    """The columns' attempts: one `model IN (...)` per run rather than one `(run, model)`
    test per column, which SQLite evaluated on every attempt (20 columns: a third of
    the grouping's cost)."""
    a = attempts.c
    models_of: dict[str, set[str]] = {}
    for c in query.columns:
        models_of.setdefault(c.run_id, set()).add(c.model)
    conds: list[Any] = [
        a.run_id.in_(sorted(models_of)),
        a.sample == query.sample,
        or_(*(and_(a.run_id == r, a.model.in_(sorted(ms))) for r, ms in models_of.items())),
    ]
    if query.suite is not None:
        conds.append(a.suite == query.suite)
    return conds


def _passes(store: Store, run_ids: Sequence[str]) -> dict[str, tuple[int, set[int]]]:
    """run -> (its newest completed scoring pass, every recorded pass number).

    The attempts' `passed` column holds the newest completed pass's verdicts, so the scores
    shown beside them come from that pass; pass 0 (the run's own scoring) is every pass
    number no recorded pass uses (store/pass_view.py)."""
    p = score_passes.c
    query = select(p.run_id, p.pass_no, p.status).where(p.run_id.in_(list(run_ids)))
    recorded: dict[str, set[int]] = {run_id: set() for run_id in run_ids}
    completed: dict[str, int] = {}
    with store.engine.connect() as conn:
        for run_id, pass_no, status in conn.execute(query):
            recorded[run_id].add(int(pass_no))
            if status == "completed":
                completed[run_id] = max(completed.get(run_id, 0), int(pass_no))
    return {run_id: (completed.get(run_id, 0), recorded[run_id]) for run_id in run_ids}


def matrix_page(store: Store, query: MatrixQuery) -> tuple[Page, dict[MatrixColumn, Counts]]:
    """One page of rows: `{"suite", "case_id", "cells": [cell or None per column]}`, with
    the number of rows that match in `total`; and each column's verdict counts over every
    case (the filter aside: a second, simpler grouping; folding them into the page's
    statement as 4 window sums per column measured slower in SQLite)."""
    a = attempts.c
    code = _code()

    def verdict(i: int) -> Any:  # column i's code; built only for the columns a query names
        return func.max(case((_in(query.columns[i]), code), else_=None))

    recorded = _passes(store, sorted({c.run_id for c in query.columns}))
    passes = {run_id: shown for run_id, (shown, _) in recorded.items()}
    source: Any = attempts
    order: list[Any] = []
    if query.sort == "score":
        s = scores.c
        chosen = query.columns[query.sort_column]
        # only the sorted column's scores: its attempts are found by (run, model), and
        # averaging every score of every run first cost more than the grouping itself
        theirs = attempts.alias("sorted_column")
        its_attempts = select(theirs.c.id).where(
            theirs.c.run_id == chosen.run_id,
            theirs.c.model == chosen.model,
            theirs.c.sample == query.sample,
        )
        per_attempt = (
            select(s.attempt_id.label("attempt_id"), func.avg(s.value).label("value"))
            .where(
                s.attempt_id.in_(its_attempts),
                pass_clause(chosen.run_id, passes[chosen.run_id]),
            )
            .group_by(s.attempt_id)
            .subquery()
        )
        source = attempts.outerjoin(per_attempt, per_attempt.c.attempt_id == a.id)
        value: Any = func.max(case((_in(chosen), per_attempt.c.value), else_=None))
        order = [case((value.is_(None), 1), else_=0), value.desc() if query.desc else value]
    elif query.sort == "verdict":
        value = func.coalesce(verdict(query.sort_column), MISSING)
        order = [value.desc() if query.desc else value]
    keys: list[Any] = (
        [a.suite.desc(), a.case_id.desc()] if query.sort == "case" and query.desc else []
    )
    order += keys or [a.suite, a.case_id]

    having: list[Any] = []
    # The rows hold only the columns' attempts, at most one per column (one sample), so
    # "a column failed" is "an attempt of the row failed": one test per attempt, not one
    # conditional aggregate per column.
    if query.failures:
        having.append(func.max(case((code == FAIL, 1), else_=0)) == 1)
    if query.errors:
        having.append(func.max(case((code == ERROR, 1), else_=0)) == 1)
    if query.disagreements:
        judged = case((code.in_((PASS, FAIL)), code), else_=None)
        having.append(func.max(judged) != func.min(judged))
    if query.flip_pairs:
        having.append(
            or_(
                *(
                    and_(vi.in_((PASS, FAIL)), vj.in_((PASS, FAIL)), vi != vj)
                    for vi, vj in ((verdict(i), verdict(j)) for i, j in query.flip_pairs)
                )
            )
        )
    if query.q:
        hit = or_(
            a.case_id.icontains(query.q, autoescape=True),
            a.output.icontains(query.q, autoescape=True),
        )
        having.append(func.max(case((hit, 1), else_=0)) == 1)

    grouped = (
        select(a.suite, a.case_id)
        .select_from(source)
        .where(and_(*_base(query)))
        .group_by(a.suite, a.case_id)
    )
    if having:
        grouped = grouped.having(and_(*having))
    paged = (
        grouped.add_columns(func.count().over().label("total"))
        .order_by(*order)
        .limit(query.limit)
        .offset(query.offset)
    )
    with store.engine.connect() as conn:
        found = conn.execute(paged).all()
        if found:
            total = int(found[0].total)
        else:  # past the last page (or nothing matches): count on its own
            counted = select(func.count()).select_from(grouped.subquery())
            total = int(conn.execute(counted).scalar_one())
        keys_found = [(r.suite, r.case_id) for r in found]
        cells = _cells(conn, query, keys_found, recorded)
        counts = _column_counts(conn, query)
    rows = [
        {
            "suite": suite,
            "case_id": case_id,
            "cells": [cells.get((suite, case_id, c.run_id, c.model)) for c in query.columns],
        }
        for suite, case_id in keys_found
    ]
    return Page(rows, total, query.limit, query.offset), counts


def _cells(
    conn: Any,
    query: MatrixQuery,
    keys: list[tuple[str, str]],
    passes: dict[str, tuple[int, set[int]]],
) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    """The page's attempts, each with a cut of its answer and its scores of the shown pass.

    Both reads seek on the attempt key (run, suite, case, ...) with short IN lists (the
    runs, the page's suites and cases) rather than listing a thousand attempt ids: binding
    those costs more than the reads themselves."""
    if not keys:
        return {}
    a, s = attempts.c, scores.c
    run_ids = sorted({c.run_id for c in query.columns})
    page_rows = and_(
        a.run_id.in_(run_ids),
        a.suite.in_(sorted({suite for suite, _ in keys})),
        a.case_id.in_(sorted({case_id for _, case_id in keys})),
        a.sample == query.sample,
    )
    select_cells = select(
        a.id,
        a.run_id,
        a.model,
        a.suite,
        a.case_id,
        a.status,
        a.passed,
        func.substr(a.output, 1, CELL_CHARS).label("output"),
        func.length(a.output).label("output_chars"),
        a.error_type,
        func.substr(a.error_message, 1, 300).label("error_message"),
        a.latency_ms,
        a.cost_usd,
    ).where(page_rows)
    wanted = set(keys)
    columns = {(c.run_id, c.model) for c in query.columns}
    by_id: dict[int, dict[str, Any]] = {}
    out: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    result = conn.execute(select_cells)
    names = list(result.keys())
    for row in result.all():  # plain tuples: a thousand RowMappings cost more than the read
        cell = dict(zip(names, row, strict=True))
        key = (cell["suite"], cell["case_id"], cell["run_id"], cell["model"])
        if key[:2] not in wanted or key[2:] not in columns:
            continue
        cell["verdict"] = _verdict_name(cell["status"], cell["passed"])
        cell["scores"] = {}
        out[key] = cell
        by_id[cell["id"]] = cell
    if not by_id:
        return out
    # the pass is picked here, as store/pass_view.py's pass_clause picks it in SQL
    score_q = (
        select(s.attempt_id, s.run_id, s.pass_no, s.scorer, s.value, s.passed)
        .select_from(scores.join(attempts, attempts.c.id == s.attempt_id))
        .where(page_rows)
        .order_by(s.pass_no)
    )
    for aid, run_id, pass_no, scorer, value, ok in conn.execute(score_q):
        shown, recorded = passes[run_id]
        scored = by_id.get(aid)
        if scored is not None and (pass_no == shown if shown else pass_no not in recorded):
            scored["scores"][scorer] = {"value": value, "passed": ok}
    labelled = select(labels.c.run_id).where(labels.c.run_id.in_(run_ids)).limit(1)
    if conn.execute(labelled).first() is not None:  # most runs have no labels
        for aid, human in human_scores(conn, list(by_id)).items():
            by_id[aid]["scores"][human.scorer] = {"value": human.value, "passed": None}
    return out


def _verdict_name(status: str, passed: bool | None) -> str:
    if status != "ok":
        return "error"
    return "none" if passed is None else ("pass" if passed else "fail")


def _column_counts(conn: Any, query: MatrixQuery) -> dict[MatrixColumn, Counts]:
    """Per column, how many of its attempts passed, failed, errored or have no verdict.

    One group per model of the runs, with a sum per verdict, and the columns picked in
    Python: grouping by the verdict code as well (a sort of every attempt) and testing
    each attempt against the columns cost SQLite half again as much."""
    a = attempts.c
    ok = a.status == "ok"
    grouped = select(
        a.run_id,
        a.model,
        func.count(),
        func.sum(case((a.status != "ok", 1), else_=0)),
        func.sum(case((and_(ok, a.passed.is_(True)), 1), else_=0)),
        func.sum(case((and_(ok, a.passed.is_(False)), 1), else_=0)),
    ).where(a.run_id.in_(sorted({c.run_id for c in query.columns})), a.sample == query.sample)
    if query.suite is not None:
        grouped = grouped.where(a.suite == query.suite)
    grouped = grouped.group_by(a.run_id, a.model)
    out: dict[MatrixColumn, Counts] = {
        c: dict.fromkeys(VERDICT_NAMES.values(), 0) for c in query.columns
    }
    for run_id, model, n, errors, passed, failed in conn.execute(grouped):
        counts = out.get(MatrixColumn(run_id, model))
        if counts is not None:
            errors, passed, failed = int(errors or 0), int(passed or 0), int(failed or 0)
            counts["error"], counts["pass"], counts["fail"] = errors, passed, failed
            counts["none"] = int(n) - errors - passed - failed
    return out
