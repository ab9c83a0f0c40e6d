"""Scoring passes: a run's stored answers scored again, each pass kept beside the others.

A pass is recorded before its first verdict and marked completed only after
its last, in the same transaction that points each attempt's denormalised
`passed` at the new verdicts; so a pass that dies half-way leaves the run
reading exactly as before, and summaries never mix two passes. The cached
per-run aggregates (`run_stats`) are dropped at that moment, to be computed
again on the next read.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, or_, select, update

from benchlab.store.pass_view import pass_clause
from benchlab.store.records import AttemptRecord, ScoreRecord
from benchlab.store.schema import attempts, run_stats, score_passes, scores
from benchlab.store.store import Store
from benchlab.store.writer import insert_ignoring_duplicates

_PAGE = 500


@dataclass(slots=True)
class StoredAnswer:
    """What a scorer needs of one answered attempt."""

    id: int
    suite: str
    case_id: str
    model: str
    sample: int
    output: str
    tool_calls: list[dict[str, Any]] | None
    finish_reason: str | None

    @classmethod
    def of(cls, attempt: AttemptRecord) -> StoredAnswer:
        return cls(
            id=attempt.id,
            suite=attempt.suite,
            case_id=attempt.case_id,
            model=attempt.model,
            sample=attempt.sample,
            output=attempt.output or "",
            tool_calls=None if attempt.tool_calls is None else json.loads(attempt.tool_calls),
            finish_reason=attempt.finish_reason,
        )


def start_pass(
    store: Store, run_id: str, *, scorers: list[dict[str, Any]] | None, judge_model: str | None
) -> int:
    """Record a new pass (status running) and return its number: one more than any in use."""
    with store.engine.begin() as conn:
        used = conn.execute(
            select(func.max(scores.c.pass_no)).where(scores.c.run_id == run_id)
        ).scalar()
        recorded = conn.execute(
            select(func.max(score_passes.c.pass_no)).where(score_passes.c.run_id == run_id)
        ).scalar()
        pass_no = max(int(used or 0), int(recorded or 0)) + 1
        conn.execute(
            score_passes.insert().values(
                run_id=run_id,
                pass_no=pass_no,
                status="running",
                scorers=scorers,
                judge_model=judge_model,
                created_at=time.time(),
                scored=0,
                errors=0,
            )
        )
    return pass_no


def add_scores(store: Store, records: Sequence[ScoreRecord]) -> None:
    """Score records (as `engine.attempt.score_rows` builds them), in one transaction."""
    if records:
        with store.engine.begin() as conn:
            conn.execute(
                insert_ignoring_duplicates(store.engine, scores), [r.to_row() for r in records]
            )


def finish_pass(
    store: Store,
    run_id: str,
    pass_no: int,
    status: str,
    *,
    passed: Mapping[int, bool | None],
    scored: int,
    errors: int,
) -> None:
    """Close a pass; a completed one becomes what the run's summaries read."""
    with store.engine.begin() as conn:
        if status == "completed" and passed:
            statement = (
                update(attempts)
                .where(attempts.c.id == bindparam("attempt_id"))
                .values(passed=bindparam("verdict"))
            )
            conn.execute(statement, [{"attempt_id": k, "verdict": v} for k, v in passed.items()])
        if status == "completed":
            conn.execute(delete(run_stats).where(run_stats.c.run_id == run_id))
        conn.execute(
            update(score_passes)
            .where(and_(score_passes.c.run_id == run_id, score_passes.c.pass_no == pass_no))
            .values(status=status, finished_at=time.time(), scored=scored, errors=errors)
        )


def list_passes(store: Store, run_id: str) -> list[dict[str, Any]]:
    query = (
        select(score_passes).where(score_passes.c.run_id == run_id).order_by(score_passes.c.pass_no)
    )
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def iter_answers(store: Store, run_id: str) -> Iterator[StoredAnswer]:
    """A run's answered attempts, a page at a time (no cursor held open while scoring)."""
    a = attempts.c
    last: int | None = None
    while True:
        query = select(attempts).where(and_(a.run_id == run_id, a.status == "ok"))
        if last is not None:
            query = query.where(a.id > last)
        query = query.order_by(a.id).limit(_PAGE)
        with store.engine.connect() as conn:
            page = [AttemptRecord.from_row(r) for r in conn.execute(query).mappings()]
        if not page:
            return
        yield from (StoredAnswer.of(r) for r in page)
        last = page[-1].id


