"""Duplicate groups from texts' exact keys and MinHash signatures, in bounded memory.

`dedupe` (dedupe.py) reduces each text to an exact key and a signature; this
module groups them. Holding them in memory cost ~300 bytes a text at its peak
(the signatures of the distinct texts, every LSH band's sort, the candidate
pairs, the result as a list): 250 MB more for a million samples, growing with
the store. Here the input is spilled to a temporary directory (TMPDIR) and
worked through a block of rows at a time (samples/spill.py):

1. spill: keys and signatures appended to two files as the chunks come;
2. exact: (key, index) records partitioned by key into files of about a
   block each; each partition, sorted stably, gives each text the first index
   with its key; those are partitioned back by index block and written in
   input order;
3. bands (near only): the signatures read again; each distinct, non-empty
   text's LSH band keys partitioned by (band, key); in each partition each
   text is paired with the first text holding the same band key;
4. verify: the pairs partitioned by their first text's block, made unique,
   and kept when the two signatures agree on at least `threshold` of their
   values (read through a read-only map of the spilled signatures, released
   every few thousand pairs so its pages do not accumulate);
5. components: over the texts of kept pairs only, the smallest index the
   root, as union-find gave before; each text's representative is the root of its
   exact group's first text, written to a file that `Dedupe` maps.

The groups are the in-memory algorithm's exactly (tests/samples/test_grouping.py
compares them): same heads per band (a partition keeps input order), same
pairs, same agreement test, same roots. What still grows with the input is
the kept near pairs (~40 bytes each, a tenth of the texts in the bench) and
the temporary files (~350 bytes a text at their peak, removed as they are
read). A partition is about a block only when keys spread: one exact key or
one band key shared by more than a block of texts (a million copies of a
template) puts all of them in one partition, ~40 bytes each while it is
sorted. A `Dedupe`'s representatives are read from their file only when asked
for: `samples stats` never asks.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchlab.errors import UserError
from benchlab.samples.spill import Spill, parts_for, read_blocks

__all__ = ["BLOCK", "Dedupe", "check_threshold", "group"]

BLOCK = 1 << 15  # rows held at once: 4 MB of signatures, 0.5 MB of a band's keys
_SLICE = 1 << 12  # pairs compared at once (a pair carries a signature: 144 bytes)
_KEYED = np.dtype([("key", "<u8"), ("index", "<i8")])
_PAIR = np.dtype([("first", "<i8"), ("other", "<i8")])

IntArray = npt.NDArray[np.int64]
Chunk = tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint16] | None]


@dataclass(eq=False)
class Dedupe:
    """Groups of duplicate texts. `representatives[i]` is the index (in input order) of the
    text that stands for text i (itself when it is kept); for a large input it is a
    read-only map of a temporary file, paged in only as far as it is read."""

    representatives: IntArray
    exact_duplicates: int  # texts whose normal form an earlier text already had
    near_duplicates: int  # distinct normal forms folded into another by near matching
    threshold: float | None
    _groups: tuple[IntArray, IntArray] | None = field(default=None, repr=False)

    @property
    def representative(self) -> list[int]:
        """`representatives` as a list (read whole)."""
        listed: list[int] = self.representatives.tolist()
        return listed

    @property
    def kept(self) -> list[int]:
        """The representatives' indices, in input order."""
        size = self.representatives.size
        kept: list[int] = np.flatnonzero(self.representatives == np.arange(size)).tolist()
        return kept

    def members(self, index: int) -> list[int]:
        """Every text the representative `index` stands for, itself first, in input order."""
        if self._groups is None:
            order = np.argsort(self.representatives, kind="stable")
            self._groups = (order, np.asarray(self.representatives)[order])
        order, ordered = self._groups
        start, end = np.searchsorted(ordered, [index, index + 1])
        members: list[int] = order[start:end].tolist()
        return members

    @property
    def removed(self) -> int:
        return self.exact_duplicates + self.near_duplicates


def check_threshold(near_threshold: float | None) -> None:
    if near_threshold is not None and not 0 < near_threshold <= 1:
        raise ValueError(f"near_threshold must be in (0, 1], not {near_threshold}")


def group(
    chunks: Iterable[Chunk], *, near_threshold: float | None = None, block: int = BLOCK
) -> Dedupe:
    """The duplicate groups of texts given as chunks of their exact keys and signatures
    (dedupe.hashed, or stored ones: samples/sketch.py); signatures may be None without
    `near_threshold`. `block`: rows held in memory at once (the tests make it small)."""
    check_threshold(near_threshold)
    try:
        with tempfile.TemporaryDirectory(prefix="benchlab-dedupe-") as name:
            folder = Path(name)
            count, width = _spill(folder, chunks, near=near_threshold is not None)
            distinct = _exact(folder, count, block)
            nodes = roots = np.zeros(0, dtype=np.int64)
            near = 0
            if near_threshold is not None and distinct > 1:
                pairs = _band_pairs(folder, count, distinct, width, near_threshold, block)
                first, other = _verified(folder, pairs, count, width, near_threshold, block)
                nodes, roots, near = _components(first, other)
            representatives = _representatives(folder / "first", nodes, roots, count, block)
    except OSError as exc:  # a full or missing temporary folder: the user's to fix, said once
        raise UserError(
            f"de-duplication needs temporary space (about 350 bytes a sample) in "
            f"{tempfile.gettempdir()}: {exc}; point TMPDIR at a folder with room"
        ) from exc
    return Dedupe(
        representatives=representatives,
        exact_duplicates=count - distinct,
        near_duplicates=near,
        threshold=near_threshold,
    )


