"""The stored records: one typed definition per table row, one conversion each way.

A record is a row exactly as the table holds it (its fields are the table's
columns, in order, with the table's types: JSON as text, times as epoch
seconds), so the engine's hot path builds one without validation or copying
and the writer hands its values to the driver as they are. Records are
slotted dataclasses, not frozen ones: a frozen dataclass's `__init__` sets each
field through `object.__setattr__`, which measured 9 us per 23-column attempt
against 3 us here; building the record and its driver tuple costs 4.3 us per
attempt, against 7.2 us for the dict the engine built before. Treat them as
values all the same (`dataclasses.replace` to change one). `to_row` and
`from_row` are generic over the fields, never a second list of columns; the
test in tests/store/test_records.py fails when a record and its table differ.

The domain models (`benchlab.domain.Attempt`, `Score`, `Run`) are what readers
see: JSON parsed, times as datetimes, an attempt with its scores and expected
answer. They are a different shape of the same concept, so each record
converts to and from its domain model in one place (`to_domain`,
`from_domain`), field by field over the names both share; only the columns
whose stored form differs (JSON text, epoch seconds) name a codec. Adding a
column to attempts is therefore: the table (schema.py), the record's field, a
migration; and the domain field if readers should see it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from operator import attrgetter, itemgetter
from typing import Any, ClassVar, Literal, Self

from benchlab.domain import Attempt, Run, RunStatus, Score
from benchlab.store.schema import attempts, cases, runs, scores

__all__ = [
    "TABLES",
    "AttemptRecord",
    "CaseRecord",
    "RunRecord",
    "ScoreRecord",
    "StoredRecord",
    "epoch",
    "json_text",
]

_std_text = json.JSONEncoder(ensure_ascii=False, default=str).encode


def json_text(value: Any) -> str | None:
    """A JSON column's stored text (None stays NULL); anything unexpected as its str()."""
    return None if value is None else _std_text(value)


