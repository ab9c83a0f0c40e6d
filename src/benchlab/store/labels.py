"""Human labels in the store: writing them, reading them back, and the `human` score.

One row per (attempt, labeler): labeling again replaces the row, so a labeler
who changes their mind never counts twice. A run holds labels of one kind
only (checked in the same transaction as the write), because agreement
between labelers is only defined on one scale.

The `human` score (the mean of an attempt's labels) is computed here, on
read, not stored as a score row: a new label shows up at once wherever
scores are read, and no scoring pass or exported run document ever carries a
stale copy of it. It never has a pass/fail verdict of its own, so it cannot
change an attempt's `passed` (the scorers' verdict) or a run's pass rate.
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, and_, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from benchlab.domain import Score
from benchlab.errors import ConfigError, NotFound
from benchlab.store.schema import (
    attempts,
    cases,
    labels,
    run_suites,
    runs,
    score_passes,
    scores,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from benchlab.store.store import Store

HUMAN = "human"  # the scorer name under which labels show up beside the scorers
_CHUNK = 500  # ids per IN (...) list: far below every driver's bound-parameter limit


@dataclass(frozen=True, slots=True)
class Label:
    """One labeler's label of one attempt."""

    attempt_id: int
    run_id: str
    labeler: str
    kind: str
    label: str
    value: float
    passed: bool | None
    note: str | None
    created_at: float


@dataclass(frozen=True, slots=True)
class Candidate:
    """An answered attempt that can be labeled: what a queue orders and stratifies."""

    id: int
    suite: str
    case_id: str
    model: str
    sample: int
    category: str | None


@dataclass(frozen=True, slots=True)
class ScoreCell:
    """One scorer's verdict on one attempt, as agreement and the queue read it."""

    value: float | None
    passed: bool | None
    details: dict[str, Any] | None


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _label(row: Any) -> Label:
    return Label(
        attempt_id=int(row["attempt_id"]),
        run_id=row["run_id"],
        labeler=row["labeler"],
        kind=row["kind"],
        label=row["label"],
        value=float(row["value"]),
        passed=row["passed"],
        note=row["note"],
        created_at=float(row["created_at"]),
    )


# --- writing ------------------------------------------------------------------------------------
def put_label(
    store: Store,
    *,
    run_id: str,
    attempt_id: int,
    labeler: str,
    kind: str,
    label: str,
    value: float,
    passed: bool | None,
    note: str | None = None,
) -> bool:
    """Store one label (replacing this labeler's earlier one); True when it replaced one.

    Raises NotFound when the attempt is not an answered attempt of the run, and
    ConfigError when the run already holds labels of another kind. Replacing is a
    delete and an insert in one transaction (portable to every database); should two
    writes of the same (attempt, labeler) race past each other, the loser tries again
    and replaces the winner's row, as if it had come a moment later.
    """
    args = (store, run_id, attempt_id, labeler, kind, label, value, passed, note)
    try:
        return _put(*args)
    except IntegrityError:  # the same labeler's label of the same attempt, at the same moment
        return _put(*args)


def _put(
    store: Store,
    run_id: str,
    attempt_id: int,
    labeler: str,
    kind: str,
    label: str,
    value: float,
    passed: bool | None,
    note: str | None,
) -> bool:
    with store.engine.begin() as conn:
        found = conn.execute(
            select(attempts.c.run_id, attempts.c.status).where(attempts.c.id == attempt_id)
        ).first()
        if found is None or found[0] != run_id:
            raise NotFound(f"no attempt {attempt_id} in run {run_id}")
        if found[1] != "ok":
            raise ConfigError(f"attempt {attempt_id} has no answer to label (it errored)")
        other = conn.execute(
            select(labels.c.kind)
            .where(and_(labels.c.run_id == run_id, labels.c.kind != kind))
            .limit(1)
        ).scalar()
        if other is not None:
            raise ConfigError(
                f"run {run_id} is labeled {other}, not {kind}: one kind of label per run, "
                "so that every label of a run is on one scale"
            )
        key = and_(labels.c.attempt_id == attempt_id, labels.c.labeler == labeler)
        replaced = conn.execute(delete(labels).where(key)).rowcount
        conn.execute(
            labels.insert().values(
                attempt_id=attempt_id,
                labeler=labeler,
                run_id=run_id,
                kind=kind,
                label=label,
                value=value,
                passed=passed,
                note=note,
                created_at=time.time(),
            )
        )
        _count_change(conn, run_id)
    return bool(replaced)


