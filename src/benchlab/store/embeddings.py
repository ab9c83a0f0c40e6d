"""Embeddings kept in the store, keyed by (embedding model, text), shared by every run.

A suite's references are embedded once per model, ever, and an answer that
two models gave word for word is embedded once. Vectors are packed float32
(a 384-d vector is 1.5 kB instead of ~8 kB of JSON).
"""

from __future__ import annotations

import hashlib
import struct
import time
from collections.abc import Mapping, Sequence

from sqlalchemy import select

from benchlab.store.schema import embeddings
from benchlab.store.store import Store
from benchlab.store.writer import insert_ignoring_duplicates

_CHUNK = 500


def embedding_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()


def _pack(vector: Sequence[float]) -> bytes:
    return struct.pack(f"<{len(vector)}f", *vector)


def _unpack(blob: bytes, dim: int) -> list[float]:
    return list(struct.unpack(f"<{dim}f", blob))


class EmbeddingStore:
    """The store as the `EmbeddingCache` that scorers see."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get_embeddings(self, model: str, texts: Sequence[str]) -> dict[str, list[float]]:
        keys = {embedding_key(model, t): t for t in dict.fromkeys(texts)}
        found: dict[str, list[float]] = {}
        wanted = list(keys)
        with self._store.engine.connect() as conn:
            for i in range(0, len(wanted), _CHUNK):
                query = select(embeddings.c.key, embeddings.c.dim, embeddings.c.vector).where(
                    embeddings.c.key.in_(wanted[i : i + _CHUNK])
                )
                for key, dim, blob in conn.execute(query):
                    found[keys[key]] = _unpack(bytes(blob), int(dim))
        return found

    def put_embeddings(self, model: str, vectors: Mapping[str, Sequence[float]]) -> None:
        if not vectors:
            return
        now = time.time()
        rows = [
            {
                "key": embedding_key(model, text),
                "model": model,
                "dim": len(vector),
                "vector": _pack(vector),
                "created_at": now,
            }
            for text, vector in vectors.items()
        ]
        with self._store.engine.begin() as conn:
            conn.execute(insert_ignoring_duplicates(self._store.engine, embeddings), rows)
