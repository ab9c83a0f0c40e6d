"""A cheap embedding for the `diverse` strategy when no model is wanted: hashed character
trigrams.

`samples build --strategy diverse --embeddings hashed` uses it instead of the
offline MiniLM (which needs the `semantic` extra and torch). It sees spelling,
not meaning: two questions about the same thing in different words land far
apart, so clusters group inputs that share wording (templates, products,
languages). That is still a useful spread, costs no model, and is the same
on every machine (CRC-32, not Python's salted `hash()`).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["HASHED_DIM", "hashed_vectors"]

HASHED_DIM = 512


def hashed_vectors(texts: Sequence[str], dim: int = HASHED_DIM) -> NDArray[np.float64]:
    """One unit vector per text: counts of its lower-cased character trigrams, hashed into
    `dim` buckets (an empty text is the zero vector)."""
    out = np.zeros((len(texts), dim), dtype=np.float64)
    for row, text in enumerate(texts):
        words = " ".join(text.lower().split())
        if not words:
            continue
        padded = f"  {words} "
        for start in range(len(padded) - 2):
            gram = padded[start : start + 3].encode("utf-8")
            out[row, zlib.crc32(gram) % dim] += 1.0
        norm = float(np.linalg.norm(out[row]))
        if norm:
            out[row] /= norm
    return out
