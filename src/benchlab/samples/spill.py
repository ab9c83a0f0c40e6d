"""Hash partitioning on disk: numpy records appended to partition files, read back one at a time.

Grouping a million records by a key in memory holds all of them, and the sort's
index, at once. Spilled, each record goes to the partition its key picks, and
each partition (sized by the caller to about a block of records) is then
loaded, grouped and dropped alone: the memory is a block's, whatever the
input's size. A partition keeps its records in the order they were added,
so "the first record of a key" still means the earliest.

Files are opened for each append rather than kept open, so the number of
partitions is not bounded by the process's file descriptors. The appends are
(blocks of input) x (partitions): ~15,000 for a million texts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt

__all__ = ["Spill", "parts_for", "read_blocks"]

Value = TypeVar("Value", bound=np.generic)

_SMALL_IDS = 1 << 16  # partition ids below this are sorted as 16-bit values (numpy: radix)


def parts_for(count: int, block: int) -> int:
    """Partitions of about `block` records each for `count` records (at least one)."""
    return max(1, -(-count // block))


class Spill:
    """Records of one dtype in `parts` files under `folder`, named `name`-<part>."""

    def __init__(self, folder: Path, name: str, dtype: np.dtype[np.void], parts: int) -> None:
        self.folder, self.name, self.dtype, self.parts = folder, name, dtype, parts

    def _path(self, part: int) -> Path:
        return self.folder / f"{self.name}-{part}"

    def add(self, records: npt.NDArray[np.void], part: npt.NDArray[np.integer]) -> None:
        """Append each record to partition `part[i]`, keeping their order within a partition."""
        if records.size == 0:
            return
        ids = part.astype(np.uint16 if self.parts <= _SMALL_IDS else np.int64)
        order = np.argsort(ids, kind="stable")
        counts = np.bincount(ids, minlength=self.parts)
        ordered = records[order]
        start = 0
        for index in np.flatnonzero(counts).tolist():
            end = start + int(counts[index])
            _append(self._path(index), ordered[start:end].data)
            start = end

    def take(self, part: int) -> npt.NDArray[np.void]:
        """Partition `part`'s records, in the order added; its file is removed."""
        path = self._path(part)
        if not path.exists():
            return np.empty(0, dtype=self.dtype)
        records = np.fromfile(path, dtype=self.dtype)
        path.unlink()
        return records

    def slices(self, part: int, rows: int) -> Iterator[npt.NDArray[np.void]]:
        """Partition `part`'s records `rows` at a time, for a partition that may be large;
        its file is removed once read."""
        path = self._path(part)
        if path.exists():
            yield from read_blocks(path, self.dtype, rows)
            path.unlink()

    def __iter__(self) -> Iterator[npt.NDArray[np.void]]:
        """Every partition in turn (empty ones included), each removed once read."""
        for part in range(self.parts):
            yield self.take(part)


def _append(path: Path, data: memoryview) -> None:
    """Append `data` to `path`: os.open and os.write, a third cheaper than a Python file
    object, and a spill appends tens of thousands of times."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        view = data.cast("B")
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def read_blocks(
    path: Path, dtype: type[Value] | np.dtype[Value], block: int, width: int = 1
) -> Iterator[npt.NDArray[Value]]:
    """A file of `dtype` values read back `block` rows (of `width` values) at a time."""
    with path.open("rb") as source:
        while True:
            values = np.fromfile(source, dtype=dtype, count=block * width)
            if values.size == 0:
                return
            yield values.reshape(-1, width) if width > 1 else values
