"""`log_sample`: record one production sample from an application's request path.

It must cost next to nothing and never hurt the request it is called from, so:
no network and no database, only the standard library (pydantic is not even
imported); the line is built in memory and appended to `<dir>/YYYY-MM-DD.jsonl`
(the sample's UTC day; dir: `$BENCHLAB_SAMPLES_DIR`, default `.benchlab/samples`)
with ONE `os.write` on a file opened `O_APPEND`. The kernel places each such
write at the end of the file as a whole, so lines from many threads and many
processes never interleave, without a lock. Any failure (a value JSON cannot
encode, a full disk, a read-only folder) is swallowed and counted; the first
one in a process is reported through `logging` (logger `benchlab.samples`),
later ones only counted (`log_sample_failures()`), so a broken disk cannot
flood an application's logs either.
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

__all__ = [
    "SAMPLES_DIR_ENV",
    "MessageLike",
    "default_samples_dir",
    "log_sample",
    "log_sample_failures",
]

SAMPLES_DIR_ENV = "BENCHLAB_SAMPLES_DIR"
_DEFAULT_DIR = Path(".benchlab") / "samples"

logger = logging.getLogger("benchlab.samples")

_failures = 0
_reported = False
_lock = threading.Lock()


class MessageLike(Protocol):
    """A chat message object (`benchlab.Message`, an SDK's message type)."""

    @property
    def role(self) -> str: ...

    @property
    def content(self) -> str: ...


def default_samples_dir() -> Path:
    return Path(os.environ.get(SAMPLES_DIR_ENV) or _DEFAULT_DIR)


def log_sample(
    input: str | Sequence[Mapping[str, Any] | MessageLike],
    output: str,
    *,
    feedback: Mapping[str, Any] | float | None = None,
    metadata: Mapping[str, Any] | None = None,
    model: str | None = None,
    timestamp: datetime | float | None = None,
) -> None:
    """Append one sample (see `benchlab.samples.line` for the line's schema); never raises.

    `input` is the text sent or a list of chat messages ({"role", "content"} mappings,
    or objects with those attributes such as `benchlab.Message`);
    `feedback` a mapping of score/label/comment or a bare score; `timestamp` a
    datetime (naive: UTC) or epoch seconds, default now.
    """
    try:
        when = _when(timestamp)
        line = {
            "id": uuid.uuid4().hex,
            "timestamp": when.isoformat(timespec="microseconds").replace("+00:00", "Z"),
            "input": _input(input),
            "output": _text(output, "output"),
            "feedback": _feedback(feedback),
            "metadata": dict(metadata) if metadata is not None else {},
            "model": None if model is None else _text(model, "model"),
        }
        data = (json.dumps(line, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
        _append(default_samples_dir() / f"{when:%Y-%m-%d}.jsonl", data)
    except Exception as exc:  # never into the caller's request path
        _failed(exc)


def log_sample_failures() -> int:
    """How many samples this process could not log (each one dropped, the first one logged)."""
    return _failures


def _when(timestamp: datetime | float | None) -> datetime:
    if timestamp is None:
        return datetime.now(UTC)
    if isinstance(timestamp, datetime):
        if timestamp.tzinfo is None:
            return timestamp.replace(tzinfo=UTC)
        return timestamp.astimezone(UTC)
    if isinstance(timestamp, bool) or not isinstance(timestamp, int | float):
        raise TypeError(f"timestamp: a datetime or epoch seconds, not {type(timestamp).__name__}")
    return datetime.fromtimestamp(timestamp, UTC)


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what}: a string, not {type(value).__name__}")
    return value


def _input(value: object) -> str | list[dict[str, str]]:
    if isinstance(value, str):
        return value
    if not isinstance(value, Sequence) or isinstance(value, bytes | bytearray):
        raise TypeError(f"input: text or a list of chat messages, not {type(value).__name__}")
    messages = []
    for message in value:
        if isinstance(message, Mapping):
            role, content = message.get("role"), message.get("content")
        elif hasattr(message, "role") and hasattr(message, "content"):  # benchlab.Message & co
            role, content = message.role, message.content
        else:
            raise TypeError("input: each chat message is a mapping of role and content")
        messages.append(
            {"role": _text(role, "message role"), "content": _text(content, "message content")}
        )
    return messages


def _feedback(value: Mapping[str, Any] | float | None) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        unknown = set(value) - {"score", "label", "comment"}
        if unknown:
            raise ValueError(f"feedback: unknown keys {sorted(unknown)}")
        score, label, comment = value.get("score"), value.get("label"), value.get("comment")
    else:
        score, label, comment = value, None, None
    if score is not None and (
        isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score)
    ):
        raise TypeError("feedback score: a finite number")
    return {
        "score": None if score is None else float(score),
        "label": None if label is None else _text(label, "feedback label"),
        "comment": None if comment is None else _text(comment, "feedback comment"),
    }


def _append(path: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, flags, 0o644)
    try:
        written = os.write(fd, data)
    finally:
        os.close(fd)
    if written != len(data):  # a full disk: the line is cut short, so say it was not logged
        raise OSError(f"{path}: wrote {written} of {len(data)} bytes")


def _failed(exc: Exception) -> None:
    global _failures, _reported
    with _lock:
        _failures += 1
        first = not _reported
        _reported = True
    if first:
        logger.warning(
            "benchlab.log_sample: a sample was not logged (%s: %s); later failures in this "
            "process are only counted (benchlab.samples.log_sample_failures())",
            type(exc).__name__,
            exc,
        )