def _count_change(conn: Connection, run_id: str) -> None:
    """In the label's own transaction, so no reader sees the label without the count."""
    conn.execute(
        update(runs).where(runs.c.id == run_id).values(labels_changed=runs.c.labels_changed + 1)
    )


def delete_label(store: Store, run_id: str, attempt_id: int, labeler: str) -> bool:
    """Withdraw one labeler's label of one attempt; False when there was none."""
    with store.engine.begin() as conn:
        result = conn.execute(
            delete(labels).where(
                and_(
                    labels.c.run_id == run_id,
                    labels.c.attempt_id == attempt_id,
                    labels.c.labeler == labeler,
                )
            )
        )
        if result.rowcount:
            _count_change(conn, run_id)
    return bool(result.rowcount)


# --- reading ------------------------------------------------------------------------------------
def run_labels(store: Store, run_id: str, *, labeler: str | None = None) -> list[Label]:
    """A run's labels, by attempt then labeler (one labeler's only, if named)."""
    query = select(labels).where(labels.c.run_id == run_id)
    if labeler is not None:
        query = query.where(labels.c.labeler == labeler)
    query = query.order_by(labels.c.attempt_id, labels.c.labeler)
    with store.engine.connect() as conn:
        return [_label(r) for r in conn.execute(query).mappings()]


def run_kind(store: Store, run_id: str) -> str | None:
    """The kind of label a run holds, or None before its first label."""
    query = select(labels.c.kind).where(labels.c.run_id == run_id).limit(1)
    with store.engine.connect() as conn:
        found = conn.execute(query).scalar()
    return None if found is None else str(found)


def iter_export_rows(store: Store, run_id: str) -> Iterator[dict[str, Any]]:
    """A run's labels with the attempt each one is about, in case order, streamed."""
    a, lab = attempts.c, labels.c
    query = (
        select(
            lab.attempt_id,
            a.suite,
            a.case_id,
            a.model,
            a.sample,
            a.category,
            lab.labeler,
            lab.kind,
            lab.label,
            lab.value,
            lab.passed,
            lab.note,
            lab.created_at,
        )
        .select_from(labels.join(attempts, attempts.c.id == labels.c.attempt_id))
        .where(lab.run_id == run_id)
        .order_by(a.suite, a.case_id, a.model, a.sample, lab.labeler)
        .execution_options(yield_per=1000)
    )
    with store.engine.connect() as conn, conn.execute(query) as rows:
        for row in rows.mappings():
            yield dict(row)


def candidates(store: Store, run_id: str) -> list[Candidate]:
    """A run's answered attempts in case order (errored ones have nothing to label)."""
    a = attempts.c
    query = (
        select(a.id, a.suite, a.case_id, a.model, a.sample, a.category)
        .where(and_(a.run_id == run_id, a.status == "ok"))
        .order_by(a.suite, a.case_id, a.model, a.sample)
    )
    with store.engine.connect() as conn:
        return [
            Candidate(int(i), s, c, m, int(n), cat) for i, s, c, m, n, cat in conn.execute(query)
        ]


def _shown_pass(
    store: Store, run_id: str, query: Select[Any], pass_no: int | None = None
) -> Select[Any]:
    """Restrict a scores query to one pass: `pass_no`, else the pass summaries show (the
    newest completed scoring pass, else the run's own scores: `Store.iter_attempts`'s rule)."""
    from benchlab.store.pass_view import pass_clause

    shown = store.latest_pass(run_id) if pass_no is None else pass_no
    return query.where(pass_clause(run_id, shown))


def shown_scores(
    store: Store,
    run_id: str,
    attempt_ids: Collection[int] | None = None,
    *,
    with_details: bool = False,
    pass_no: int | None = None,
) -> dict[int, dict[str, ScoreCell]]:
    """attempt id -> scorer -> verdict, from scoring pass `pass_no` (default: the one the
    run's summaries show)."""
    columns = [scores.c.attempt_id, scores.c.scorer, scores.c.value, scores.c.passed]
    if with_details:
        columns.append(scores.c.details)
    base = _shown_pass(store, run_id, select(*columns).where(scores.c.run_id == run_id), pass_no)
    queries = (
        [base]
        if attempt_ids is None
        else [base.where(scores.c.attempt_id.in_(part)) for part in _chunks(sorted(attempt_ids))]
    )
    out: dict[int, dict[str, ScoreCell]] = {}
    with store.engine.connect() as conn:
        for query in queries:
            for row in conn.execute(query):
                details = json.loads(row[4]) if with_details and row[4] else None
                out.setdefault(int(row[0]), {})[row[1]] = ScoreCell(row[2], row[3], details)
    return out


