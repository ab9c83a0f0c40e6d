"""The results matrix in SQL: cases as rows, (run, model) pairs as columns, one page at a time.

A matrix of 10,000 cases by 6 models is 60,000 attempts per run; shipping them
to Python to filter, sort and cut one page would make every page cost the whole
matrix. So the rows are one `GROUP BY suite, case_id` over the chosen runs'
attempts; the filters are `HAVING` clauses on the attempts' verdict codes (flips:
a join of one column's attempts to the other's, as a `WHERE ... IN`); the sort
key is one column's attempt, found by its unique key after the grouping; the
total is a window count over the filtered groups, and only the page's attempts
are read in full afterwards. The same Core expressions run on SQLite and
PostgreSQL.

An errored attempt has its own code (`ERROR`), never `FAIL`: an infrastructure
error is not a wrong answer, so "failures" and "flips" look at judged verdicts
only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, or_, select, tuple_, union, union_all

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


def _code(table: Any) -> Any:
    """An attempt's verdict code, from the columns of `table` (attempts or an alias)."""
    a = table.c
    return case(
        (a.status != "ok", ERROR),
        (a.passed.is_(True), PASS),
        (a.passed.is_(False), FAIL),
        else_=NONE,
    )


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
    recorded = _passes(store, sorted({c.run_id for c in query.columns}))
    passes = {run_id: shown for run_id, (shown, _) in recorded.items()}
    matching = _matching_rows(query).subquery("matching")
    k = matching.c
    columns: list[Any] = [k.suite, k.case_id, func.count().over().label("total")]
    source: Any = matching
    order: list[Any] = []
    if query.sort in ("verdict", "score"):
        # The sort key is one column's attempt of each row: found by its unique key
        # (run, suite, case, model, sample) after the grouping, rather than computed as one
        # more conditional aggregate over every attempt of every row.
        chosen = query.columns[query.sort_column]
        its = attempts.alias("sorted_column")
        source = matching.outerjoin(
            its,
            and_(
                its.c.run_id == chosen.run_id,
                its.c.suite == k.suite,
                its.c.case_id == k.case_id,
                its.c.model == chosen.model,
                its.c.sample == query.sample,
            ),
        )
        if query.sort == "verdict":
            value: Any = case((its.c.id.is_(None), MISSING), else_=_code(its))
            order = [value.desc() if query.desc else value]
        else:  # its mean score in the pass shown beside the verdicts (None: none, last)
            s = scores.c
            mean = (
                select(func.avg(s.value))
                .where(s.attempt_id == its.c.id, pass_clause(chosen.run_id, passes[chosen.run_id]))
                .scalar_subquery()
                .label("sort_value")
            )
            columns.append(mean)
            value = mean
            order = [case((value.is_(None), 1), else_=0), value.desc() if query.desc else value]
    if query.sort == "case" and query.desc:
        order += [k.suite.desc(), k.case_id.desc()]
    else:
        order += [k.suite, k.case_id]
    paged = (
        select(*columns)
        .select_from(source)
        .order_by(*order)
        .limit(query.limit)
        .offset(query.offset)
    )
    with store.engine.connect() as conn:
        found = conn.execute(paged).all()
        if found:
            total = int(found[0].total)
        else:  # past the last page (or nothing matches): count on its own
            total = int(conn.execute(select(func.count()).select_from(matching)).scalar_one())
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


def _matching_rows(query: MatrixQuery) -> Any:
    """`SELECT suite, case_id` of every row the filters keep, one GROUP BY over the columns'
    attempts."""
    a = attempts.c
    code = _code(attempts)
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
    if query.q:
        hit = or_(
            a.case_id.icontains(query.q, autoescape=True),
            a.output.icontains(query.q, autoescape=True),
        )
        having.append(func.max(case((hit, 1), else_=0)) == 1)
    if query.flip_pairs and not having:
        # a flipped row has both its attempts among the columns' (same runs, models, sample
        # and suite): the flipped cases are the rows, with no grouping of every attempt
        return _flipped(query, distinct=True)
    where = _base(query)
    if query.flip_pairs:
        where.append(tuple_(a.suite, a.case_id).in_(_flipped(query)))
    grouped = select(a.suite, a.case_id).where(and_(*where)).group_by(a.suite, a.case_id)
    return grouped.having(and_(*having)) if having else grouped


