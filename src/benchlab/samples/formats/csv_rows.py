"""CSV exports: one sample per row, named columns.

A header's delimiter is a comma, or else a semicolon (a spreadsheet's export
where the comma is the decimal mark), a tab or a bar: whichever makes it name
the required columns. Columns: `input` and `output` (required);
`feedback_score`, `feedback_label`, `feedback_comment`, `timestamp` (ISO 8601
or epoch seconds), `model`, `id`; every `metadata.KEY` column becomes
metadata[KEY] (empty cells are left out); other columns are ignored. An
`input` cell holding a JSON list of {"role", "content"} messages is a chat
input; any other text is a text input. Line numbers are those of the row's
first physical line (a quoted cell may span lines).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from benchlab.samples.formats.items import Bad, Item, Parsed
from benchlab.samples.formats.messages import messages_of
from benchlab.samples.record import ImportedSample, Input, parse_timestamp

__all__ = ["DELIMITERS", "REQUIRED_COLUMNS", "header_delimiter", "read_csv"]

REQUIRED_COLUMNS = ("input", "output")
DELIMITERS = (",", ";", "\t", "|")
_FIELD_LIMIT = 2**31 - 1  # a cell holding a long answer is not an error


def _input(cell: str) -> Input:
    text = cell.strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            value: Any = json.loads(text)
        except ValueError:
            return cell
        try:
            return messages_of(value, "input")
        except ValueError:
            return cell
    return cell


def _score(cell: str) -> float | None:
    if not cell.strip():
        return None
    score = float(cell)
    if not math.isfinite(score):
        raise ValueError(f"feedback_score: not a finite number: {cell!r}")
    return score


def _sample(row: dict[str, str]) -> ImportedSample:
    def cell(name: str) -> str | None:
        value = row.get(name)
        return value if value not in (None, "") else None

    try:
        score = _score(row.get("feedback_score") or "")
    except ValueError:
        raise ValueError(f"feedback_score: not a number: {row.get('feedback_score')!r}") from None
    try:
        timestamp = parse_timestamp(row.get("timestamp") or None)
    except ValueError:
        raise ValueError(
            f"timestamp: not ISO 8601 or epoch seconds: {row['timestamp']!r}"
        ) from None
    return ImportedSample(
        input=_input(row["input"]),
        output=row["output"],
        timestamp=timestamp,
        model=cell("model"),
        sample_id=cell("id"),
        feedback_score=score,
        feedback_label=cell("feedback_label"),
        feedback_comment=cell("feedback_comment"),
        metadata={
            key.removeprefix("metadata."): value
            for key, value in row.items()
            if key and key.startswith("metadata.") and value not in (None, "")
        },
    )


def header_delimiter(line: str) -> str | None:
    """The delimiter with which `line` is a header naming the required columns: a comma,
    else a semicolon (what a spreadsheet writes where the comma is the decimal mark), a
    tab or a bar; None when none does."""
    for delimiter in DELIMITERS:
        try:
            names = {name.strip() for name in next(csv.reader([line], delimiter=delimiter))}
        except (csv.Error, StopIteration):
            continue
        if all(name in names for name in REQUIRED_COLUMNS):
            return delimiter
    return None


def read_csv(lines: Iterable[str]) -> Iterator[Item]:
    csv.field_size_limit(_FIELD_LIMIT)
    rest = iter(lines)
    first = next(rest, None)
    if first is None:
        return
    delimiter = header_delimiter(first) or ","
    reader = csv.reader(chain([first], rest), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield Bad(1, f"header: {exc}")
        return
    header = [name.strip() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        yield Bad(1, f"header: no column {', '.join(missing)}")
        return
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Bad(start, f"not CSV: {exc}")
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        if len(cells) != len(header):
            yield Bad(line, f"{len(cells)} cells, the header has {len(header)}")
            continue
        try:
            yield Parsed(line, _sample(dict(zip(header, cells, strict=True))))
        except (ValueError, TypeError) as exc:
            yield Bad(line, str(exc))
