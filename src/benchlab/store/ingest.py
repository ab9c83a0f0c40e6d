"""Importing a whole run exported elsewhere (`benchlab export --format json`).

This is how a CI job's results reach a team's server: the document is
validated in full before anything is written, then written in one
transaction, so a bad upload leaves nothing behind. Importing is idempotent on
the run id: a run that is already stored is left as it is, which makes a
retried upload after a timeout harmless.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from benchlab.domain import Attempt, Run
from benchlab.errors import ImportConflict
from benchlab.store.records import AttemptRecord, CaseRecord, RunRecord, ScoreRecord, epoch
from benchlab.store.schema import attempts, cases, runs, score_passes, scores
from benchlab.store.store import Store
from benchlab.store.writer import insert_ignoring_duplicates

__all__ = ["DOCUMENT_FORMAT", "DocumentFormat", "RunDocument", "ScoresFrom", "import_run"]

# The export format's name and version, defined here once (analysis/export.py writes it).
DocumentFormat = Literal["benchlab.run/1"]
DOCUMENT_FORMAT: DocumentFormat = get_args(DocumentFormat)[0]


class DocumentCase(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    input: Any
    context: str | None = None
    expected: Any = None
    scorers: list[dict[str, Any]] | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class DocumentSuite(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=200)
    hash: str = Field(min_length=1, max_length=64)
    version: str = "1"
    source: str = ""
    header: dict[str, Any] = Field(default_factory=dict)
    cases: list[DocumentCase] = Field(default_factory=list)


class ScoresFrom(BaseModel):
    """Which scoring pass a document's scores come from (`store.passes.PassInfo.as_dict`)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    pass_no: int = Field(default=0, alias="pass")
    judge_model: str | None = None
    created_at: datetime | None = None


class RunDocument(BaseModel):
    """The JSON run document, `benchlab.run/1`: a run, its suites with cases, its attempts."""

    model_config = ConfigDict(extra="ignore")

    format: DocumentFormat
    run: Run
    error: str | None = None
    scores_from: ScoresFrom | None = None
    suites: list[DocumentSuite] = Field(default_factory=list)
    attempts: list[Attempt] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> RunDocument:
        if self.run.status == "running":
            raise ValueError("run.status: only a finished run can be imported, not 'running'")
        if not self.run.id or len(self.run.id) > 64:
            raise ValueError("run.id: must be 1 to 64 characters")
        names = {s.name for s in self.suites}
        seen: set[tuple[str, str, str, int]] = set()
        for i, a in enumerate(self.attempts):
            if a.run_id != self.run.id:
                raise ValueError(f"attempts[{i}].run_id: {a.run_id!r} is not {self.run.id!r}")
            if names and a.suite not in names:
                raise ValueError(f"attempts[{i}].suite: {a.suite!r} is not among the suites")
            key = (a.suite, a.case_id, a.model, a.sample)
            if key in seen:
                raise ValueError(f"attempts[{i}]: a second attempt for {key}")
            seen.add(key)
        return self


def _pass_numbers(a: Attempt) -> list[int]:
    """Each score's pass: the one it says, unless two scores of the attempt would then share
    a (scorer, pass) key; such a document (another harness's) numbers them 0, 1, 2..."""
    keys = [(s.scorer, s.pass_no) for s in a.scores]
    if len(set(keys)) == len(keys):
        return [s.pass_no for s in a.scores]
    return list(range(len(a.scores)))


def import_run(store: Store, doc: RunDocument) -> bool:
    """Store the run; False (and nothing written) when a run with its id already exists.

    Raises `ImportConflict` (nothing written) when the document's attempt ids are
    already used by stored attempts of another run.
    """
    run = doc.run
    with store.engine.connect() as conn:
        if conn.execute(select(runs.c.id).where(runs.c.id == run.id)).first() is not None:
            return False
    record = RunRecord.from_domain(run, error=doc.error, finished_at=time.time())
    created = record.created_at
    profiles = {
        p.get("name"): p
        for p in run.config.get("models", [])
        if isinstance(p, dict) and "name" in p
    }
    model_profiles = [
        profiles.get(name, {"name": name, "spec": name})
        for name in dict.fromkeys([*run.models, *(a.model for a in doc.attempts)])
    ]
    suites_info = [
        {
            "name": s.name,
            "hash": s.hash,
            "version": s.version,
            "source": s.source,
            "header": s.header,
            "n_cases": len(s.cases),
        }
        for s in doc.suites
    ]
    case_rows = [
        CaseRecord.from_document(s.hash, pos, **c.model_dump()).to_row()
        for s in doc.suites
        for pos, c in enumerate(s.cases)
    ]
    attempt_rows = []
    score_rows = []
    for a in doc.attempts:
        reused = a.cached and a.status == "ok"
        attempt_rows.append(
            AttemptRecord.from_domain(
                a,
                run_id=run.id,
                cost_usd=0.0 if reused else a.cost_usd,  # a reused answer is free
                finished_at=epoch(a.finished_at) or created,
            ).to_row()
        )
        for pass_no, s in zip(_pass_numbers(a), a.scores, strict=True):
            score_rows.append(
                ScoreRecord.from_domain(s, attempt_id=a.id, run_id=run.id, pass_no=pass_no).to_row()
            )
    shown = doc.scores_from
    try:
        with store.engine.begin() as conn:
            store.insert_run(conn, record, suites_info, model_profiles)
            if case_rows:
                conn.execute(insert_ignoring_duplicates(store.engine, cases), case_rows)
            if attempt_rows:
                conn.execute(attempts.insert(), attempt_rows)
            if score_rows:
                conn.execute(scores.insert(), score_rows)
            if shown is not None and shown.pass_no > 0:
                at = created if shown.created_at is None else shown.created_at.timestamp()
                # The scores are a later pass's: record it, so that the run reads as exported.
                conn.execute(
                    score_passes.insert().values(
                        run_id=run.id,
                        pass_no=shown.pass_no,
                        status="completed",
                        scorers=None,
                        judge_model=shown.judge_model,
                        created_at=at,
                        finished_at=at,
                        scored=sum(1 for r in score_rows if r["pass_no"] == shown.pass_no),
                        errors=0,
                    )
                )
    except IntegrityError as exc:
        # Another upload of the same run won the race; or attempt ids collide with stored ones.
        with store.engine.connect() as conn:
            if conn.execute(select(runs.c.id).where(runs.c.id == run.id)).first() is not None:
                return False
        raise ImportConflict("the document's attempt ids collide with stored attempts") from exc
    return True
