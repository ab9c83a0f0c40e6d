"""De-duplication of production samples: exact (normalised text) and near (MinHash + LSH).

A production log repeats itself: the same question asked by many users, or
asked again with a typo fixed. A benchmark wants each case once, so samples
are grouped and one representative per group is kept; it records how many
samples it stands for and which.

Exact: two texts are the same when their normal forms are (`normalise`):
Unicode NFKC (full-width letters, ligatures, non-breaking spaces fold to
their plain forms), case folded, runs of whitespace made one space, ends
stripped. Punctuation and digits are kept: "order 12" and "order 13" are two
questions. The key is the first 8 bytes of BLAKE2b of the normal form
(a collision among a million texts has odds near 3e-8).

Near: the Jaccard similarity of the texts' sets of character 5-grams (of the
normal form), estimated by MinHash and found by LSH banding, at or above
`threshold`. The signatures are one-permutation MinHash (one hash per 5-gram
into 64 bins, empty bins filled by "optimal densification", Shrivastava 2017)
kept as 16-bit values: numpy hashes the 5-grams of 4096 texts at once, one
hash per 5-gram. datasketch was tried and not taken: a MinHash object per
text (128 permutations, a SHA-1 per 5-gram in Python) and its LSH's
insert/query took 26 s per 4096 texts where these signatures took 0.19 s
(same texts, same loaded machine); a million samples would take hours. Candidate
pairs (same band) are kept only when their signatures agree on at least
`threshold` of the 64 values; groups are the connected components of the
kept pairs (so A~B and B~C put A, B and C together even if A and C differ
more), as large de-duplication pipelines do.

Deterministic: the same texts in the same order give the same groups, and
each group's representative is its first text in that order (the caller
orders: `clean` sorts by timestamp, then content hash, so the earliest
sample represents its group).
"""

from __future__ import annotations

import hashlib
import mmap
import unicodedata
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = [
    "DEFAULT_NEAR_THRESHOLD",
    "Dedupe",
    "dedupe",
    "exact_key",
    "group",
    "hashed",
    "normalise",
    "signatures",
]

DEFAULT_NEAR_THRESHOLD = 0.8
SHINGLE = 5  # characters per shingle
BINS = 64  # MinHash values per signature
_CHUNK = 4096  # texts hashed per numpy batch: a bounded working set, whatever the input size
_MASK64 = (1 << 64) - 1
# Fixed odd constants (the golden ratio's, MurmurHash3's), so signatures are the same in every
# process.
_ROLL = 0x9E3779B1
_MIX1 = 0x85EBCA6B
_MIX2 = 0xC2B2AE35
_EMPTY = np.uint32(0xFFFFFFFF)
# Densification's probe sequences: bin j's t-th probe (fixed seed; 512 probes leave a bin
# unfilled with odds (63/64)**512 < 4e-4 even for a text of a single shingle).
_PROBES = np.random.default_rng(20261207).integers(0, BINS, size=(BINS, 512))

IntArray = npt.NDArray[np.int64]


