"""Worker processes read a file exactly as one process reading it whole: same rows, same bad
records with the same line numbers, same counts, in the same order."""

from __future__ import annotations

import functools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from benchlab.samples import import_chunks
from benchlab.samples.decoding import DecodedLines
from benchlab.samples.formats import FORMATS, Bad, Parsed, Skipped
from benchlab.samples.import_chunks import Chunk, read_chunks
from benchlab.samples.record import ROW_COLUMNS
from support.production_samples import Generated, write_openai, write_ours

# Every column but imported_at, the clock at reading time.
_STABLE = len(ROW_COLUMNS) - 1
assert ROW_COLUMNS[_STABLE] == "imported_at"

Read = tuple[list[tuple[Any, ...]], list[tuple[int, str]], int, int]


def _whole(path: Path, kind: str) -> Read:
    """The file read as before blocks and workers: the format's reader over every line."""
    lines = DecodedLines(path)
    rows, bad, skipped = [], [], 0
    for item in FORMATS[kind](lines):
        if isinstance(item, Parsed):
            row = item.sample.values(source=str(path), line=item.line, source_format=kind)
            rows.append(row[:_STABLE])
        elif isinstance(item, Bad):
            bad.append((item.line, item.reason))
        elif isinstance(item, Skipped):
            skipped += 1
    return rows, bad, skipped, lines.fallback


def _joined(chunks: list[Chunk]) -> Read:
    rows = [row[:_STABLE] for chunk in chunks for row in chunk.rows]
    bad = [entry for chunk in chunks for entry in chunk.bad]
    return rows, bad, sum(c.skipped for c in chunks), sum(c.fallback for c in chunks)


@pytest.mark.parametrize("kind", ["jsonl", "openai"])
@pytest.mark.parametrize("workers", [0, 2])
def test_blocks_read_alone_or_by_workers_give_what_the_whole_file_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, workers: int
) -> None:
    path = tmp_path / f"log.{kind}"
    made: Generated = (write_ours if kind == "jsonl" else write_openai)(path, 1200)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # a BOM: line 1 only
    monkeypatch.setattr(import_chunks, "BLOCK_BYTES", 7000)  # dozens of blocks, cut mid-line
    chunks = list(read_chunks(path, kind, workers=workers))
    assert len(chunks) > 30
    whole = _whole(path, kind)
    assert _joined(chunks) == whole
    rows, bad, _, fallback = whole
    assert len(rows) == made.good and [line for line, _ in bad] == made.bad_lines
    assert fallback == made.latin1_lines > 0
    assert rows[0][ROW_COLUMNS.index("source_line")] == 1  # the BOM did not cost line 1


def test_a_format_whose_records_span_lines_is_read_whole_in_chunks(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        'input,output\n"two\nlines",a\n' + "".join(f"q{i},a{i}\n" for i in range(4500)),
        encoding="utf-8",
    )
    chunks = list(read_chunks(path, "csv", workers=2))  # workers do not apply to CSV
    assert [len(c.rows) for c in chunks] == [2000, 2000, 501]
    assert _joined(chunks) == _whole(path, "csv")


@pytest.mark.parametrize("start", ["spawn", "forkserver"])
def test_workers_started_without_fork_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str
) -> None:
    """Nothing a worker needs comes from the importing process's memory (Python 3.14 starts
    workers with forkserver on Linux, spawn is macOS's and Windows' way)."""
    path = tmp_path / "log.jsonl"
    write_ours(path, 600)
    monkeypatch.setattr(import_chunks, "BLOCK_BYTES", 7000)
    context = multiprocessing.get_context(start)
    pool = functools.partial(ProcessPoolExecutor, mp_context=context)
    monkeypatch.setattr(import_chunks, "ProcessPoolExecutor", pool)
    assert _joined(list(read_chunks(path, "jsonl", workers=2))) == _whole(path, "jsonl")
