"""`benchlab samples import`: read files of production samples into the store's `samples` table.

Every file is checked (it exists, its format is known) before anything is
stored, so a typo in the last name costs nothing. Then each file is read in
one pass and stored in batches: a bad record is reported (`on_bad`, with file
and line) and counted, never fatal; a sample already stored is counted as a
duplicate (the content hash is the key, see record.py), so running the same
import twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchlab.errors import UserError
from benchlab.samples.decoding import DecodedLines
from benchlab.samples.formats import FORMATS, Bad, Parsed, Skipped, detect_format

if TYPE_CHECKING:
    from benchlab.store import Store

__all__ = ["FileCounts", "import_files", "plan_files"]

_BATCH = 10000


@dataclass
class FileCounts:
    """What one file gave: samples read, newly imported, already stored, bad records,
    records that were not samples (non-GenAI spans), lines decoded by the fallback."""

    file: str
    format: str
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    bad: int = 0
    skipped: int = 0
    fallback_decoded: int = 0
    bad_lines: list[int] = field(default_factory=list)

    def document(self) -> dict[str, Any]:
        return asdict(self)


def plan_files(paths: Sequence[Path], fmt: str | None = None) -> list[tuple[Path, str]]:
    """Each file with its format; raises UserError for a missing file or an unknown format."""
    if fmt is not None and fmt not in FORMATS:
        raise UserError(f"--format {fmt}: not one of {', '.join(FORMATS)}")
    planned = []
    for path in paths:
        if not path.is_file():
            raise UserError(f"{path}: no such file")
        planned.append((path, fmt or detect_format(path)))
    return planned


def import_files(
    store: Store,
    paths: Sequence[Path],
    *,
    fmt: str | None = None,
    on_bad: Callable[[Path, int, str], None] | None = None,
) -> list[FileCounts]:
    """Import every file (see the module's docstring); the counts per file, in order."""
    from benchlab.store.samples import add_samples

    results = []
    for path, kind in plan_files(paths, fmt):
        counts = FileCounts(file=str(path), format=kind)
        lines = DecodedLines(path)
        batch: list[dict[str, Any]] = []

        def flush(batch: list[dict[str, Any]], counts: FileCounts = counts) -> None:
            added = add_samples(store, batch)
            counts.imported += added
            counts.duplicates += len(batch) - added
            batch.clear()

        for item in FORMATS[kind](lines):
            if isinstance(item, Parsed):
                counts.read += 1
                batch.append(item.sample.row(source=str(path), line=item.line, source_format=kind))
                if len(batch) >= _BATCH:
                    flush(batch)
            elif isinstance(item, Bad):
                counts.bad += 1
                if len(counts.bad_lines) < 100:
                    counts.bad_lines.append(item.line)
                if on_bad is not None:
                    on_bad(path, item.line, item.reason)
            elif isinstance(item, Skipped):
                counts.skipped += 1
        flush(batch)
        counts.fallback_decoded = lines.fallback
        results.append(counts)
    return results
