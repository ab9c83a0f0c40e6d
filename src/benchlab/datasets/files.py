"""Rows from the files a dataset is published as: parquet, JSONL/JSON, CSV.

Rows come back as plain dicts with the dataset's own field names and the
types its files hold (pyarrow's `to_pylist`: lists, dicts for structs, ints),
so a suite reads a local `--data` file and a pulled copy alike. Every row is
checked against the catalog's fields, and a missing or mistyped field is one
line naming the file, the row and the field. pyarrow is imported only when a
parquet file is read.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchlab.datasets.catalog import DICT, INT, LIST, STR, DatasetSpec
from benchlab.datasets.errors import DatasetError

__all__ = ["SUFFIXES", "check_rows", "read_rows"]

SUFFIXES = (".parquet", ".jsonl", ".json", ".csv")

_KINDS: dict[str, tuple[type, ...]] = {STR: (str,), INT: (int,), LIST: (list,), DICT: (dict,)}


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Every row of one file, in file order."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return _parquet(path)
        if suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as fh:
                return [dict(row) for row in csv.DictReader(fh)]
        if suffix in (".jsonl", ".json"):
            return list(_json_rows(path))
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None
    raise DatasetError(f"{path}: not a dataset file (expected {', '.join(SUFFIXES)})")


def _parquet(path: Path) -> list[dict[str, Any]]:
    import pyarrow.lib
    import pyarrow.parquet

    try:
        # ParquetFile reads the one file without `read_table`'s dataset machinery, whose
        # first use costs ~0.7 s of imports; the files are small enough for one thread.
        table = pyarrow.parquet.ParquetFile(path).read(use_threads=False)
        rows: list[dict[str, Any]] = table.to_pylist()
    except pyarrow.lib.ArrowException as exc:
        raise DatasetError(f"{path}: not a readable parquet file: {exc}") from None
    return rows


def _json_rows(path: Path) -> Iterator[dict[str, Any]]:
    """A JSON list of rows, or one JSON object a line (what `datasets` writes, even as .json)."""
    text = path.read_text(encoding="utf-8")
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}: not valid JSON: {exc}") from None
        for index, row in enumerate(value, 1):
            yield _object(path, index, row)
        return
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{lineno}: not valid JSON: {exc.msg}") from None
        yield _object(path, lineno, row)


def _object(path: Path, where: int, row: Any) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise DatasetError(f"{path}: row {where} is not a JSON object")
    return row


def check_rows(spec: DatasetSpec, path: Path, rows: list[dict[str, Any]]) -> None:
    """Every row has the fields the suite reads, of the published types."""
    for index, row in enumerate(rows, 1):
        for name, kind in spec.fields:
            if name not in row:
                raise DatasetError(
                    f"{path}: row {index} has no field {name!r} "
                    f"({spec.name} rows need {', '.join(n for n, _ in spec.fields)})"
                )
            value = row[name]
            if value is None and kind != INT:
                continue  # an empty optional cell (a parquet null) is the dataset's own
            if not isinstance(value, _KINDS[kind]) or (kind == INT and isinstance(value, bool)):
                raise DatasetError(
                    f"{path}: row {index} field {name!r} is {type(value).__name__}, "
                    f"expected {kind} as in {spec.repo_id}"
                )
