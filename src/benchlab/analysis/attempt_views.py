"""What an attempt reads as, in a run's list and on its own: the typed answers of
`GET /api/runs/{id}/attempts` and `GET /api/attempts/{id}` (their `response_model`s).

Beside `run_views` for the same reason: the store answers the queries, this
layer gives each answer one model, so the OpenAPI schema documents every field
the server sends. Attempt ids are 63-bit integers, beyond what JavaScript
numbers hold exactly, so they leave as strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from benchlab.analysis.run_views import IsoTime
from benchlab.domain import Attempt, Score
from benchlab.errors import NotFound
from benchlab.store import Store, artifacts, queries

__all__ = [
    "MAX_ATTEMPT_ID",
    "AttemptDetail",
    "AttemptLogs",
    "AttemptPage",
    "AttemptRow",
    "OtherAnswer",
    "ScoreCell",
    "attempt_detail",
    "attempt_list",
]

MAX_ATTEMPT_ID = 2**63 - 1


class ScoreCell(BaseModel):
    value: float | None
    passed: bool | None = Field(description="null: no verdict (a human label's mean has none)")


class AttemptRow(BaseModel):
    """An attempt as a run's list shows it: its verdict, cost and a cut of its answer."""

    id: str = Field(description="the attempt id (a 63-bit integer, as text)")
    suite: str
    case_id: str
    model: str
    sample: int
    status: Literal["ok", "error"]
    passed: bool | None = Field(description="false for an errored attempt; null: no verdict")
    category: str | None
    output: str | None = Field(description="the answer's first 200 characters")
    latency_ms: float | None
    cost_usd: float | None
    input_tokens: int | None
    output_tokens: int | None
    error_type: str | None
    cached: bool
    finished_at: IsoTime | None
    scores: dict[str, ScoreCell] = Field(description="scorer (or `human`) -> its value, verdict")


class AttemptPage(BaseModel):
    """A run's attempts in case order, one page of them; `total` counts every match."""

    run_id: str
    total: int
    limit: int
    offset: int
    items: list[AttemptRow]


def attempt_list(
    store: Store,
    run_id: str,
    where: queries.AttemptFilter | None = None,
    *,
    limit: int = 100,
    offset: int = 0,
) -> AttemptPage:
    """A run's attempts (an id or a unique prefix) that meet `where`, in case order."""
    run = store.get_run(run_id)
    page = queries.attempts_page(store, run.id, where, limit=limit, offset=offset)
    items = [
        AttemptRow.model_validate(
            {
                **row,
                "id": str(row["id"]),
                "finished_at": _moment(row["finished_at"]),
            }
        )
        for row in page.items
    ]
    return AttemptPage(
        run_id=run.id, total=page.total, limit=page.limit, offset=page.offset, items=items
    )


def _moment(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


class AttemptLogs(BaseModel):
    """How the answer came about, for the panel's log tab."""

    finish_reason: str | None
    retries: int
    cached: bool
    error_type: str | None
    error_message: str | None


class OtherAnswer(BaseModel):
    """Another model's answer to the same case and sample in the same run (for diffs)."""

    id: str
    model: str
    status: Literal["ok", "error"]
    passed: bool | None = Field(description="false for an errored attempt")
    output: str | None


class AttemptDetail(BaseModel):
    """Everything about one attempt: the stored attempt (prompt, answer, expected, scores
    of every pass, tool calls), its verdict, its case, its logs, artifacts and the other
    models' answers."""

    id: str = Field(description="the attempt id (a 63-bit integer, as text)")
    run_id: str
    suite: str
    case_id: str
    model: str
    sample: int
    status: Literal["ok", "error"]
    prompt: list[dict[str, Any]]
    output: str | None
    reasoning: str | None = Field(
        default=None, description="a reasoning model's thinking, kept apart and never scored"
    )
    tool_calls: list[dict[str, Any]] | None
    finish_reason: str | None
    input_tokens: int | None
    output_tokens: int | None
    latency_ms: float | None
    cost_usd: float | None
    error_type: str | None
    error_message: str | None
    cached: bool
    cached_at: datetime | None = Field(description="when a reused answer was first asked")
    retries: int
    expected: Any
    category: str | None
    finished_at: datetime | None
    scores: list[Score] = Field(description="every scoring pass's scores, then `human`")
    passed: bool | None = Field(description="null: no verdict (an error, or no scorer judged)")
    case: dict[str, Any] | None = Field(description="the case as stored, if known")
    logs: AttemptLogs
    artifacts: list[str] = Field(description="names of its artifact files")
    others: list[OtherAnswer]


def attempt_detail(store: Store, attempt_id: int) -> AttemptDetail:
    """One attempt by id (`NotFound` when there is none)."""
    if not 0 <= attempt_id <= MAX_ATTEMPT_ID:
        raise NotFound(f"no attempt {attempt_id}")
    attempt, case = queries.get_attempt(store, attempt_id)
    return _detail(store, attempt, case, queries.sibling_attempts(store, attempt))


def attempt_details(store: Store, attempt_ids: Sequence[int]) -> dict[int, AttemptDetail]:
    """`attempt_detail` of each id that exists, read together, without the other models'
    answers (`others` is empty): for views that show many attempts and none of those."""
    return {
        aid: _detail(store, attempt, case, [])
        for aid, (attempt, case) in queries.get_attempts(store, attempt_ids).items()
    }


def _detail(
    store: Store, attempt: Attempt, case: dict[str, Any] | None, others: list[dict[str, Any]]
) -> AttemptDetail:
    data = attempt.model_dump()
    data["id"] = str(attempt.id)
    return AttemptDetail.model_validate(
        {
            **data,
            "passed": attempt.passed,
            "case": case,
            "logs": AttemptLogs(
                finish_reason=attempt.finish_reason,
                retries=attempt.retries,
                cached=attempt.cached,
                error_type=attempt.error_type,
                error_message=attempt.error_message,
            ),
            "artifacts": list(artifacts.files(store, attempt)),
            "others": [
                {
                    **o,
                    "id": str(o["id"]),
                    "passed": False if o["status"] == "error" else o["passed"],
                }
                for o in others
            ],
        }
    )
