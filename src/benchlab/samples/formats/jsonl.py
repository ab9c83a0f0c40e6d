"""Our own JSONL, as `log_sample` writes it (schema: benchlab.samples.line.SampleLine)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson
from pydantic import ValidationError

from benchlab.samples.formats.items import Bad, Item, Parsed
from benchlab.samples.line import SampleLine
from benchlab.samples.record import ImportedSample

__all__ = ["read_jsonl", "validation_reason"]


def validation_reason(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "line"
    more = exc.error_count() - 1
    return f"{where}: {first['msg']}" + (f" (and {more} more)" if more else "")


def read_jsonl(lines: Iterable[str]) -> Iterator[Item]:
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            yield Bad(number, f"not JSON: {exc}")
            continue
        try:
            line = SampleLine.model_validate(data)
        except ValidationError as exc:
            yield Bad(number, validation_reason(exc))
            continue
        feedback = line.feedback
        yield Parsed(
            number,
            ImportedSample(
                input=line.input
                if isinstance(line.input, str)
                else [m.model_dump() for m in line.input],
                output=line.output,
                timestamp=line.timestamp,
                model=line.model,
                sample_id=line.id,
                feedback_score=None if feedback is None else feedback.score,
                feedback_label=None if feedback is None else feedback.label,
                feedback_comment=None if feedback is None else feedback.comment,
                metadata=line.metadata,
            ),
        )
