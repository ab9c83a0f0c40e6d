"""A sample's de-duplication sketch: made once at import, stored with it, read by `dedupe`.

De-duplicating a million stored samples used to read every input back, decode
it and hash it again (normalise, exact key, MinHash signature): three quarters
of its 12 s. The import's worker processes now make each sample's sketch while
they read it, and store it in `samples.dedupe_sketch` (migration 0011):

    version (1 byte) | exact key (8 bytes, little-endian) | signature (64 x 16 bits, LE)

so de-duplication reads 137 bytes a sample and goes straight to grouping.
A sample stored before (NULL), or whose sketch has another version, has its
sketch made from its input on the spot: the groups are the same either way.
VERSION must change whenever `normalise`, the exact key or `signatures` do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from benchlab.samples.dedupe import BINS, Dedupe, group, hashed

__all__ = ["SKETCH_BYTES", "VERSION", "dedupe_sketched", "sketches"]

VERSION = 1
SKETCH_BYTES = 1 + 8 + 2 * BINS
_CHUNK = 4096  # samples per chunk handed to `group`

T = TypeVar("T")


def sketches(texts: Sequence[str]) -> list[bytes]:
    """Each text's sketch (see the module's docstring), hashed as one numpy batch."""
    keys, sig = hashed(texts)
    assert sig is not None
    packed = np.empty((len(texts), SKETCH_BYTES), dtype=np.uint8)
    packed[:, 0] = VERSION
    packed[:, 1:9] = keys.astype("<u8").view(np.uint8).reshape(-1, 8)
    packed[:, 9:] = sig.astype("<u2").view(np.uint8).reshape(-1, 2 * BINS)
    flat = packed.tobytes()
    return [flat[i : i + SKETCH_BYTES] for i in range(0, len(flat), SKETCH_BYTES)]


def dedupe_sketched(
    items: Iterable[tuple[bytes | None, T]],
    text: Callable[[T], str],
    *,
    near_threshold: float | None = None,
) -> Dedupe:
    """`dedupe` of items given as (stored sketch or None, what `text` makes the text of):
    the text is made, and hashed, only for an item without a sketch of this VERSION."""
    return group(_chunks(items, text, near_threshold is not None), near_threshold=near_threshold)


def _chunks(
    items: Iterable[tuple[bytes | None, T]], text: Callable[[T], str], near: bool
) -> Iterator[tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint16] | None]]:
    batch: list[tuple[bytes | None, T]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= _CHUNK:
            yield _unpack(batch, text, near)
            batch.clear()
    yield _unpack(batch, text, near)


def _unpack(
    batch: list[tuple[bytes | None, T]], text: Callable[[T], str], near: bool
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint16] | None]:
    current = np.fromiter((_current(s) for s, _ in batch), dtype=bool, count=len(batch))
    stored, missing = np.flatnonzero(current), np.flatnonzero(~current)
    keys = np.empty(len(batch), dtype=np.uint64)
    sig = np.empty((len(batch), BINS), dtype=np.uint16)
    if stored.size:
        blob = b"".join(batch[i][0] or b"" for i in stored)
        packed = np.frombuffer(blob, dtype=np.uint8).reshape(-1, SKETCH_BYTES)
        keys[stored] = np.ascontiguousarray(packed[:, 1:9]).view("<u8").ravel()
        sig[stored] = np.ascontiguousarray(packed[:, 9:]).view("<u2")
    if missing.size:
        made_keys, made_sig = hashed([text(batch[i][1]) for i in missing], near=near)
        keys[missing] = made_keys
        if made_sig is not None:
            sig[missing] = made_sig
    return keys, sig if near else None


def _current(sketch: bytes | None) -> bool:
    return sketch is not None and len(sketch) == SKETCH_BYTES and sketch[0] == VERSION
