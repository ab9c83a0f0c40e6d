"""Read queries for browsing the store: filtered, paginated lists of runs, attempts, suites.

These are the queries the server's JSON API and pages are thin over, kept
apart from `Store` (the engine's door) and shared with the CLI. Every filter is
a bound parameter; a page is `(items, total)` so a client can draw a pager.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from benchlab.domain import Attempt, Run
from benchlab.errors import NotFound
from benchlab.store.labels import human_scores
from benchlab.store.owner import Owner
from benchlab.store.records import ScoreRecord
from benchlab.store.run_query import RunFilter, count_runs, find_runs
from benchlab.store.schema import (
    attempts,
    cases,
    models,
    run_models,
    run_suites,
    runs,
    scores,
    suites,
)
from benchlab.store.store import Store, attempt_from_row, case_from_row

MAX_PAGE = 500


@dataclass
class Page:
    items: list[Any]
    total: int
    limit: int
    offset: int


def _loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def _ts(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _bounded(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(limit, MAX_PAGE)), max(0, offset)


# --- runs ---------------------------------------------------------------------------------------
def runs_page(
    store: Store,
    *,
    suite: str | None = None,
    model: str | None = None,
    status: str | None = None,
    tags: Mapping[str, str] | None = None,
    since: float | None = None,
    until: float | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page:
    """Runs newest first, filtered (the query of store/run_query.py); `tags` must all match."""
    limit, offset = _bounded(limit, offset)
    where = RunFilter(suite, model, status, dict(tags or {}), since, until)
    total = count_runs(store.engine, where)
    return Page(find_runs(store.engine, where, limit=limit, offset=offset), total, limit, offset)


def run_times(store: Store, run_ids: Sequence[str]) -> dict[str, tuple[float | None, float | None]]:
    """run id -> (started_at, finished_at) as epoch seconds, for durations."""
    if not run_ids:
        return {}
    query = select(runs.c.id, runs.c.started_at, runs.c.finished_at).where(
        runs.c.id.in_(list(run_ids))
    )
    with store.engine.connect() as conn:
        return {rid: (start, end) for rid, start, end in conn.execute(query)}


def planned_total(store: Store, run: Run) -> int | None:
    """How many attempts a run will make, from its stored config and its suites' sizes."""
    limit = run.config.get("limit")
    samples = int(run.config.get("samples") or 1)
    query = select(func.coalesce(func.sum(suites.c.n_cases), 0)).select_from(
        run_suites.join(suites, suites.c.hash == run_suites.c.suite_hash)
    )
    per_suite = select(suites.c.n_cases).select_from(
        run_suites.join(suites, suites.c.hash == run_suites.c.suite_hash)
    )
    with store.engine.connect() as conn:
        if limit:
            sizes = conn.execute(per_suite.where(run_suites.c.run_id == run.id)).scalars().all()
            n_cases = sum(min(int(limit), int(n)) for n in sizes)
        else:
            n_cases = int(conn.execute(query.where(run_suites.c.run_id == run.id)).scalar_one())
    if not n_cases:
        return None
    return n_cases * len(run.models) * samples


# --- attempts -----------------------------------------------------------------------------------
_LIST_COLUMNS = (
    attempts.c.id,
    attempts.c.suite,
    attempts.c.case_id,
    attempts.c.model,
    attempts.c.sample,
    attempts.c.status,
    attempts.c.passed,
    attempts.c.category,
    func.substr(attempts.c.output, 1, 200).label("output"),
    attempts.c.latency_ms,
    attempts.c.cost_usd,
    attempts.c.input_tokens,
    attempts.c.output_tokens,
    attempts.c.error_type,
    attempts.c.cached,
    attempts.c.finished_at,
)


@dataclass(frozen=True)
class AttemptFilter:
    """Conditions a run's attempts must all meet; None leaves one out. `passed` True or
    False: judged and passed, judged and failed (an errored attempt has no verdict, so it
    is neither); `q`: a substring of the case id or of the answer; the rest exact."""

    model: str | None = None
    suite: str | None = None
    case_id: str | None = None
    category: str | None = None
    passed: bool | None = None
    status: str | None = None
    error_type: str | None = None
    q: str | None = None

    def conditions(self) -> list[Any]:
        a = attempts.c
        conds: list[Any] = []
        for column, value in (
            (a.model, self.model),
            (a.suite, self.suite),
            (a.case_id, self.case_id),
            (a.category, self.category),
            (a.status, self.status),
            (a.error_type, self.error_type),
        ):
            if value is not None:
                conds.append(column == value)
        if self.passed is not None:
            conds.append(a.passed.is_(self.passed))
        if self.q:
            found = (c.contains(self.q, autoescape=True) for c in (a.case_id, a.output))
            conds.append(or_(*found))
        return conds


