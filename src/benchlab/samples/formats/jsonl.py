"""Our own JSONL, as `log_sample` writes it (schema: benchlab.samples.line.SampleLine).

Most lines are exactly what `log_sample` wrote: plain text fields, an ISO
timestamp, messages of role and content. Such a line is read by hand
(`_plain_sample`), which costs a fifth of building the pydantic models; any
line it is not sure of (another type, an unknown key, a timestamp in another
spelling) goes through SampleLine, so what is accepted, and the reason a
line is refused, are SampleLine's alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from benchlab.samples.formats.items import Item
from benchlab.samples.formats.json_lines import read_json_lines
from benchlab.samples.line import SampleLine
from benchlab.samples.record import ImportedSample

__all__ = ["read_jsonl", "validation_reason"]

_KEYS = frozenset(SampleLine.model_fields)
_FEEDBACK_KEYS = frozenset(("score", "label", "comment"))
_MESSAGE_KEYS = frozenset(("role", "content"))
# An ISO 8601 instant that datetime.fromisoformat and pydantic read alike.
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})?")


def validation_reason(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "line"
    more = exc.error_count() - 1
    return f"{where}: {first['msg']}" + (f" (and {more} more)" if more else "")


def read_jsonl(lines: Iterable[str]) -> Iterator[Item]:
    return read_json_lines(lines, _sample)


def _sample(data: Any) -> ImportedSample:
    plain = _plain_sample(data)
    if plain is not None:
        return plain
    try:
        line = SampleLine.model_validate(data)
    except ValidationError as exc:
        raise ValueError(validation_reason(exc)) from None
    feedback = line.feedback
    return ImportedSample(
        input=line.input if isinstance(line.input, str) else [m.model_dump() for m in line.input],
        output=line.output,
        timestamp=line.timestamp,
        model=line.model,
        sample_id=line.id,
        feedback_score=None if feedback is None else feedback.score,
        feedback_label=None if feedback is None else feedback.label,
        feedback_comment=None if feedback is None else feedback.comment,
        metadata=line.metadata,
    )


def _text_or_none(value: object) -> bool:
    return value is None or type(value) is str


def _plain_sample(data: object) -> ImportedSample | None:
    """The sample of a line in log_sample's own shape, or None to let SampleLine decide."""
    if type(data) is not dict or not data.keys() <= _KEYS:
        return None
    get = data.get
    value, output, metadata = get("input"), get("output"), get("metadata", {})
    if type(output) is not str or type(metadata) is not dict:
        return None
    if not (_text_or_none(get("id")) and _text_or_none(get("model"))):
        return None
    text: Any
    if type(value) is str:
        text = value
    elif type(value) is list and all(
        type(m) is dict
        and m.keys() == _MESSAGE_KEYS
        and type(m["role"]) is str
        and type(m["content"]) is str
        for m in value
    ):
        text = [{"role": m["role"], "content": m["content"]} for m in value]
    else:
        return None
    feedback = get("feedback")
    score = label = comment = None
    if feedback is not None:
        if type(feedback) is not dict or not feedback.keys() <= _FEEDBACK_KEYS:
            return None
        score, label, comment = (
            feedback.get("score"),
            feedback.get("label"),
            feedback.get("comment"),
        )
        if not (_text_or_none(label) and _text_or_none(comment)):
            return None
        if type(score) is int and abs(score) < 2**53:
            score = float(score)
        elif not (score is None or type(score) is float):
            return None
    stamp = get("timestamp")
    when = None
    if stamp is not None:
        if type(stamp) is not str or _ISO.fullmatch(stamp) is None:
            return None
        try:
            when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            return None
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return ImportedSample(
        input=text,
        output=output,
        timestamp=when,
        model=get("model"),
        sample_id=get("id"),
        feedback_score=score,
        feedback_label=label,
        feedback_comment=comment,
        metadata=dict(metadata),
    )
