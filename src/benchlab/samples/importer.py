"""`benchlab samples import`: read files of production samples into the store's `samples` table.

Every file is checked (it exists, its format is known) before anything is
stored, so a typo in the last name costs nothing. Then each file is read in
one pass, by worker processes when it is large (import_chunks.py), and
stored in transactions of many rows (store/samples.py: a kill loses only the
one in flight): a bad record is reported (`on_bad`, with file and line) and
counted, never fatal; a sample already stored is counted as a duplicate (the
content hash is the key, see record.py), so running the same import twice,
or again after a kill, adds nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchlab.errors import UserError
from benchlab.samples.formats import FORMATS, detect_format
from benchlab.samples.import_chunks import IMPORT_COLUMNS, read_chunks, usable_cpus

if TYPE_CHECKING:
    from benchlab.store import Store
    from benchlab.store.samples import SampleWriter

__all__ = ["FileCounts", "import_files", "plan_files"]

PARALLEL_BYTES = 8 << 20  # a file this large (~20,000 samples) is read by worker processes
MAX_WORKERS = 2  # more only wait: the one process that stores the rows is then the slower


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
            raise UserError(
                f"{path}: {'a folder, not a file' if path.is_dir() else 'no such file'}"
            )
        planned.append((path, fmt or detect_format(path)))
    return planned


def import_files(
    store: Store,
    paths: Sequence[Path],
    *,
    fmt: str | None = None,
    on_bad: Callable[[Path, int, str], None] | None = None,
    workers: int | None = None,
) -> list[FileCounts]:
    """Import every file (see the module's docstring); the counts per file, in order.

    `workers`: processes that read a file of one record per line (import_chunks.py);
    0 reads in this process; None (the default) uses up to MAX_WORKERS on a machine of
    more than one CPU for a file of at least PARALLEL_BYTES, and none for a smaller one,
    where starting them costs more than it saves.
    """
    from benchlab.store.samples import SampleWriter

    results = []
    for path, kind in plan_files(paths, fmt):
        counts = FileCounts(file=str(path), format=kind)
        with SampleWriter(store, IMPORT_COLUMNS) as writer:
            _import_file(path, kind, writer, counts, on_bad, workers)
        results.append(counts)
    return results


def _import_file(
    path: Path,
    kind: str,
    writer: SampleWriter,
    counts: FileCounts,
    on_bad: Callable[[Path, int, str], None] | None,
    workers: int | None,
) -> None:
    if workers is None:
        cpus = usable_cpus()
        workers = (
            min(cpus, MAX_WORKERS) if cpus > 1 and path.stat().st_size >= PARALLEL_BYTES else 0
        )
    for chunk in read_chunks(path, kind, workers=workers):
        counts.read += len(chunk.rows)
        counts.skipped += chunk.skipped
        counts.fallback_decoded += chunk.fallback
        for line, reason in chunk.bad:
            counts.bad += 1
            if len(counts.bad_lines) < 100:
                counts.bad_lines.append(line)
            if on_bad is not None:
                on_bad(path, line, reason)
        added = writer.add(chunk.rows)
        counts.imported += added
        counts.duplicates += len(chunk.rows) - added
