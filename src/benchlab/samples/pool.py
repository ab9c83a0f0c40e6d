"""The stored samples a suite is drawn from, and the filters of `samples build`.

A pool is read whole (a suite is drawn from it several ways, and cleaning
compares samples with each other) and put in one canonical order, oldest
first and then by content hash, so that the same store gives the same pool
whatever order the imports ran in: a seeded draw is only reproducible over a
reproducible order.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from benchlab.errors import UserError

if TYPE_CHECKING:
    from benchlab.store import Store

__all__ = [
    "PoolSample",
    "SampleFilter",
    "filter_pool",
    "iso_time",
    "load_pool",
    "parse_since",
    "prompt_text",
    "sort_pool",
]

_SINCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$")
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


@dataclass(frozen=True, slots=True)
class PoolSample:
    """One stored sample as sampling sees it. `dedupe_count` is how many logged samples it
    stands for (1 until cleaning folds near-duplicates into it)."""

    hash: str
    input: str | list[dict[str, str]]
    output: str
    timestamp: float | None = None
    feedback_score: float | None = None
    feedback_label: str | None = None
    feedback_comment: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    model: str | None = None
    sample_id: str | None = None
    source: str = ""
    source_line: int = 0
    source_format: str = ""
    dedupe_count: int = 1

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> PoolSample:
        """A row of the store's `samples` table (store/schema.py)."""
        metadata = json.loads(row["metadata"]) if row.get("metadata") else {}
        return cls(
            hash=str(row["hash"]),
            input=json.loads(row["input"]),
            output=str(row["output"]),
            timestamp=row.get("timestamp"),
            feedback_score=row.get("feedback_score"),
            feedback_label=row.get("feedback_label"),
            feedback_comment=row.get("feedback_comment"),
            metadata=metadata if isinstance(metadata, dict) else {},
            model=row.get("model"),
            sample_id=row.get("sample_id"),
            source=str(row.get("source") or ""),
            source_line=int(row.get("source_line") or 0),
            source_format=str(row.get("source_format") or ""),
        )

    def with_count(self, dedupe_count: int) -> PoolSample:
        return replace(self, dedupe_count=dedupe_count)

    def field_value(self, name: str) -> str | None:
        """The metadata field `name` as text (None when absent): what strata are made of."""
        value = self.metadata.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def prompt_text(value: str | list[dict[str, str]]) -> str:
    """A sample's input as one text (a chat's messages joined): what is embedded and measured."""
    if isinstance(value, str):
        return value
    return "\n".join(str(m.get("content", "")) for m in value if isinstance(m, Mapping))


def load_pool(store: Store) -> list[PoolSample]:
    """Every stored sample, oldest first, then by hash (samples without a time come last)."""
    from benchlab.store.samples import iter_samples

    return sort_pool([PoolSample.from_row(row) for row in iter_samples(store)])


def sort_pool(pool: list[PoolSample]) -> list[PoolSample]:
    """`pool` in the canonical order: oldest first, then by hash, timeless samples last."""
    pool.sort(key=_order)
    return pool


def _order(sample: PoolSample) -> tuple[bool, float, str]:
    return (sample.timestamp is None, sample.timestamp or 0.0, sample.hash)


def parse_since(text: str, *, now: float | None = None) -> float:
    """`30d`, `12h`, `90m`, `2w` back from now, or an ISO date/time: epoch seconds."""
    from benchlab.samples.record import parse_timestamp

    match = _SINCE.match(text)
    moment = time.time() if now is None else now
    if match:
        return moment - float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    try:
        parsed = parse_timestamp(text)
    except ValueError:
        parsed = None
    if parsed is None:
        raise UserError(f"--since {text}: give an age such as 30d, 12h, 2w, or an ISO date")
    return parsed.timestamp()


@dataclass(frozen=True)
class SampleFilter:
    """Which samples may be drawn. A feedback bound or `since` leaves out the samples that
    have no feedback or no time; categories match the metadata field `category`."""

    since: float | None = None
    min_feedback: float | None = None
    max_feedback: float | None = None
    categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        low, high = self.min_feedback, self.max_feedback
        for flag, bound in (("--min-feedback", low), ("--max-feedback", high)):
            if bound is not None and not math.isfinite(bound):  # nan would match nothing, or all
                raise UserError(f"{flag} {bound}: give a finite score")
        if low is not None and high is not None and low > high:
            raise UserError(f"--min-feedback {low:g} is above --max-feedback {high:g}")

    def accepts(self, sample: PoolSample) -> bool:
        if self.since is not None and (sample.timestamp is None or sample.timestamp < self.since):
            return False
        score = sample.feedback_score
        if self.min_feedback is not None and (score is None or score < self.min_feedback):
            return False
        if self.max_feedback is not None and (score is None or score > self.max_feedback):
            return False
        return not self.categories or sample.field_value("category") in self.categories

    def document(self) -> dict[str, Any]:
        """The filter as the suite's provenance states it (only what was given)."""
        out: dict[str, Any] = {}
        if self.since is not None:
            out["since"] = _iso(self.since)
        if self.min_feedback is not None:
            out["min_feedback"] = self.min_feedback
        if self.max_feedback is not None:
            out["max_feedback"] = self.max_feedback
        if self.categories:
            out["categories"] = list(self.categories)
        return out


def filter_pool(pool: Iterable[PoolSample], where: SampleFilter) -> list[PoolSample]:
    return [sample for sample in pool if where.accepts(sample)]


def _iso(epoch: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")


def iso_time(epoch: float | None) -> str | None:
    """Epoch seconds as ISO 8601 UTC text (`...Z`), as suites write times."""
    return None if epoch is None else _iso(epoch)
