"""Which data produced a result: dataset id, revision and a hash of the bytes read."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Provenance", "file_sha256"]

_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Provenance:
    """Enough to say exactly which data a run read.

    `revision` is the Hub commit the files came from, or None for `--data`
    files (their origin is the user's word; their hash is not). `sha256`
    covers every file read, each named by its path inside the dataset (or
    the `--data` folder), so the same bytes give the same hash wherever the
    cache lives. Suites put `as_metadata()` in their header's metadata,
    which the run stores with the suite.
    """

    dataset_id: str
    revision: str | None
    source: str  # "hub" (the local copy of a pull) or "data" (a --data path)
    files: tuple[tuple[str, str], ...] = field(default=())  # (path, sha256), sorted
    config: str | None = None

    @classmethod
    def of_files(
        cls,
        dataset_id: str,
        revision: str | None,
        source: str,
        files: Iterable[tuple[str, Path]],
        config: str | None = None,
    ) -> Provenance:
        hashed = tuple(sorted((name, file_sha256(path)) for name, path in files))
        return cls(dataset_id, revision, source, hashed, config)

    @property
    def sha256(self) -> str:
        digest = hashlib.sha256()
        for name, file_hash in self.files:
            digest.update(f"{name}\0{file_hash}\n".encode())
        return digest.hexdigest()

    def as_metadata(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset_id,
            "config": self.config,
            "revision": self.revision,
            "source": self.source,
            "sha256": self.sha256,
            "files": {name: file_hash for name, file_hash in self.files},
        }