def _flipped(query: MatrixQuery, *, distinct: bool = False) -> Any:
    """`(suite, case_id)` of the cases where a flip pair's two attempts were both judged and
    differ: a join of one column's attempts to the other's by their unique key.

    Pairs between the same two runs and of the same model (what `show=flips` asks) share
    one join with `model IN (...)`; a HAVING test per pair, evaluated on every attempt of
    every row, cost three times as much."""
    before, after = attempts.alias("before"), attempts.alias("after")
    same_model: dict[tuple[str, str], list[str]] = {}
    others: list[tuple[MatrixColumn, MatrixColumn]] = []
    for i, j in query.flip_pairs:
        ci, cj = query.columns[i], query.columns[j]
        if ci.model == cj.model:
            same_model.setdefault((ci.run_id, cj.run_id), []).append(ci.model)
        else:
            others.append((ci, cj))

    def join(run_i: str, run_j: str, model_i: Any, model_j: Any) -> Any:
        b, f = before.c, after.c
        where = [
            b.run_id == run_i,
            model_i,
            b.sample == query.sample,
            b.status == "ok",
            f.status == "ok",
            b.passed.is_not(None),
            f.passed.is_not(None),
            b.passed != f.passed,
        ]
        if query.suite is not None:
            where.append(b.suite == query.suite)
        return (
            select(b.suite, b.case_id)
            .select_from(
                before.join(
                    after,
                    and_(
                        f.run_id == run_j,
                        f.suite == b.suite,
                        f.case_id == b.case_id,
                        model_j,
                        f.sample == b.sample,
                    ),
                )
            )
            .where(*where)
        )

    parts = [
        join(ri, rj, before.c.model.in_(sorted(set(ms))), after.c.model == before.c.model)
        for (ri, rj), ms in same_model.items()
    ] + [
        join(ci.run_id, cj.run_id, before.c.model == ci.model, after.c.model == cj.model)
        for ci, cj in others
    ]
    if len(parts) == 1:
        return parts[0].distinct() if distinct else parts[0]
    return union(*parts) if distinct else union_all(*parts)


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
    # a thousand rows: unpacked tuples into dict displays (RowMappings, or dict(zip(...)),
    # cost more than the read)
    for (
        aid,
        run_id,
        model,
        suite,
        case_id,
        status,
        passed,
        output,
        output_chars,
        error_type,
        error_message,
        latency_ms,
        cost_usd,
    ) in conn.execute(select_cells).all():
        if (suite, case_id) not in wanted or (run_id, model) not in columns:
            continue
        cell = {
            "id": aid,
            "run_id": run_id,
            "model": model,
            "suite": suite,
            "case_id": case_id,
            "status": status,
            "passed": passed,
            "output": output,
            "output_chars": output_chars,
            "error_type": error_type,
            "error_message": error_message,
            "latency_ms": latency_ms,
            "cost_usd": cost_usd,
            "verdict": _verdict_name(status, passed),
            "scores": {},
        }
        out[suite, case_id, run_id, model] = cell
        by_id[aid] = cell
    if not by_id:
        return out
    # the pass is picked here, as store/pass_view.py's pass_clause picks it in SQL
    score_q = (
        select(s.attempt_id, s.run_id, s.pass_no, s.scorer, s.value, s.passed)
        .select_from(scores.join(attempts, attempts.c.id == s.attempt_id))
        .where(page_rows)
        .order_by(s.pass_no)
    )
    for aid, run_id, pass_no, scorer, value, ok in conn.execute(score_q).all():
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
