"""What `benchlab data list` shows: each catalog entry and whether a complete copy is local."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchlab.datasets.catalog import CATALOG
from benchlab.datasets.hub import local_copy

__all__ = ["catalog_status"]


def catalog_status(cache_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """One row per suite name, read from the local cache only (no network request).

    `revision` is the commit of the local copy when there is one, else the
    pinned default; `size` is the bytes of the split files (0 when absent).
    """
    rows = []
    for spec in CATALOG.values():
        copy = local_copy(spec, cache_dir=cache_dir)
        rows.append(
            {
                "name": spec.name,
                "dataset": spec.repo_id,
                "config": spec.config,
                "splits": spec.split_names,
                "gated": spec.gated,
                "present": copy is not None,
                "revision": copy.commit if copy else spec.revision,
                "size": copy.size if copy else 0,
                "path": str(copy.folder) if copy else None,
            }
        )
    return rows