def _spill(folder: Path, chunks: Iterable[Chunk], *, near: bool) -> tuple[int, int]:
    """Append the keys and (with `near`) signatures to files; their count and width."""
    count = width = 0
    with (folder / "keys").open("wb") as keys_out, (folder / "signatures").open("wb") as sig_out:
        for keys, sig in chunks:
            np.asarray(keys, dtype=np.uint64).tofile(keys_out)
            count += len(keys)
            if near:
                if sig is None:
                    raise ValueError("near matching needs every text's signature")
                np.ascontiguousarray(sig, dtype=np.uint16).tofile(sig_out)
                width = sig.shape[1]
    return count, width


def _heads(keys: npt.NDArray[np.uint64]) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
    """For keys in input order: the stable sort's order, the position of the first key equal
    to each sorted one, and where each run of equal keys starts."""
    order = np.argsort(keys, kind="stable").astype(np.int64)
    ordered = keys[order]
    starts = np.concatenate(([True], ordered[1:] != ordered[:-1])) if order.size else order > 0
    head = order[np.maximum.accumulate(np.where(starts, np.arange(order.size), 0))]
    return order, head, starts


def _exact(folder: Path, count: int, block: int) -> int:
    """Write each text's first index with the same key to `first`, in input order; the
    number of distinct keys."""
    parts = parts_for(count, block)
    by_key = Spill(folder, "exact", _KEYED, parts)
    start = 0
    for keys in read_blocks(folder / "keys", np.uint64, block):
        records = np.empty(keys.size, dtype=_KEYED)
        records["key"] = keys
        records["index"] = np.arange(start, start + keys.size)
        by_key.add(records, keys % np.uint64(parts))
        start += keys.size
    (folder / "keys").unlink()
    by_block = Spill(folder, "first", _PAIR, parts)  # (text, its first) by the text's block
    distinct = 0
    for records in by_key:
        order, head, starts = _heads(records["key"])
        firsts = np.empty(order.size, dtype=_PAIR)
        firsts["first"] = records["index"][head]
        firsts["other"] = records["index"][order]
        by_block.add(firsts, firsts["other"] // block)
        distinct += int(starts.sum())
    with (folder / "first").open("wb") as out:
        for offset, records in zip(range(0, count, block), by_block, strict=False):
            first = np.empty(records.size, dtype=np.int64)
            first[records["other"] - offset] = records["first"]
            first.tofile(out)
    return distinct


def _bands(threshold: float, bins: int) -> int:
    """Rows per LSH band: the most (fewest false candidates) that still finds a pair at the
    threshold with probability >= 0.995."""
    for rows in (8, 4, 2):
        if 1 - (1 - threshold**rows) ** (bins // rows) >= 0.995:
            return rows
    return 1


def _band_keys(sig: npt.NDArray[np.uint16], rows: int) -> npt.NDArray[np.uint64]:
    """One 64-bit key per (text, band): the band's `rows` 16-bit values packed or mixed."""
    packed = np.ascontiguousarray(sig).view(np.uint64)  # 4 values per key
    if rows == 4:
        return packed
    if rows == 8:
        return packed[:, 0::2] * np.uint64(0x9E3779B97F4A7C15) ^ packed[:, 1::2]
    if rows == 2:
        return np.ascontiguousarray(sig).view(np.uint32).astype(np.uint64)
    return sig.astype(np.uint64)


def _band_pairs(
    folder: Path, count: int, distinct: int, width: int, threshold: float, block: int
) -> Spill:
    """Candidate pairs (first, other): two distinct non-empty texts with a band key in
    common, `first` the earliest text holding it; partitioned by other's block."""
    rows = _bands(threshold, width)
    bands = width // rows
    per_band = parts_for(distinct, block)
    by_band = Spill(folder, "band", _KEYED, bands * per_band)
    start = 0
    blocks = zip(
        read_blocks(folder / "first", np.int64, block),
        read_blocks(folder / "signatures", np.uint16, block, width),
        strict=True,
    )
    for first, sig in blocks:
        index = np.arange(start, start + first.size)
        start += first.size
        # distinct, and not an empty text (all 0xFFFF: see dedupe.signatures)
        wanted = (first == index) & ~(sig[:, :4] == 0xFFFF).all(axis=1)
        keys = _band_keys(sig[wanted], rows)
        records = np.empty(keys.shape[0], dtype=_KEYED)
        records["index"] = index[wanted]
        for band in range(bands):
            records["key"] = keys[:, band]
            by_band.add(records, band * per_band + keys[:, band] % np.uint64(per_band))
    pairs = Spill(folder, "pairs", _PAIR, parts_for(count, block))
    for records in by_band:
        order, head, starts = _heads(records["key"])
        joined = ~starts
        found = np.empty(int(joined.sum()), dtype=_PAIR)
        found["first"] = records["index"][head[joined]]
        found["other"] = records["index"][order[joined]]
        pairs.add(found, found["other"] // block)
    return pairs


def _verified(
    folder: Path, pairs: Spill, count: int, width: int, threshold: float, block: int
) -> tuple[IntArray, IntArray]:
    """The candidate pairs whose signatures agree on at least `threshold` of their values.

    Two passes over the signatures in order, never a random read: the pairs (partitioned
    by their later text's block) get that text's signature attached, and are partitioned
    again by their first text's block, where the first one's is at hand."""
    attached = _attached(folder, pairs, count, width, block)
    kept = _agreeing(folder, attached, width, threshold, block).take(0)
    (folder / "signatures").unlink()
    return kept["first"].copy(), kept["other"].copy()


def _attached(folder: Path, pairs: Spill, count: int, width: int, block: int) -> Spill:
    """Each distinct candidate pair with its later text's signature, by its first's block.
    A partition by the later text holds at most `bands` pairs per text."""
    attached = np.dtype([("first", "<i8"), ("other", "<i8"), ("sig", "<u2", (width,))])
    by_first = Spill(folder, "attached", attached, parts_for(count, block))
    blocks = read_blocks(folder / "signatures", np.uint16, block, width)
    for part, (records, sig) in enumerate(zip(pairs, blocks, strict=True)):
        codes = np.unique(records["first"] * count + records["other"])  # each pair once
        found = np.empty(codes.size, dtype=attached)
        found["first"], found["other"] = codes // count, codes % count
        found["sig"] = sig[found["other"] - part * block]
        by_first.add(found, found["first"] // block)
    return by_first


def _agreeing(folder: Path, attached: Spill, width: int, threshold: float, block: int) -> Spill:
    """The pairs whose signatures agree enough, in one partition. A partition by the first
    text can hold any number of pairs (one text heading every band group), so it is read
    in slices; the kept pairs go to a file rather than a list of small arrays, which left
    the heap fragmented (RSS 8 MB higher after this step for a million texts)."""
    kept = Spill(folder, "kept", _PAIR, 1)
    for part, sig in enumerate(read_blocks(folder / "signatures", np.uint16, block, width)):
        for found in attached.slices(part, _SLICE):
            first = found["first"]
            agreed = (sig[first - part * block] == found["sig"]).mean(axis=1) >= threshold
            pairs = np.empty(int(agreed.sum()), dtype=_PAIR)
            pairs["first"], pairs["other"] = first[agreed], found["other"][agreed]
            kept.add(pairs, np.zeros(pairs.size, dtype=np.int64))
    return kept


def _components(first: IntArray, other: IntArray) -> tuple[IntArray, IntArray, int]:
    """The texts in kept pairs (sorted), each one's root (the smallest text of its
    component), and how many texts were folded into another.

    Labels start as each text's own position and take the smaller label across each pair,
    then jump to their label's label, until nothing changes: each component ends with its
    smallest position, as union-find with the smallest root gives. In numpy: a Python
    union-find's lists of pairs took ~70 bytes a pair."""
    nodes = np.unique(np.concatenate((first, other)))
    a, b = np.searchsorted(nodes, first), np.searchsorted(nodes, other)
    labels = np.arange(nodes.size)
    while True:
        lower = np.minimum(labels[a], labels[b])
        moved = labels.copy()
        np.minimum.at(moved, a, lower)
        np.minimum.at(moved, b, lower)
        moved = moved[moved]
        if np.array_equal(moved, labels):
            break
        labels = moved
    folded = nodes.size - int(np.count_nonzero(labels == np.arange(nodes.size)))
    return nodes, nodes[labels], folded


def _representatives(
    path: Path, nodes: IntArray, roots: IntArray, count: int, block: int
) -> IntArray:
    """Each text's representative: the root of its first index's component (itself when in
    no kept pair), in a temporary file mapped read-only."""
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    with tempfile.TemporaryFile(prefix="benchlab-dedupe-") as out:
        for first in read_blocks(path, np.int64, block):
            if nodes.size:
                position = np.minimum(np.searchsorted(nodes, first), nodes.size - 1)
                hit = nodes[position] == first
                first[hit] = roots[position[hit]]
            first.tofile(out)
        out.flush()
        # the map keeps the (already unlinked) file alive once it is closed here
        return np.memmap(out, dtype=np.int64, mode="r", shape=(count,))