def _loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def _ts(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def epoch(value: datetime | None) -> float | None:
    """A datetime as the epoch seconds the tables store."""
    return None if value is None else float(value.timestamp())


class StoredRecord:
    """What every record shares: its table's column names and the generic conversions."""

    __slots__ = ()
    COLUMNS: ClassVar[tuple[str, ...]]
    _values: ClassVar[Callable[[Any], tuple[Any, ...]]]
    _items: ClassVar[Callable[[Any], tuple[Any, ...]]]

    @classmethod
    def _bind(cls) -> None:
        """Called once the dataclass exists: its fields, in order, are the columns."""
        cls.COLUMNS = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
        cls._values = attrgetter(*cls.COLUMNS)
        cls._items = itemgetter(*cls.COLUMNS)

    def values(self) -> tuple[Any, ...]:
        """The row's values in column order (what a positional DBAPI insert takes)."""
        return type(self)._values(self)

    def to_row(self) -> dict[str, Any]:
        """The row as column name -> value (what SQLAlchemy and named DBAPI inserts take)."""
        return dict(zip(self.COLUMNS, type(self)._values(self), strict=True))

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Self:
        """A row read back (a `RowMapping` of `select(table)`, or any mapping by column)."""
        return cls(*cls._items(row))


@dataclass(slots=True)
class AttemptRecord(StoredRecord):
    """One row of `attempts`: one case answered once by one model."""

    id: int
    run_id: str
    suite: str
    case_id: str
    model: str
    sample: int
    status: Literal["ok", "error"]
    category: str | None
    prompt: str  # JSON: the messages sent
    output: str | None
    reasoning: str | None  # a reasoning model's thinking, kept apart from its answer
    tool_calls: str | None  # JSON
    finish_reason: str | None
    input_tokens: int | None
    output_tokens: int | None
    latency_ms: float | None
    cost_usd: float | None
    error_type: str | None
    error_message: str | None
    cached: bool
    cached_at: float | None  # when a reused answer was first asked; None: asked now
    retries: int
    passed: bool | None  # denormalised: the newest completed pass's verdict
    finished_at: float

    # The columns stored in another form than the domain model's (the rest are the same).
    _DECODE: ClassVar[dict[str, Callable[[Any], Any]]] = {
        "prompt": json.loads,
        "tool_calls": _loads,
        "cached": bool,
        "cached_at": _ts,
        "finished_at": _ts,
    }
    _ENCODE: ClassVar[dict[str, Callable[[Any], Any]]] = {
        "prompt": json_text,
        "tool_calls": json_text,
        "cached_at": epoch,
        "finished_at": epoch,
    }
    # Columns the domain model computes instead of storing (`Attempt.passed` is a property).
    STORE_ONLY: ClassVar[frozenset[str]] = frozenset({"passed"})

    def to_domain(self, *, expected: Any, scores: list[Score]) -> Attempt:
        """The attempt as readers see it, with its case's expected answer and its scores."""
        return self._domain(_attempt_shown(self), expected, scores)

    @classmethod
    def domain_from_row(
        cls, row: Mapping[Any, Any], *, expected: Any, scores: list[Score]
    ) -> Attempt:
        """`from_row(row).to_domain(...)` without the record in between: what reading a
        run's attempts (exports, the API) does per attempt."""
        return cls._domain(_attempt_shown_items(row), expected, scores)

    @classmethod
    def _domain(cls, shown: tuple[Any, ...], expected: Any, scores: list[Score]) -> Attempt:
        values = dict(zip(_ATTEMPT_SHOWN, shown))  # noqa: B905 - one tuple of these columns
        for name, decode in _ATTEMPT_DECODE:
            values[name] = decode(values[name])
        values["expected"] = expected
        values["scores"] = scores
        return Attempt.model_validate(values)

    @classmethod
    def from_domain(cls, attempt: Attempt, **override: Any) -> AttemptRecord:
        """An attempt (as an exported document holds it) as its row; `override` sets
        columns the caller decides (the run's id, a default finish time)."""
        values = dict(zip(cls.COLUMNS, cls._values(attempt), strict=True))
        for name, encode in cls._ENCODE.items():
            values[name] = encode(values[name])
        values.update(override)
        return cls(**values)


@dataclass(slots=True)
class ScoreRecord(StoredRecord):
    """One row of `scores`: one scorer's verdict on one attempt in one scoring pass."""

    attempt_id: int
    scorer: str
    pass_no: int
    run_id: str
    value: float | None
    passed: bool | None
    explanation: str | None
    details: str | None  # JSON

    def to_domain(self) -> Score:
        return Score(
            scorer=self.scorer,
            value=self.value,
            passed=self.passed,
            explanation=self.explanation or "",
            details=_loads(self.details),
            pass_no=self.pass_no,
        )

    @classmethod
    def from_domain(
        cls, score: Score, *, attempt_id: int, run_id: str, pass_no: int | None = None
    ) -> ScoreRecord:
        return cls(
            attempt_id=attempt_id,
            scorer=score.scorer,
            pass_no=score.pass_no if pass_no is None else pass_no,
            run_id=run_id,
            value=score.value,
            passed=score.passed,
            explanation=score.explanation,
            details=json_text(score.details),
        )


@dataclass(slots=True)
class CaseRecord(StoredRecord):
    """One row of `cases`: a case of one suite version (suites are keyed by content hash)."""

    suite_hash: str
    case_id: str
    position: int
    input: str  # JSON: text or messages
    context: str | None
    expected: str | None  # JSON
    scorers: str | None  # JSON: the scorer specs
    category: str | None
    metadata: str  # JSON

    def to_document(self) -> dict[str, Any]:
        """The case as exports and the API show it (and as imports read it back)."""
        return {
            "id": self.case_id,
            "input": json.loads(self.input),
            "context": self.context,
            "expected": _loads(self.expected),
            "scorers": _loads(self.scorers),
            "metadata": json.loads(self.metadata),
        }

    @classmethod
    def from_document(
        cls,
        suite_hash: str,
        position: int,
        *,
        id: str,
        input: Any,
        context: str | None,
        expected: Any,
        scorers: list[dict[str, Any]] | None,
        metadata: dict[str, Any],
    ) -> CaseRecord:
        category = metadata.get("category")
        return cls(
            suite_hash=suite_hash,
            case_id=id,
            position=position,
            input=_std_text(input),
            context=context,
            expected=json_text(expected),
            scorers=json_text(scorers),
            category=None if category is None else str(category),
            metadata=_std_text(metadata),
        )


@dataclass(slots=True)
class RunRecord(StoredRecord):
    """One row of `runs`: what was asked for, resolved in full, and how it went."""

    id: str
    status: RunStatus
    created_at: float
    started_at: float | None
    finished_at: float | None
    seed: int
    suites: list[str]
    models: list[str]
    tags: dict[str, str]
    benchlab_version: str
    config: dict[str, Any]
    error: str | None
    owner_pid: int | None
    owner_host: str | None
    heartbeat_at: float | None
    labels_changed: int = 0  # see schema.runs: the kept summaries' count of label changes

    def to_domain(self) -> Run:
        """The run as readers see it."""
        return Run(
            id=self.id,
            status=self.status,
            created_at=datetime.fromtimestamp(self.created_at, UTC),
            finished_at=_ts(self.finished_at),
            suites=self.suites,
            models=self.models,
            seed=self.seed,
            tags=self.tags or {},
            benchlab_version=self.benchlab_version,
            config=self.config,
        )

    @classmethod
    def from_domain(cls, run: Run, *, error: str | None, finished_at: float) -> RunRecord:
        """A finished run from elsewhere (an imported document): no owner, started when
        created, finished at its own time (or `finished_at` when it does not say)."""
        created = float(run.created_at.timestamp())
        return cls(
            id=run.id,
            status=run.status,
            created_at=created,
            started_at=created,
            finished_at=epoch(run.finished_at) or finished_at,
            seed=run.seed,
            suites=run.suites,
            models=run.models,
            tags=run.tags,
            benchlab_version=run.benchlab_version,
            config=run.config,
            error=error,
            owner_pid=None,
            owner_host=None,
            heartbeat_at=None,
        )


for _cls in (AttemptRecord, ScoreRecord, CaseRecord, RunRecord):
    _cls._bind()

# The attempt's columns the domain model holds as fields (all but the store-only ones).
_ATTEMPT_SHOWN = tuple(c for c in AttemptRecord.COLUMNS if c not in AttemptRecord.STORE_ONLY)
_attempt_shown = attrgetter(*_ATTEMPT_SHOWN)
_attempt_shown_items = itemgetter(*_ATTEMPT_SHOWN)
_ATTEMPT_DECODE = tuple(AttemptRecord._DECODE.items())

# The tables these records stand for (tests/store/test_records.py holds them together).
TABLES = {AttemptRecord: attempts, ScoreRecord: scores, CaseRecord: cases, RunRecord: runs}
