"""Importing a whole run exported elsewhere (`benchlab export --format json`).

This is how a CI job's results reach a team's server: the document is
validated in full before anything is written, then written in one
transaction, so a bad upload leaves nothing behind. Importing is idempotent on
the run id: a run that is already stored is left as it is, which makes a
retried upload after a timeout harmless.
"""

from __future__ import annotations

import json
import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from benchlab.domain import Attempt, Run
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
from benchlab.store.store import Store
from benchlab.store.writer import insert_ignoring_duplicates

DOCUMENT_FORMAT = "benchlab.run/1"


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


class RunDocument(BaseModel):
    """The JSON run document, `benchlab.run/1`: a run, its suites with cases, its attempts."""

    model_config = ConfigDict(extra="ignore")

    format: Literal["benchlab.run/1"]
    run: Run
    error: str | None = None
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


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def _epoch(value: Any) -> float | None:
    return None if value is None else float(value.timestamp())


def import_run(store: Store, doc: RunDocument) -> bool:
    """Store the run; False (and nothing written) when a run with its id already exists."""
    run = doc.run
    with store.engine.connect() as conn:
        if conn.execute(select(runs.c.id).where(runs.c.id == run.id)).first() is not None:
            return False
    now = time.time()
    created = _epoch(run.created_at) or now
    profiles = {
        p.get("name"): p
        for p in run.config.get("models", [])
        if isinstance(p, dict) and "name" in p
    }
    model_rows: list[dict[str, Any]] = [
        {
            "name": name,
            "spec": str(profiles.get(name, {}).get("spec", name)),
            "profile": profiles.get(name, {"name": name, "spec": name}),
        }
        for name in dict.fromkeys([*run.models, *(a.model for a in doc.attempts)])
    ]
    attempt_rows = []
    score_rows = []
    for a in doc.attempts:
        attempt_rows.append(
            {
                "id": a.id,
                "run_id": run.id,
                "suite": a.suite,
                "case_id": a.case_id,
                "model": a.model,
                "sample": a.sample,
                "status": a.status,
                "category": a.category,
                "prompt": json.dumps(a.prompt, ensure_ascii=False),
                "output": a.output,
                "tool_calls": _dumps(a.tool_calls),
                "finish_reason": a.finish_reason,
                "input_tokens": a.input_tokens,
                "output_tokens": a.output_tokens,
                "latency_ms": a.latency_ms,
                "cost_usd": 0.0 if a.cached and a.status == "ok" else a.cost_usd,  # reused: free
                "error_type": a.error_type,
                "error_message": a.error_message,
                "cached": a.cached,
                "cached_at": _epoch(a.cached_at),
                "retries": a.retries,
                "passed": a.passed,
                "finished_at": _epoch(a.finished_at) or created,
            }
        )
        for pass_no, s in enumerate(a.scores):
            score_rows.append(
                {
                    "attempt_id": a.id,
                    "scorer": s.scorer,
                    "pass_no": pass_no,
                    "run_id": run.id,
                    "value": s.value,
                    "passed": s.passed,
                    "explanation": s.explanation,
                    "details": _dumps(s.details),
                }
            )
    ignore = insert_ignoring_duplicates
    try:
        with store.engine.begin() as conn:
            conn.execute(
                runs.insert().values(
                    id=run.id,
                    status=run.status,
                    created_at=created,
                    started_at=created,
                    finished_at=_epoch(run.finished_at) or now,
                    seed=run.seed,
                    suites=run.suites,
                    models=run.models,
                    tags=run.tags,
                    benchlab_version=run.benchlab_version,
                    config=run.config,
                    error=doc.error,
                )
            )
            if doc.suites:
                conn.execute(
                    ignore(store.engine, suites),
                    [
                        {
                            "hash": s.hash,
                            "name": s.name,
                            "version": s.version,
                            "source": s.source,
                            "header": s.header,
                            "n_cases": len(s.cases),
                            "first_seen": created,
                        }
                        for s in doc.suites
                    ],
                )
                conn.execute(
                    run_suites.insert(),
                    [
                        {
                            "run_id": run.id,
                            "suite": s.name,
                            "suite_hash": s.hash,
                            "created_at": created,
                        }
                        for s in doc.suites
                    ],
                )
                case_rows = [
                    {
                        "suite_hash": s.hash,
                        "case_id": c.id,
                        "position": pos,
                        "input": json.dumps(c.input, ensure_ascii=False),
                        "context": c.context,
                        "expected": _dumps(c.expected),
                        "scorers": _dumps(c.scorers),
                        "category": None
                        if c.metadata.get("category") is None
                        else str(c.metadata["category"]),
                        "metadata": json.dumps(c.metadata, ensure_ascii=False, default=str),
                    }
                    for s in doc.suites
                    for pos, c in enumerate(s.cases)
                ]
                if case_rows:
                    conn.execute(ignore(store.engine, cases), case_rows)
            if model_rows:
                conn.execute(
                    ignore(store.engine, models),
                    [
                        {
                            "name": m["name"],
                            "spec": m["spec"],
                            "provider": m["spec"].split("/", 1)[0],
                            "first_seen": created,
                        }
                        for m in model_rows
                    ],
                )
                conn.execute(
                    run_models.insert(),
                    [
                        {
                            "run_id": run.id,
                            "model": m["name"],
                            "spec": m["spec"],
                            "profile": m["profile"],
                            "created_at": created,
                        }
                        for m in model_rows
                    ],
                )
            if attempt_rows:
                conn.execute(attempts.insert(), attempt_rows)
            if score_rows:
                conn.execute(scores.insert(), score_rows)
    except IntegrityError:
        # Another upload of the same run won the race; or attempt ids collide with stored ones.
        with store.engine.connect() as conn:
            if conn.execute(select(runs.c.id).where(runs.c.id == run.id)).first() is not None:
                return False
        raise
    return True
