"""The line loop of the formats that hold one JSON object per line (our JSONL, OpenAI chat logs).

Each line is numbered from 1 as the reader was given it; a blank line is passed
over; a line that is not JSON is `Bad` with orjson's reason; a JSON value the
format's `sample` refuses (it raises ValueError, TypeError, KeyError or
AttributeError, naming the field) is `Bad` with that reason. The import goes on
after a bad line: the caller counts and reports them by file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson

from benchlab.samples.formats.items import Bad, Item, Parsed
from benchlab.samples.record import ImportedSample

__all__ = ["read_json_lines"]

_REFUSED = (ValueError, TypeError, KeyError, AttributeError)


def read_json_lines(
    lines: Iterable[str], sample: Callable[[Any], ImportedSample]
) -> Iterator[Item]:
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            yield Bad(number, f"not JSON: {exc}")
            continue
        try:
            found = sample(data)
        except _REFUSED as exc:
            yield Bad(number, str(exc) or type(exc).__name__)
            continue
        yield Parsed(number, found)
