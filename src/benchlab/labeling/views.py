"""Labels, the label queue and the agreement report, typed: what the labeling library's
functions return (`list_labels`, `add_label`, `label_queue`, `agreement_report`), which
`benchlab labels`, `benchlab agreement` and the dashboard's labels API
(`/api/runs/{run_id}/labels[/queue]`, `/agreement`, their `response_model`s) all read.

One model per answer, so the OpenAPI schema documents its fields. The statistics' inner
shapes (alpha, kappa, confusion matrices) stay documented as objects: they are
`analysis.stats`' own.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from benchlab.labeling.kinds import KindName

Mode = Literal["random", "stratified", "disagreement"]  # the queue's orders (labeling/queue.py)

__all__ = [
    "Agreement",
    "DeletedLabel",
    "KindName",
    "LabelList",
    "LabelQueue",
    "LabelRow",
    "Mode",
    "QueueItem",
    "QueueKind",
    "SavedLabel",
    "StratumLevel",
]


class LabelRow(BaseModel):
    attempt_id: str
    labeler: str
    kind: KindName
    label: str
    value: float
    passed: bool | None = Field(description="pass_fail labels only")
    note: str | None
    created_at: str | None = Field(description="ISO 8601, UTC")


class LabelList(BaseModel):
    """A run's labels (one labeler's, if named)."""

    run_id: str
    items: list[LabelRow]


class SavedLabel(BaseModel):
    """A label as stored (`add_label`): 201 new, 200 replacing this labeler's earlier one."""

    run_id: str
    attempt_id: str
    labeler: str
    kind: KindName
    label: str
    value: float
    passed: bool | None
    note: str | None
    replaced: bool


class DeletedLabel(BaseModel):
    run_id: str
    attempt_id: str
    labeler: str
    deleted: Literal[True]


class QueueKind(BaseModel):
    kind: KindName
    title: str
    level: str = Field(description="the measurement level agreement is computed at")
    choices: list[dict[str, Any]] = Field(description="label, value, title")
    fixed: bool = Field(description="the run's first label fixed its kind")


class StratumLevel(BaseModel):
    level: str
    attempts: int
    labeled_by_you: int


class QueueItem(BaseModel):
    """An attempt to label, blind: no verdicts, no other labels, no model name."""

    attempt_id: str
    suite: str
    case_id: str
    sample: int
    category: str | None
    prompt: list[dict[str, Any]]
    output: str | None
    expected: Any
    context: Any
    metadata: dict[str, Any]
    rubric: list[dict[str, str]] = Field(description="what each scorer checks, in words")
    labels: int = Field(description="how many others labeled it (never what they said)")
    stratum: str | None = Field(default=None, description="stratified mode only")
    disagreement: float | None = Field(default=None, description="disagreement mode only")


class LabelQueue(BaseModel):
    """The next attempts for a labeler. Served with unset fields left out: an item has a
    `stratum` (stratified) or a `disagreement` (disagreement mode) only in those modes."""

    run_id: str
    mode: Mode
    by: str | None
    seed: int
    labeler: str | None
    kind: QueueKind
    attempts: int
    labeled_by_you: int
    remaining: int
    levels: list[StratumLevel] | None = Field(description="stratified mode: per level counts")
    items: list[QueueItem]


class Agreement(BaseModel):
    """Agreement between a run's labelers, and of each scorer with their consensus."""

    run_id: str
    scores_from: dict[str, Any] = Field(description="the scoring pass the verdicts come from")
    kind: KindName
    level: str
    labels: int
    attempts_labeled: int
    labelers: list[dict[str, Any]] = Field(description="labeler, labels")
    between_labelers: dict[str, Any] = Field(description="Krippendorff's alpha and pair kappas")
    scorers: list[dict[str, Any]] = Field(description="per scorer: kappa, rho, confusion")