def judge_details(store: Store, run_id: str, pass_no: int) -> Iterator[tuple[str, str]]:
    """(model, details JSON) of the verdicts that called a judge, in one scoring pass.

    Pass 0 means the run's own scoring (every pass number no recorded pass uses).
    """
    a, s = attempts.c, scores.c
    query = (
        select(a.model, s.details)
        .select_from(scores.join(attempts, attempts.c.id == scores.c.attempt_id))
        .where(
            and_(
                s.run_id == run_id,
                # compact (orjson) and spaced (rows written before it) JSON alike
                or_(s.details.like('%"judge":{%'), s.details.like('%"judge": {%')),
            )
        )
        .execution_options(yield_per=1000)
    )
    query = query.where(pass_clause(run_id, pass_no))
    with store.engine.connect() as conn, conn.execute(query) as rows:
        yield from ((m, d) for m, d in rows)


@dataclass(frozen=True, slots=True)
class PassInfo:
    """Which scoring pass a view shows, and who judged it: what every view must say."""

    pass_no: int  # 0: the run's own scoring
    judge_model: str | None
    created_at: float
    status: str
    latest: bool  # the newest completed pass: the one `attempts.passed` holds

    def as_dict(self) -> dict[str, Any]:
        return {
            "pass": self.pass_no,
            "judge_model": self.judge_model,
            "created_at": _iso(self.created_at),
            "status": self.status,
            "latest": self.latest,
        }

    def describe(self) -> str:
        return describe_pass(self.as_dict())


def describe_pass(scoring: Mapping[str, Any]) -> str:
    """One line for a terminal or a page, from a report's `scores_from` block:
    `scores: pass 2 (judge openai/gpt-4.1, 2026-12-06)`."""
    judge = scoring.get("judge_model")
    who = f"judge {judge}" if judge else "no judge"
    own = "the run's own scoring, " if scoring["pass"] == 0 else ""
    day = str(scoring.get("created_at") or "")[:10]
    newest = "" if scoring.get("latest") else "; not the latest pass"
    return f"scores: pass {scoring['pass']} ({own}{who}, {day}{newest})"


def _iso(stamp: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds")


def run_passes(store: Store, run_id: str) -> list[PassInfo]:
    """Every pass of a run, pass 0 (the run's own scoring) first, the completed ones marked."""
    run = store.get_run(run_id)
    recorded = list_passes(store, run.id)
    latest = store.latest_pass(run.id)
    own = PassInfo(
        0, run.config.get("judge_model"), run.created_at.timestamp(), "completed", latest == 0
    )
    return [own] + [
        PassInfo(
            int(p["pass_no"]),
            p["judge_model"],
            float(p["created_at"]),
            str(p["status"]),
            int(p["pass_no"]) == latest,
        )
        for p in recorded
    ]


def resolve_pass(
    store: Store, run_id: str, spec: str | int | None, *, option: str = "pass"
) -> PassInfo:
    """The pass a user asked for: None (the latest completed), a number, or `judge=MODEL`
    (that judge's newest completed pass). Anything else, or a pass that did not complete,
    is an error naming `option` (`pass`, `pass_a`: the CLI says --pass, --pass-a) and the
    passes there are."""
    from benchlab.errors import OptionError

    passes = run_passes(store, run_id)
    done = [p for p in passes if p.status == "completed"]
    if spec is None:
        return next(p for p in passes if p.latest)
    text = str(spec).strip()
    known = "; ".join(
        f"{p.pass_no} ({p.judge_model or 'no judge'}"
        + ("" if p.status == "completed" else f", {p.status}")
        + ")"
        for p in passes
    )
    if text.startswith("judge="):
        judge = text.removeprefix("judge=")
        found = [p for p in done if p.judge_model == judge]
        if not found:
            raise OptionError(
                option, f"{{option}} {text}: no completed pass judged by {judge} (passes: {known})"
            )
        return found[-1]
    if not (text.isascii() and text.isdigit()):  # "²" is a digit to Python, not to int()
        raise OptionError(
            option, f"{{option}} {text!r}: expected a pass number or judge=MODEL (passes: {known})"
        )
    chosen = next((p for p in passes if p.pass_no == int(text)), None)
    if chosen is None:
        raise OptionError(
            option, f"{{option}} {text}: run has no such scoring pass (passes: {known})"
        )
    if chosen.status != "completed":
        raise OptionError(
            option,
            f"{{option}} {text}: that pass did not complete ({chosen.status}); its scores are "
            f"partial (passes: {known})",
        )
    return chosen