def attempts_page(
    store: Store,
    run_id: str,
    where: AttemptFilter | None = None,
    *,
    limit: int = 100,
    offset: int = 0,
) -> Page:
    """A run's attempts that meet `where`, in case order, with their score values."""
    limit, offset = _bounded(limit, offset)
    a = attempts.c
    matching = and_(a.run_id == run_id, *(where or AttemptFilter()).conditions())
    query = (
        select(*_LIST_COLUMNS)
        .where(matching)
        .order_by(a.suite, a.case_id, a.model, a.sample)
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as conn:
        total = int(
            conn.execute(select(func.count()).select_from(attempts).where(matching)).scalar_one()
        )
        rows = [dict(r) for r in conn.execute(query).mappings()]
        ids = [r["id"] for r in rows]
        by_attempt: dict[int, dict[str, Any]] = {}
        if ids:
            score_q = select(scores.c.attempt_id, scores.c.scorer, scores.c.value, scores.c.passed)
            for aid, scorer, value, ok in conn.execute(score_q.where(scores.c.attempt_id.in_(ids))):
                by_attempt.setdefault(aid, {})[scorer] = {"value": value, "passed": ok}
            for aid, human in human_scores(conn, ids).items():  # labels, beside the scorers
                cell = {"value": human.value, "passed": None}
                by_attempt.setdefault(aid, {})[human.scorer] = cell
    for r in rows:
        r["scores"] = by_attempt.get(r["id"], {})
        r["cached"] = bool(r["cached"])
        r["passed"] = False if r["status"] == "error" else r["passed"]
    return Page(rows, total, limit, offset)


def attempt_facets(store: Store, run_id: str) -> dict[str, list[str]]:
    """The distinct values a run's attempts can be filtered by (for filter drop-downs)."""
    a = attempts.c
    out: dict[str, list[str]] = {}
    with store.engine.connect() as conn:
        for name, column in (
            ("model", a.model),
            ("suite", a.suite),
            ("category", a.category),
            ("error_type", a.error_type),
        ):
            query = select(column).where(a.run_id == run_id).distinct().order_by(column)
            out[name] = [v for (v,) in conn.execute(query) if v is not None]
    return out


def get_attempt(store: Store, attempt_id: int) -> tuple[Attempt, dict[str, Any] | None]:
    """One attempt with its scores and expected answer, plus its case as stored (if known)."""
    found = get_attempts(store, [attempt_id])
    if attempt_id not in found:
        raise NotFound(f"no attempt {attempt_id}")
    return found[attempt_id]


def get_attempts(
    store: Store, attempt_ids: Sequence[int]
) -> dict[int, tuple[Attempt, dict[str, Any] | None]]:
    """`get_attempt` of each id that exists, in four queries for all of them (a page that
    shows fifty attempts side by side made 200)."""
    ids = sorted(set(attempt_ids))
    if not ids:
        return {}
    with store.engine.connect() as conn:
        rows = list(conn.execute(select(attempts).where(attempts.c.id.in_(ids))).mappings())
        score_q = (
            select(scores)
            .where(scores.c.attempt_id.in_(ids))
            .order_by(scores.c.attempt_id, scores.c.pass_no, scores.c.scorer)
        )
        found: dict[int, list[Any]] = {}
        for s in conn.execute(score_q).mappings():
            found.setdefault(int(s["attempt_id"]), []).append(ScoreRecord.from_row(s).to_domain())
        for aid, human in human_scores(conn, ids).items():
            found.setdefault(aid, []).append(human)
        r_s = run_suites.c
        case_q = (
            select(r_s.run_id, r_s.suite, cases)
            .select_from(cases.join(run_suites, r_s.suite_hash == cases.c.suite_hash))
            .where(
                and_(
                    r_s.run_id.in_(sorted({r["run_id"] for r in rows})),
                    cases.c.case_id.in_(sorted({r["case_id"] for r in rows})),
                )
            )
        )
        by_key = {
            (c["run_id"], c["suite"], c["case_id"]): c for c in conn.execute(case_q).mappings()
        }
    out: dict[int, tuple[Attempt, dict[str, Any] | None]] = {}
    for r in rows:
        c = by_key.get((r["run_id"], r["suite"], r["case_id"]))
        case = None if c is None else case_from_row(c)
        expected = None if case is None else case["expected"]
        aid = int(r["id"])
        out[aid] = (attempt_from_row(r, expected=expected, scores=found.get(aid, [])), case)
    return out


def first_attempt_ids(
    store: Store, run_id: str, model: str, keys: list[tuple[str | None, str]]
) -> dict[tuple[str | None, str], int]:
    """(suite, case_id) -> the id of the attempt `attempts_page` lists first for it (by
    suite, case, sample; in any suite where `suite` is None): one query for all keys."""
    if not keys:
        return {}
    a = attempts.c
    query = (
        select(a.suite, a.case_id, a.id)
        .where(
            and_(
                a.run_id == run_id,
                a.model == model,
                a.case_id.in_(sorted({case_id for _, case_id in keys})),
            )
        )
        .order_by(a.suite, a.case_id, a.model, a.sample)
    )
    wanted = set(keys)
    out: dict[tuple[str | None, str], int] = {}
    with store.engine.connect() as conn:
        for suite, case_id, attempt_id in conn.execute(query):
            for key in ((suite, case_id), (None, case_id)):
                if key in wanted and key not in out:
                    out[key] = int(attempt_id)
    return out


def sibling_attempts(store: Store, attempt: Attempt) -> list[dict[str, Any]]:
    """The other models' answers to the same case and sample in the same run (for diffs)."""
    a = attempts.c
    query = (
        select(a.id, a.model, a.status, a.passed, a.output)
        .where(
            and_(
                a.run_id == attempt.run_id,
                a.suite == attempt.suite,
                a.case_id == attempt.case_id,
                a.sample == attempt.sample,
                a.id != attempt.id,
            )
        )
        .order_by(a.model)
    )
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def attempts_since(
    store: Store, run_id: str, since: float, limit: int = 1000
) -> list[dict[str, Any]]:
    """Attempts of a run stored with `finished_at >= since`, oldest first (live progress)."""
    a = attempts.c
    query = (
        select(
            a.id,
            a.suite,
            a.case_id,
            a.model,
            a.sample,
            a.status,
            a.passed,
            a.latency_ms,
            a.cost_usd,
            a.error_type,
            a.cached,
            a.finished_at,
        )
        .where(and_(a.run_id == run_id, a.finished_at >= since))
        .order_by(a.finished_at)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def last_finished_at(store: Store, run_id: str) -> float | None:
    """When a run's latest stored attempt finished (one index probe)."""
    query = select(func.max(attempts.c.finished_at)).where(attempts.c.run_id == run_id)
    with store.engine.connect() as conn:
        value = conn.execute(query).scalar_one_or_none()
    return None if value is None else float(value)


@dataclass(frozen=True, slots=True)
class AttemptTotals:
    """What a live progress line counts: attempts, errors, passes and their summed cost."""

    done: int
    errors: int
    passed: int
    cost_usd: float


def attempt_totals(store: Store, run_id: str, before: float | None = None) -> AttemptTotals:
    """A run's counts over its attempts (those finished before `before`, when given).

    The live socket counts what finished before a cut-off here and reads the rest row
    by row, so an attempt stored between its two queries is counted exactly once.
    """
    a = attempts.c
    query = select(
        func.count(),
        func.sum(case((a.status == "error", 1), else_=0)),
        func.sum(case((a.status == "error", 0), (a.passed, 1), else_=0)),
        func.sum(func.coalesce(a.cost_usd, 0.0)),
    ).where(a.run_id == run_id)
    if before is not None:
        query = query.where(a.finished_at < before)
    with store.engine.connect() as conn:
        done, errors, passed, cost = conn.execute(query).one()
    return AttemptTotals(int(done), int(errors or 0), int(passed or 0), float(cost or 0.0))


def run_status(store: Store, run_id: str) -> tuple[str, str | None] | None:
    """(status, error); a `running` run whose owner is gone is `interrupted` (store/owner.py)."""
    query = select(
        runs.c.status, runs.c.error, runs.c.owner_pid, runs.c.owner_host, runs.c.heartbeat_at
    ).where(runs.c.id == run_id)
    with store.engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return None
    owner = Owner.of(row) if row["status"] == "running" else None
    return ("interrupted" if owner is not None and owner.gone() else row["status"]), row["error"]


# --- models and suites --------------------------------------------------------------------------
def models_summary(store: Store) -> list[dict[str, Any]]:
    """Every model seen, with how many runs it was in and when it last ran."""
    counts = (
        select(
            run_models.c.model,
            func.count().label("runs"),
            func.max(run_models.c.created_at).label("last_run_at"),
        )
        .group_by(run_models.c.model)
        .subquery()
    )
    query = (
        select(models, counts.c.runs, counts.c.last_run_at)
        .select_from(models.outerjoin(counts, counts.c.model == models.c.name))
        .order_by(models.c.name)
    )
    with store.engine.connect() as conn:
        return [
            {
                "name": r["name"],
                "spec": r["spec"],
                "provider": r["provider"],
                "first_seen": _ts(r["first_seen"]),
                "runs": int(r["runs"] or 0),
                "last_run_at": _ts(r["last_run_at"]),
            }
            for r in conn.execute(query).mappings()
        ]


def suites_summary(store: Store) -> list[dict[str, Any]]:
    """Every stored suite name with its newest version, size, and how often it was run."""
    run_counts = (
        select(
            run_suites.c.suite,
            func.count().label("runs"),
            func.max(run_suites.c.created_at).label("last_run_at"),
        )
        .group_by(run_suites.c.suite)
        .subquery()
    )
    query = (
        select(suites, run_counts.c.runs, run_counts.c.last_run_at)
        .select_from(suites.outerjoin(run_counts, run_counts.c.suite == suites.c.name))
        .order_by(suites.c.name, suites.c.first_seen.desc())
    )
    out: dict[str, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for r in conn.execute(query).mappings():
            entry = out.get(r["name"])
            if entry is not None:
                entry["versions"] += 1
                continue
            header = r["header"] or {}
            out[r["name"]] = {
                "name": r["name"],
                "version": r["version"],
                "hash": r["hash"],
                "description": header.get("description", ""),
                "cases": r["n_cases"],
                "versions": 1,
                "runs": int(r["runs"] or 0),
                "last_run_at": _ts(r["last_run_at"]),
            }
    return list(out.values())


def suite_hash(store: Store, name: str, version: str | None = None) -> str:
    """The newest stored version of a suite (or the named version)."""
    query = select(suites.c.hash).where(suites.c.name == name)
    if version is not None:
        query = query.where(suites.c.version == version)
    query = query.order_by(suites.c.first_seen.desc()).limit(1)
    with store.engine.connect() as conn:
        found = conn.execute(query).scalar()
    if found is None:
        raise NotFound(f"no stored suite {name!r}" + (f" version {version!r}" if version else ""))
    return str(found)


def cases_page(
    store: Store,
    suite_hash_: str,
    *,
    category: str | None = None,
    q: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page:
    limit, offset = _bounded(limit, offset)
    conds: list[Any] = [cases.c.suite_hash == suite_hash_]
    if category is not None:
        conds.append(cases.c.category == category)
    if q:
        conds.append(
            or_(
                cases.c.case_id.contains(q, autoescape=True),
                cases.c.input.contains(q, autoescape=True),
            )
        )
    where = and_(*conds)
    query = select(cases).where(where).order_by(cases.c.position).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(cases).where(where)).scalar_one())
        items = [
            {
                "id": c["case_id"],
                "input": json.loads(c["input"]),
                "context": c["context"],
                "expected": _loads(c["expected"]),
                "scorers": _loads(c["scorers"]),
                "category": c["category"],
                "metadata": json.loads(c["metadata"]),
            }
            for c in conn.execute(query).mappings()
        ]
    return Page(items, total, limit, offset)


def category_counts(store: Store, suite_hash_: str) -> dict[str, int]:
    """Cases per category (None as "(none)"): a suite's coverage."""
    query = (
        select(cases.c.category, func.count())
        .where(cases.c.suite_hash == suite_hash_)
        .group_by(cases.c.category)
        .order_by(cases.c.category)
    )
    with store.engine.connect() as conn:
        return {(c if c is not None else "(none)"): int(n) for c, n in conn.execute(query)}