def attempt_verdicts(
    store: Store,
    attempt_ids: Collection[int],
    *,
    run_id: str | None = None,
    pass_no: int | None = None,
) -> dict[int, bool | None]:
    """Each attempt's own verdict (`passed`: every scorer with a verdict passed), of the
    newest completed pass, or of scoring pass `pass_no` of `run_id`."""
    from benchlab.store.pass_view import verdict_column

    column: Any = attempts.c.passed
    source: Any = attempts
    if run_id is not None and pass_no is not None and pass_no != store.latest_pass(run_id):
        column, source = verdict_column(run_id, pass_no)
    out: dict[int, bool | None] = {}
    with store.engine.connect() as conn:
        for part in _chunks(sorted(attempt_ids)):
            query = select(attempts.c.id, column).select_from(source)
            query = query.where(attempts.c.id.in_(part))
            out.update(
                (int(aid), None if passed is None else bool(passed))
                for aid, passed in conn.execute(query)
            )
    return out


def pass_specs(store: Store, run_id: str) -> list[dict[str, Any]] | None:
    """The scorers the newest completed scoring pass asked for (`benchlab score --scorer`),
    or None when the run's answers are judged by each case's recorded scorers."""
    shown = store.latest_pass(run_id)
    if not shown:
        return None
    query = select(score_passes.c.scorers).where(
        and_(score_passes.c.run_id == run_id, score_passes.c.pass_no == shown)
    )
    with store.engine.connect() as conn:
        specs = conn.execute(query).scalar()
    return list(specs) if specs else None


def case_scorer_lists(store: Store, run_id: str) -> list[list[dict[str, Any]]]:
    """The distinct scorer lists recorded with a run's cases."""
    query = (
        select(cases.c.scorers)
        .select_from(cases.join(run_suites, run_suites.c.suite_hash == cases.c.suite_hash))
        .where(run_suites.c.run_id == run_id)
        .distinct()
    )
    with store.engine.connect() as conn:
        return [json.loads(raw) for (raw,) in conn.execute(query) if raw]


# --- the `human` score --------------------------------------------------------------------------
def human_scores(conn: Connection, attempt_ids: Sequence[int]) -> dict[int, Score]:
    """attempt id -> its `human` score (mean of its labels), for attempts that have labels.

    Takes the caller's connection: it runs inside the readers that build
    attempts with their scores (`Store.iter_attempts`, `queries.get_attempt`).
    """
    grouped: dict[int, list[tuple[str, str, float]]] = {}
    for part in _chunks(list(attempt_ids)):
        query = (
            select(labels.c.attempt_id, labels.c.labeler, labels.c.label, labels.c.value)
            .where(labels.c.attempt_id.in_(part))
            .order_by(labels.c.attempt_id, labels.c.labeler)
        )
        for aid, who, label, value in conn.execute(query):
            grouped.setdefault(int(aid), []).append((who, label, float(value)))
    return {aid: _human(found) for aid, found in grouped.items()}


def _human(found: list[tuple[str, str, float]]) -> Score:
    mean = sum(v for _, _, v in found) / len(found)
    said = ", ".join(f"{who} {label}" for who, label, _ in found)
    return Score(
        scorer=HUMAN,
        value=mean,
        passed=None,
        explanation=f"{len(found)} label{'s' if len(found) != 1 else ''}: {said}",
        details={"n": len(found), "labels": {who: label for who, label, _ in found}},
    )


def case_human_means(
    store: Store, run_id: str, *, model: str | None = None, suite: str | None = None
) -> Iterator[tuple[str, str, str, float, int]]:
    """(model, suite, case_id, mean, n) of the `human` score per case: each labeled
    attempt's mean label, averaged over the case's labeled samples (n of them)."""
    per_attempt = (
        select(labels.c.attempt_id, func.avg(labels.c.value).label("value"))
        .where(labels.c.run_id == run_id)
        .group_by(labels.c.attempt_id)
        .subquery()
    )
    a = attempts.c
    query = (
        select(a.model, a.suite, a.case_id, func.avg(per_attempt.c.value), func.count())
        .select_from(per_attempt.join(attempts, attempts.c.id == per_attempt.c.attempt_id))
        .group_by(a.model, a.suite, a.case_id)
        .order_by(a.model, a.suite, a.case_id)
    )
    if model is not None:
        query = query.where(a.model == model)
    if suite is not None:
        query = query.where(a.suite == suite)
    with store.engine.connect() as conn:
        for m, s, c, v, n in conn.execute(query):
            yield m, s, c, float(v), int(n)
