"""The models that have run, as `GET /api/models` lists them (its `response_model`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from benchlab.store import Store, queries

__all__ = ["ModelList", "ModelRow", "model_list"]


class ModelRow(BaseModel):
    name: str
    spec: str = Field(description="the model reference as given (provider/name, a file, ...)")
    provider: str
    first_seen: datetime
    runs: int = Field(description="runs it was asked in")
    last_run_at: datetime | None


class ModelList(BaseModel):
    """Every model seen, in name order."""

    items: list[ModelRow]


def model_list(store: Store) -> ModelList:
    """Every model that has run, with its run count and last run time."""
    return ModelList(items=[ModelRow.model_validate(m) for m in queries.models_summary(store)])
