"""A sample as every import format reads it, and the content hash that makes imports idempotent.

The hash covers (timestamp, input, output, model) and nothing else: the same
exchange found in two files, or imported twice, is one sample, whatever id,
feedback or metadata each copy carries (the first copy stored wins). The
timestamp enters as UTC microseconds, so `...Z`, `...+00:00` and epoch
seconds naming the same instant hash alike.

The key is the compact, key-sorted JSON of `json.dumps(..., ensure_ascii=False)`.
orjson writes the same bytes for text, integers and null (same escapes, no
ASCII escaping), so a key made only of those goes through orjson, about ten
times faster; anything else (a float in a message, say, which orjson would
spell differently) keeps the standard encoder, so every hash stays what it was.
The stored JSON columns keep the standard encoder's spacing for the same reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

__all__ = ["ROW_COLUMNS", "ImportedSample", "Input", "input_text", "parse_timestamp"]

# The columns of `ImportedSample.values`, in the `samples` table's order (a test checks).
ROW_COLUMNS: tuple[str, ...] = (
    "hash",
    "sample_id",
    "timestamp",
    "input",
    "output",
    "feedback_score",
    "feedback_label",
    "feedback_comment",
    "metadata",
    "model",
    "input_tokens",
    "output_tokens",
    "source",
    "source_line",
    "source_format",
    "imported_at",
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# One encoder each, made once: json.dumps with options builds a new encoder per call.
_KEY = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
_INPUT = json.JSONEncoder(ensure_ascii=False)
_METADATA = json.JSONEncoder(ensure_ascii=False, default=str)

# Text, or chat messages as {"role", "content"} dicts.
Input = str | list[dict[str, str]]


@dataclass(frozen=True, slots=True)
class ImportedSample:
    """One sample read from a file, before it is stored."""

    input: Input
    output: str
    timestamp: datetime | None = None
    model: str | None = None
    sample_id: str | None = None
    feedback_score: float | None = None
    feedback_label: str | None = None
    feedback_comment: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    input_tokens: int | None = None
    output_tokens: int | None = None

    def content_hash(self) -> str:
        stamp = None if self.timestamp is None else round(self.timestamp.timestamp() * 1e6)
        key = [stamp, self.input, self.output, self.model]
        encoded = None
        if _plain(self.input) and _plain(self.output) and _plain(self.model):
            # a lone surrogate fails orjson; the standard way below then fails as it always did
            with contextlib.suppress(orjson.JSONEncodeError):
                encoded = orjson.dumps(key, option=orjson.OPT_SORT_KEYS)
        if encoded is None:
            encoded = _KEY.encode(key).encode("utf-8")
        return hashlib.sha256(encoded).hexdigest()

    def values(self, *, source: str, line: int, source_format: str) -> tuple[Any, ...]:
        """The `samples` table's row (store/schema.py) for this sample, in ROW_COLUMNS order:
        a tuple, because an import makes a million of them and a dict per row cost as much
        as storing it."""
        return (
            self.content_hash(),
            None if self.sample_id is None else self.sample_id[:200],
            None if self.timestamp is None else self.timestamp.timestamp(),
            _dump_input(self.input),
            self.output,
            self.feedback_score,
            None if self.feedback_label is None else self.feedback_label[:200],
            self.feedback_comment,
            _METADATA.encode(self.metadata),
            None if self.model is None else self.model[:200],
            self.input_tokens,
            self.output_tokens,
            source,
            line,
            source_format,
            time.time(),
        )

    def row(self, *, source: str, line: int, source_format: str) -> dict[str, Any]:
        """The same row as a dict of column -> value."""
        return dict(
            zip(
                ROW_COLUMNS,
                self.values(source=source, line=line, source_format=source_format),
                strict=True,
            )
        )


def input_text(stored_input: str | list[dict[str, str]]) -> str:
    """A sample's input as one text: the text itself, or a chat's contents one per line.

    Roles are left out, so a prompt sent as text and the same prompt sent as a one-message
    chat are the same case. Accepts the stored JSON (`samples.input`) or its decoded value.
    """
    value: Any = stored_input
    if isinstance(stored_input, str):
        try:  # orjson: a fifth of json's time; what it refuses (a lone surrogate) json reads
            value = orjson.loads(stored_input)
        except orjson.JSONDecodeError:
            try:
                value = json.loads(stored_input)
            except ValueError:
                return stored_input
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(str(m.get("content", "")) for m in value if isinstance(m, dict))
    return str(value)


def _dump_input(value: Input) -> str:
    if type(value) is str:
        try:
            return orjson.dumps(value).decode()
        except orjson.JSONEncodeError:
            pass
    return _INPUT.encode(value)


def _plain(value: object) -> bool:
    """Whether orjson encodes `value` byte for byte as the standard encoder does: text,
    null, or chat messages of text only."""
    if value is None or type(value) is str:
        return True
    return type(value) is list and all(
        type(m) is dict and all(type(k) is str and type(v) is str for k, v in m.items())
        for m in value
    )


def parse_timestamp(value: object) -> datetime | None:
    """ISO 8601 text (naive: UTC; `Z` allowed) or epoch seconds, as an aware UTC datetime.

    Epoch values above 1e17 are read as nanoseconds, above 1e14 as microseconds, above
    1e11 as milliseconds (exports differ; no real sample was logged before 1973).
    Raises ValueError.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a timestamp: {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            value = int(text)
        else:
            try:
                value = float(text)
            except ValueError:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
                if parsed.tzinfo is None:
                    return parsed.replace(tzinfo=UTC)
                return parsed.astimezone(UTC)
    if isinstance(value, int):  # exact: nanoseconds of a span must not go through a float
        magnitude = abs(value)
        if magnitude > 10**17:
            micros = value // 1_000
        elif magnitude > 10**14:
            micros = value
        elif magnitude > 10**11:
            micros = value * 1_000
        else:
            micros = value * 1_000_000
        try:
            return _EPOCH + timedelta(microseconds=micros)
        except OverflowError:
            raise ValueError(f"not a timestamp: {value!r}") from None
    if not isinstance(value, float) or not math.isfinite(value):
        raise ValueError(f"not a timestamp: {value!r}")
    number = value
    if abs(number) > 1e17:
        number /= 1e9
    elif abs(number) > 1e14:
        number /= 1e6
    elif abs(number) > 1e11:
        number /= 1e3
    try:
        return datetime.fromtimestamp(number, UTC)
    except (OverflowError, OSError):
        raise ValueError(f"not a timestamp: {value!r}") from None
