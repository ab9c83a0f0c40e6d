"""Spilled records come back by partition, in the order added, and their files go."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchlab.samples.spill import Spill, parts_for, read_blocks

PAIR = np.dtype([("key", "<u8"), ("index", "<i8")])


def _records(keys: list[int], start: int) -> npt.NDArray[np.void]:
    records = np.empty(len(keys), dtype=PAIR)
    records["key"] = keys
    records["index"] = np.arange(start, start + len(keys))
    return records


def test_each_partition_holds_its_records_in_the_order_added(tmp_path: Path) -> None:
    spill = Spill(tmp_path, "t", PAIR, 4)
    first = _records([7, 3, 7, 1, 6, 3], 0)
    second = _records([3, 7, 2], 6)
    for records in (first, second):
        spill.add(records, records["key"] % 4)
    spill.add(_records([], 9), np.zeros(0, dtype=np.int64))
    parts = list(spill)
    assert [p["index"].tolist() for p in parts] == [[], [3], [4, 8], [0, 1, 2, 5, 6, 7]]
    assert [p["key"].tolist() for p in parts][3] == [7, 3, 7, 3, 3, 7]
    assert list(tmp_path.iterdir()) == []  # every partition's file removed once read
    assert spill.take(2).size == 0


def test_many_partitions_and_slices(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    parts = 70_000  # more than 16-bit partition ids
    spill = Spill(tmp_path, "wide", PAIR, parts)
    keys = rng.integers(0, 2**63, size=5000, dtype=np.int64).astype(np.uint64)
    keys[:1000] = 5  # one large partition
    records = _records(keys.tolist(), 0)
    spill.add(records, (keys % np.uint64(parts)).astype(np.int64))
    sliced = list(spill.slices(5, 64))
    held = int((keys % np.uint64(parts) == 5).sum())
    assert [s.size for s in sliced] == [64] * (held // 64) + [held % 64] * (held % 64 > 0)
    assert np.concatenate(sliced)["index"].tolist()[:1000] == list(range(1000))
    assert not (tmp_path / "wide-5").exists()
    rest = sum(spill.take(p).size for p in range(parts) if p != 5)
    assert rest + sum(s.size for s in sliced) == 5000


def test_blocks_of_a_file_and_partition_counts(tmp_path: Path) -> None:
    path = tmp_path / "values"
    np.arange(10 * 3, dtype=np.uint16).tofile(path)
    blocks = list(read_blocks(path, np.uint16, 4, width=3))
    assert [b.shape for b in blocks] == [(4, 3), (4, 3), (2, 3)]
    assert np.concatenate(blocks).ravel().tolist() == list(range(30))
    assert [b.size for b in read_blocks(path, np.uint16, 7)] == [7, 7, 7, 7, 2]
    assert [parts_for(n, 4) for n in (0, 1, 4, 5, 9)] == [1, 1, 1, 2, 3]
