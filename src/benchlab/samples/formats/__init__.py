"""The import formats, and telling which one a file is in.

`detect_format` looks at the file's name and first records: `.csv` (or a first
line that is a CSV header naming input and output) is CSV; otherwise the first
JSON object decides: `resourceSpans` is OTLP, `request` and `response` an
OpenAI-style chat log, `input` and `output` our own JSONL. A file that is
none of these is an error before anything is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

import orjson

from benchlab.errors import UserError
from benchlab.samples.decoding import DecodedLines, RawLines, inner_suffix
from benchlab.samples.formats.csv_rows import header_delimiter, read_csv
from benchlab.samples.formats.items import Bad, Item, Parsed, Skipped
from benchlab.samples.formats.jsonl import read_jsonl
from benchlab.samples.formats.openai_chat import read_openai_chat
from benchlab.samples.formats.otlp import read_otlp

__all__ = ["FORMATS", "Bad", "Item", "Parsed", "Skipped", "detect_format"]

Reader = Callable[[Iterable[str]], Iterator[Item]]

FORMATS: dict[str, Reader] = {
    "jsonl": read_jsonl,
    "csv": read_csv,
    "openai": read_openai_chat,
    "otlp": read_otlp,
}

_PEEK_LINES = 50  # records looked at to tell the format (the first may be malformed)
_PEEK_BYTES = 1 << 16


def _json_kind(data: object) -> str | None:
    if not isinstance(data, dict):
        return None
    if "resourceSpans" in data:
        return "otlp"
    if "request" in data and "response" in data:
        return "openai"
    if "input" in data and "output" in data:
        return "jsonl"
    return None


def _is_csv_header(line: str) -> bool:
    return header_delimiter(line) is not None


def detect_format(path: Path) -> str:
    """The format name of FORMATS that `path` is in; raises UserError when none fits."""
    lines = [line for line in islice(DecodedLines(path), _PEEK_LINES) if line.strip()]
    if inner_suffix(path) in (".csv", ".tsv") or (lines and _is_csv_header(lines[0])):
        return "csv"
    for line in lines:
        try:
            kind = _json_kind(orjson.loads(line))
        except orjson.JSONDecodeError:
            continue
        if kind is not None:
            return kind
    if lines and lines[0].lstrip().startswith("{"):
        # a pretty-printed document: OTLP exports are written so; look for the key itself
        with RawLines(path) as raw:
            if b'"resourceSpans"' in raw.read(_PEEK_BYTES):
                return "otlp"
    raise UserError(
        f"{path}: unknown format (expected our JSONL, CSV with input and output columns, "
        "OpenAI request/response lines, or OTLP JSON; or give --format)"
    )
