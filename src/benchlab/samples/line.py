"""The line `log_sample` writes and `benchlab samples import` reads back: the JSONL schema.

One JSON object per line:

    {"id": "5f0c...", "timestamp": "2026-12-07T01:40:00.123456Z",
     "input": "text" | [{"role": "user", "content": "..."}, ...],
     "output": "the answer",
     "feedback": {"score": 0.0, "label": "thumbs_down", "comment": "..."} | null,
     "metadata": {...}, "model": "provider/model" | null}

`id` and `timestamp` are always written by `log_sample`; a hand-made file may
leave them out (a sample without a timestamp has none in the store either).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["ChatMessage", "Feedback", "SampleLine"]


class ChatMessage(BaseModel):
    """One message of a chat input (any role an application uses: system, user, tool...)."""

    model_config = ConfigDict(extra="forbid")

    role: str
    content: str


class Feedback(BaseModel):
    """What the user said about the answer: a score (higher is better), a label, a comment."""

    model_config = ConfigDict(extra="forbid")

    score: float | None = None
    label: str | None = None
    comment: str | None = None


class SampleLine(BaseModel):
    """One logged sample."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    timestamp: datetime | None = None
    input: str | list[ChatMessage]
    output: str
    feedback: Feedback | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    model: str | None = None

    @field_validator("timestamp")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        """A timestamp without a zone is read as UTC (what `log_sample` writes)."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
