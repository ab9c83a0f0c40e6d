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
more), as large de-duplication pipelines do. The grouping itself
(samples/grouping.py) works on disk, a block of rows at a time, so its
memory does not grow with the number of texts.

Deterministic: the same texts in the same order give the same groups, and
each group's representative is its first text in that order (the caller
orders: `clean` sorts by timestamp, then content hash, so the earliest
sample represents its group).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import numpy.typing as npt

from benchlab.samples.grouping import Dedupe, check_threshold, group

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
# Fixed odd constants (the golden ratio's, MurmurHash3's), so signatures are the same in every
# process.
_ROLL = 0x9E3779B1
_MIX1 = 0x85EBCA6B
_MIX2 = 0xC2B2AE35
_EMPTY = np.uint32(0xFFFFFFFF)
# Densification's probe sequences: bin j's t-th probe (fixed seed; 512 probes leave a bin
# unfilled with odds (63/64)**512 < 4e-4 even for a text of a single shingle).
_PROBES = np.random.default_rng(20261207).integers(0, BINS, size=(BINS, 512))


def normalise(text: str) -> str:
    """The form exact duplicates share (see the module's docstring)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def exact_key(text: str) -> int:
    """64-bit key of `normalise(text)`: equal for exact duplicates."""
    return _key(normalise(text))


def _key(normal: str) -> int:
    return int.from_bytes(hashlib.blake2b(normal.encode("utf-8"), digest_size=8).digest())


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


def dedupe(texts: Iterable[str], *, near_threshold: float | None = None) -> Dedupe:
    """Group exact (and, with `near_threshold` in (0, 1], near) duplicates among `texts`.

    `texts` may be a generator: it is read once, in chunks; each text's key and
    signature (136 bytes) go to temporary files, never the texts, and the grouping
    works through them a block at a time (samples/grouping.py).
    """
    check_threshold(near_threshold)
    return group(_hashed(texts, near_threshold is not None), near_threshold=near_threshold)


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
