"""An import file read as chunks of table rows, in this process or in worker processes.

Reading a record (JSON, the checks of its shape, the content hash, the stored
JSON columns, the de-duplication sketch) costs more than storing its row, and only one process can
write to a SQLite file at a time. So a file of one record per line (our JSONL,
OpenAI chat logs) is cut into blocks of whole lines that worker processes read
while the importing process stores the rows of the blocks before them. Blocks
come back in file order, each read exactly as the whole file would be (line
numbers, the decoding fallback, the format's reader), so the rows, the bad
records and the order they are reported in are those of a serial read; a few
blocks per worker at most are in flight, so memory does not grow with the
file. Formats whose records span lines (CSV with quoted line breaks, an OTLP
document) are read in this process.
"""

from __future__ import annotations

import io
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from benchlab.samples.decoding import DecodedLines, RawLines
from benchlab.samples.formats import FORMATS, Bad, Item, Parsed, Skipped
from benchlab.samples.record import ROW_COLUMNS, input_text
from benchlab.samples.sketch import sketches

__all__ = ["IMPORT_COLUMNS", "LINE_FORMATS", "Chunk", "parse_block", "read_chunks", "usable_cpus"]

# A row as an import stores it: `ImportedSample.values`, then the input's sketch.
IMPORT_COLUMNS = (*ROW_COLUMNS, "dedupe_sketch")
_INPUT = ROW_COLUMNS.index("input")

LINE_FORMATS = frozenset(("jsonl", "openai"))  # one record per line: blocks can be read apart
BLOCK_BYTES = 1 << 20  # a block: about 2,000 logged samples
_ITEMS = 2000  # records per chunk of a format read whole
_AHEAD = 3  # blocks in flight per worker: enough to keep each busy while rows are stored
_PARENT_POLL_S = 0.5


@dataclass(slots=True)
class Chunk:
    """The rows (IMPORT_COLUMNS) of a run of records, with the records that were bad (line,
    reason) or skipped, and lines decoded by the fallback."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)
    bad: list[tuple[int, str]] = field(default_factory=list)
    skipped: int = 0
    fallback: int = 0


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every OS
        return os.cpu_count() or 1


def _blank(value: str | list[dict[str, str]]) -> bool:
    """No text to ask a model: an empty prompt, or a chat whose every message is empty (an
    image-only message, a CSV row whose input cell was left empty). Every such sample would
    also fold into one duplicate group, and a suite case of it asks nothing."""
    if isinstance(value, str):
        return not value or value.isspace()
    return all(not m["content"] or m["content"].isspace() for m in value)


def _add(chunk: Chunk, item: Item, source: str, kind: str, offset: int) -> None:
    if isinstance(item, Parsed):
        line = item.line + offset
        if _blank(item.sample.input):
            chunk.bad.append((line, "input: empty (no text to ask a model)"))
            return
        chunk.rows.append(item.sample.values(source=source, line=line, source_format=kind))
    elif isinstance(item, Bad):
        chunk.bad.append((item.line + offset, item.reason))
    elif isinstance(item, Skipped):
        chunk.skipped += 1


def _sketched(chunk: Chunk) -> Chunk:
    """The chunk with each row's de-duplication sketch (IMPORT_COLUMNS), made from the input
    as stored, as de-duplication would make it (samples/sketch.py)."""
    if chunk.rows:
        made = sketches([input_text(row[_INPUT]) for row in chunk.rows])
        chunk.rows = [(*row, sketch) for row, sketch in zip(chunk.rows, made, strict=True)]
    return chunk


def parse_block(source: str, kind: str, first: int, block: bytes) -> Chunk:
    """The chunk of `block`: whole lines of the file `source` (in format `kind`, one of
    LINE_FORMATS), the first of them being line `first`."""
    lines = DecodedLines(Path(source))
    chunk = Chunk()
    # A reader numbers the lines it is given from 1; BytesIO splits lines as a file does.
    for item in FORMATS[kind](lines.decode(io.BytesIO(block), first=first)):
        _add(chunk, item, source, kind, first - 1)
    chunk.fallback = lines.fallback
    return _sketched(chunk)


def _blocks(raw: RawLines) -> Iterator[tuple[int, bytes]]:
    """(number of its first line, block) for the whole file, each block ending at a line's end."""
    first = 1
    while block := raw.read(BLOCK_BYTES):
        if not block.endswith(b"\n"):
            block += raw.readline()
        yield first, block
        first += block.count(b"\n")


def _damaged(line: int, damage: str | None) -> Iterator[Chunk]:
    """The bad record of a gzip file cut short at `line`, if it was."""
    if damage is not None:
        yield Chunk(bad=[(line, damage + "; the lines after it are missing")])


def _read_whole(path: Path, kind: str) -> Iterator[Chunk]:
    lines = DecodedLines(path)
    items = iter(FORMATS[kind](lines))
    source = str(path)
    counted = 0
    while True:
        chunk = Chunk()
        for item in islice(items, _ITEMS):
            _add(chunk, item, source, kind, 0)
        chunk.fallback, counted = lines.fallback - counted, lines.fallback
        if not (chunk.rows or chunk.bad or chunk.skipped or chunk.fallback):
            yield from _damaged(lines.lines + 1, lines.damage)
            return
        yield _sketched(chunk)


def _start_worker(importer: int) -> None:
    """A worker ignores Ctrl-C (the importing process handles it and stops the pool) and
    exits once the importing process is gone: killed (-9), it cannot stop the pool, and a
    worker waiting for its next block would wait forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch = threading.Thread(target=_exit_with, args=(os.getppid(), importer), daemon=True)
    watch.start()


def _exit_with(parent: int, importer: int) -> None:
    """Polls for the end of the importing process: the worker's parent changes (fork, spawn),
    or, when the parent is a fork server (which outlives the importing process while its
    workers do), the importing process's id is gone once its own parent reaped it."""
    while os.getppid() == parent != 1 and _exists(importer):
        time.sleep(_PARENT_POLL_S)
    os._exit(1)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process took the id
        return False
    return True


def _in_order(
    pool: ProcessPoolExecutor, tasks: Iterable[tuple[Any, ...]], ahead: int
) -> Iterator[Chunk]:
    pending: deque[Future[Chunk]] = deque()
    for task in tasks:
        pending.append(pool.submit(parse_block, *task))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def read_chunks(path: Path, kind: str, *, workers: int = 0) -> Iterator[Chunk]:
    """The file's chunks in order; with `workers` > 0 and a format of LINE_FORMATS, read by
    that many worker processes (see the module's docstring)."""
    if kind not in LINE_FORMATS:
        yield from _read_whole(path, kind)
        return
    source = str(path)
    with RawLines(path) as raw:
        ends = [1]  # the line after the last block handed out

        def tasks() -> Iterator[tuple[str, str, int, bytes]]:
            for first, block in _blocks(raw):
                ends[0] = first + block.count(b"\n") + (not block.endswith(b"\n"))
                yield source, kind, first, block

        if workers <= 0:
            for task in tasks():
                yield parse_block(*task)
        else:
            pool = ProcessPoolExecutor(
                max_workers=workers, initializer=_start_worker, initargs=(os.getpid(),)
            )
            try:
                yield from _in_order(pool, tasks(), _AHEAD * workers)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
        yield from _damaged(ends[0], raw.damage)