def normalise(text: str) -> str:
    """The form exact duplicates share (see the module's docstring)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def exact_key(text: str) -> int:
    """64-bit key of `normalise(text)`: equal for exact duplicates."""
    return _key(normalise(text))


def _key(normal: str) -> int:
    return int.from_bytes(hashlib.blake2b(normal.encode("utf-8"), digest_size=8).digest())


def _u64(value: int) -> np.uint64:
    return np.uint64(value & _MASK64)


def signatures(normal_forms: Sequence[str]) -> npt.NDArray[np.uint16]:
    """One-permutation MinHash signatures of already normalised texts, one row (64 values) each.

    A text shorter than a shingle is one shingle (padded); an empty text's row is all
    0xFFFF and matches nothing (`dedupe` keeps empty texts out of near matching).
    """
    count = len(normal_forms)
    if count == 0:
        return np.zeros((0, BINS), dtype=np.uint16)
    padded = [t if len(t) >= SHINGLE or not t else t.ljust(SHINGLE, "\0") for t in normal_forms]
    lengths = np.fromiter((len(t) for t in padded), dtype=np.int64, count=count)
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32)
    windows = np.maximum(lengths - SHINGLE + 1, 0)
    total = int(windows.sum())
    sig = np.full((count, BINS), _EMPTY, dtype=np.uint32)
    if total:
        # Rolling polynomial hash of every window, then only the windows inside one text
        # (the last SHINGLE-1 windows of each text run into the next one).
        span = codes.size - SHINGLE + 1
        hashes = codes[:span].copy()
        for j in range(1, SHINGLE):
            hashes *= np.uint32(_ROLL)
            hashes += codes[j : j + span]
        inside = np.ones(span, dtype=bool)
        ends = np.cumsum(lengths)[lengths > 0]
        for back in range(1, SHINGLE):
            crossing = ends - back
            inside[crossing[crossing < span]] = False
        h = hashes[inside]
        # MurmurHash3's 32-bit finaliser: every bit of the bin and of the value depends on
        # every character of the window. 32-bit arithmetic moves half the bytes of 64-bit.
        h ^= h >> np.uint32(16)
        h *= np.uint32(_MIX1)
        h ^= h >> np.uint32(13)
        h *= np.uint32(_MIX2)
        h ^= h >> np.uint32(16)
        owner = np.repeat(np.arange(count, dtype=np.int64), windows)
        owner <<= 6
        owner |= h >> np.uint32(26)  # top 6 bits: the bin (64 bins)
        values = h & np.uint32(0x3FFFFFF)  # the other 26 bits: the value
        flat = sig.reshape(-1)
        np.minimum.at(flat, owner, values)
    _densify(sig)
    out = (sig & np.uint32(0xFFFF)).astype(np.uint16)
    out[(sig == _EMPTY).all(axis=1)] = 0xFFFF
    return out


def _densify(sig: npt.NDArray[np.uint32]) -> None:
    """Fill each empty bin with the value of a non-empty bin chosen by a fixed probe sequence
    of that bin ("optimal densification", Shrivastava 2017): the same for every text, so two
    texts' filled bins agree with the probability their sources do, and a short text (more
    empty bins than not) is estimated about as well as a long one."""
    empty = sig == _EMPTY
    original = sig.copy()
    row, column = np.nonzero(empty & ~empty.all(axis=1, keepdims=True))
    for probe in range(_PROBES.shape[1]):
        if row.size == 0:
            break
        source = _PROBES[column, probe]
        found = ~empty[row, source]
        sig[row[found], column[found]] = original[row[found], source[found]]
        row, column = row[~found], column[~found]


@dataclass
class Dedupe:
    """Groups of duplicate texts. `representative[i]` is the index (in input order) of the
    text that stands for text i (itself when it is kept)."""

    representative: list[int]
    exact_duplicates: int  # texts whose normal form an earlier text already had
    near_duplicates: int  # distinct normal forms folded into another by near matching
    threshold: float | None
    _members: dict[int, list[int]] = field(default_factory=dict, repr=False)

    @property
    def kept(self) -> list[int]:
        """The representatives' indices, in input order."""
        return [i for i, rep in enumerate(self.representative) if rep == i]

    def members(self, index: int) -> list[int]:
        """Every text the representative `index` stands for, itself first, in input order."""
        if not self._members:
            for i, rep in enumerate(self.representative):
                self._members.setdefault(rep, []).append(i)
        return self._members.get(index, [])

    @property
    def removed(self) -> int:
        return self.exact_duplicates + self.near_duplicates


def _bands(threshold: float) -> int:
    """Rows per LSH band: the most (fewest false candidates) that still finds a pair at the
    threshold with probability >= 0.995."""
    for rows in (8, 4, 2):
        if 1 - (1 - threshold**rows) ** (BINS // rows) >= 0.995:
            return rows
    return 1


def _band_keys(sig: npt.NDArray[np.uint16], rows: int) -> npt.NDArray[np.uint64]:
    """One 64-bit key per (text, band): the band's `rows` 16-bit values packed or mixed."""
    packed = np.ascontiguousarray(sig).view(np.uint64)  # 4 values per key
    if rows == 4:
        return packed
    if rows == 8:
        return packed[:, 0::2] * _u64(0x9E3779B97F4A7C15) ^ packed[:, 1::2]
    if rows == 2:
        return np.ascontiguousarray(sig).view(np.uint32).astype(np.uint64)
    return sig.astype(np.uint64)


class _Components:
    """Union-find over indices whose root is always the component's smallest index. The
    parents are an array of 8-byte integers (a list of a million ints took 40 MB)."""

    def __init__(self, size: int) -> None:
        self.parent = array("q", np.arange(size, dtype=np.int64).tobytes())

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return True

    def roots(self) -> IntArray:
        """Every index's root, by pointer jumping in numpy (a find per index in Python took
        a second per million)."""
        parent = np.frombuffer(self.parent, dtype=np.int64).copy()
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                return parent
            parent = grand


def _near_pairs(
    sig: npt.NDArray[np.uint16], threshold: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Pairs (earlier, later) of rows of `sig` that share a band and agree on >= threshold of
    their values. Each band's equal keys are joined to the first row holding that key."""
    rows = _bands(threshold)
    keys = _band_keys(sig, rows)
    usable = ~(sig[:, :4] == 0xFFFF).all(axis=1)  # an empty text: all 0xFFFF (see signatures)
    size = sig.shape[0]
    # Each candidate pair (earlier, later) as one code: half the memory of two index arrays.
    codes: list[npt.NDArray[np.int64]] = []
    for band in range(keys.shape[1]):
        column = keys[:, band]
        order = np.argsort(column, kind="stable").astype(np.int64)
        order = order[usable[order]]
        if order.size < 2:
            continue
        ordered = column[order]
        starts = np.concatenate(([True], ordered[1:] != ordered[:-1]))
        head = order[np.maximum.accumulate(np.where(starts, np.arange(order.size), 0))]
        joined = ~starts
        codes.append(head[joined] * size + order[joined])
    candidates = np.unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
    del codes
    first, other = candidates // size, candidates % size
    agreed = np.zeros(first.size, dtype=bool)
    for start in range(0, first.size, 65536):  # bounded memory for the comparison
        a, b = first[start : start + 65536], other[start : start + 65536]
        agreed[start : start + 65536] = (sig[a] == sig[b]).mean(axis=1) >= threshold
    return first[agreed], other[agreed]


def _own_pages(sig: npt.NDArray[np.uint16]) -> npt.NDArray[np.uint16]:
    """`sig` copied into pages of its own (an anonymous mmap), which go back to the system
    as soon as it is freed. The chunks are gathered into one array once all are read; freed
    back into the C heap, they stayed in the process, and the peak held every signature
    twice (100 MB more for a million texts)."""
    if sig.size == 0:
        return sig
    own = np.frombuffer(mmap.mmap(-1, sig.nbytes), dtype=sig.dtype).reshape(sig.shape)
    own[...] = sig
    return own


def dedupe(texts: Iterable[str], *, near_threshold: float | None = None) -> Dedupe:
    """Group exact (and, with `near_threshold` in (0, 1], near) duplicates among `texts`.

    `texts` may be a generator: it is read once, in chunks, and only a key and a
    signature (136 bytes) per text are kept, never the texts; with the groups'
    bookkeeping the peak is about 200 bytes per text (bench/samples_clean.py).
    """
    _check(near_threshold)
    return group(_hashed(texts, near_threshold is not None), near_threshold=near_threshold)


def _check(near_threshold: float | None) -> None:
    if near_threshold is not None and not 0 < near_threshold <= 1:
        raise ValueError(f"near_threshold must be in (0, 1], not {near_threshold}")


def hashed(
    texts: Sequence[str], *, near: bool = True
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint16] | None]:
    """The exact keys of `texts` and (with `near`) their signatures, as `group` takes them."""
    normal = [normalise(t) for t in texts]
    keys = np.fromiter((_key(t) for t in normal), dtype=np.uint64, count=len(normal))
    return keys, signatures(normal) if near else None


def _hashed(
    texts: Iterable[str], near: bool
) -> Iterator[tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint16] | None]]:
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= _CHUNK:
            yield hashed(batch, near=near)
            batch.clear()
    yield hashed(batch, near=near)


def group(
    chunks: Iterable[tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint16] | None]],
    *,
    near_threshold: float | None = None,
) -> Dedupe:
    """`dedupe` of texts given as chunks of their exact keys and signatures (`hashed`, or
    stored ones: samples/sketch.py); signatures may be None without `near_threshold`."""
    _check(near_threshold)
    key_chunks: list[npt.NDArray[np.uint64]] = []
    sig_chunks: list[npt.NDArray[np.uint16]] = []
    for keys, sig in chunks:
        key_chunks.append(keys)
        if near_threshold is not None:
            if sig is None:
                raise ValueError("near matching needs every text's signature")
            sig_chunks.append(_own_pages(sig))
    keys = np.concatenate(key_chunks) if key_chunks else np.zeros(0, dtype=np.uint64)
    count = int(keys.size)
    # First index of each distinct key (np.unique sorts stably when asked for indices).
    _, firsts, inverse = np.unique(keys, return_index=True, return_inverse=True)
    representative_of = firsts[inverse].astype(np.int64)
    distinct = int(firsts.size)
    near = 0
    if near_threshold is not None and distinct > 1:
        uniques = np.sort(firsts).astype(np.int64)
        # The unique texts' signatures, gathered chunk by chunk as each chunk is freed, so the
        # peak is one signature per text, not two or three.
        wanted = np.zeros(count, dtype=bool)
        wanted[uniques] = True
        sig = np.empty((distinct, BINS), dtype=np.uint16)
        offset = filled = 0
        sig_chunks.reverse()
        while sig_chunks:
            chunk = sig_chunks.pop()
            rows = chunk[wanted[offset : offset + len(chunk)]]
            sig[filled : filled + len(rows)] = rows
            offset += len(chunk)
            filled += len(rows)
        del wanted
        first, other = _near_pairs(sig, near_threshold)
        del sig  # before the result is built: 128 bytes a text
        components = _Components(distinct)
        for a, b in zip(first.tolist(), other.tolist(), strict=True):
            near += components.union(a, b)
        roots = components.roots()
        # position of each text's exact representative among the uniques -> its root's index
        position = np.searchsorted(uniques, representative_of)
        representative_of = uniques[roots[position]]
    representative = representative_of.tolist()
    return Dedupe(
        representative=representative,
        exact_duplicates=count - distinct,
        near_duplicates=near,
        threshold=near_threshold,
    )
