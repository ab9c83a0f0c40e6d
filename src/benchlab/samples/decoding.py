"""Reading an import file's lines whatever encoding each line is in.

Exports are UTF-8, until one is not: a CSV saved by a spreadsheet on Windows,
a log file where one service wrote Latin-1. Each line is decoded on its own:
UTF-8 first (a BOM at the start of the file is dropped), and a line that is
not valid UTF-8 is decoded as Windows-1252, or Latin-1 for the five bytes
Windows-1252 leaves undefined (Latin-1 decodes every byte, so no line is lost
to its encoding). Those lines are counted (`DecodedLines.fallback`) and the
import's summary reports them: a wrong guess shows as odd characters in a
few samples, not as a failed import. A line is split on b"\\n" only, so a
stray "\\r" or a Unicode line separator inside a JSON string stays in its line.

A gzip file (rotated logs are kept so: `app-2026-11-02.jsonl.gz`) is read
through `gzip`, told by its first two bytes rather than its name; its lines
are those of what it holds. One cut short (a copy taken while the log was
still being written) is read up to where it stops (`RawLines.damage`): what
came before is imported, and the rest is one bad record.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from io import BufferedIOBase
from pathlib import Path

__all__ = [
    "FALLBACK_LINES_KEPT",
    "DecodedLines",
    "RawLines",
    "decode_line",
    "inner_suffix",
    "is_gzip",
]

FALLBACK_LINES_KEPT = 20  # line numbers kept for a report; the rest are only counted

_BOM = b"\xef\xbb\xbf"


_GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == _GZIP_MAGIC


def inner_suffix(path: Path) -> str:
    """The suffix that names the format: `.jsonl` for `app.jsonl.gz` too."""
    return Path(path.stem).suffix.lower() if path.suffix.lower() == ".gz" else path.suffix.lower()


class RawLines:
    """A file's bytes, decompressed if it is a gzip file. A damaged or cut-short gzip stream
    ends the reading quietly, and `damage` says why: the import keeps what came before and
    reports the rest as one bad record. A block is read 8 KB at a time, so the bytes an
    error takes with it are few, and at the damaged end anyway."""

    _STEP = 1 << 13
    _ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)

    def __init__(self, path: Path) -> None:
        self.damage: str | None = None
        self._gzip = is_gzip(path)
        self._handle: BufferedIOBase = (
            gzip.open(path, "rb") if self._gzip else path.open("rb")  # noqa: SIM115
        )

    def __enter__(self) -> RawLines:
        return self

    def __exit__(self, *_: object) -> None:
        self._handle.close()

    def _failed(self, exc: Exception) -> None:
        self.damage = f"the gzip stream stops here ({exc})"

    def read(self, size: int) -> bytes:
        """Up to `size` bytes (fewer only at the end)."""
        if not self._gzip:
            return self._handle.read(size)
        parts: list[bytes] = []
        left = size
        while left > 0 and self.damage is None:
            try:
                part = self._handle.read(min(left, self._STEP))
            except self._ERRORS as exc:
                self._failed(exc)
                break
            if not part:
                break
            parts.append(part)
            left -= len(part)
        return b"".join(parts)

    def readline(self) -> bytes:
        """The next line with its b"\\n" (none on the last one), b"" at the end."""
        if self.damage is not None:
            return b""
        try:
            return self._handle.readline()
        except self._ERRORS as exc:
            self._failed(exc)
            return b""

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._handle
        except self._ERRORS as exc:
            self._failed(exc)


def decode_line(raw: bytes) -> tuple[str, bool]:
    """The line's text, and whether it needed the fallback (it was not UTF-8)."""
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), True
    except UnicodeDecodeError:
        return raw.decode("latin-1"), True


@dataclass
class DecodedLines:
    """A file's lines as text (each with its line ending), numbered from 1, read lazily.

    `decode` reads any run of a file's raw lines given the number of its first one, so a
    worker of a parallel import decodes its share of the file as the whole file would be.
    """

    path: Path
    fallback: int = 0
    fallback_lines: list[int] = field(default_factory=list)
    lines: int = 0  # read so far by __iter__
    damage: str | None = None  # why a gzip file's reading stopped short (RawLines)

    def __iter__(self) -> Iterator[str]:
        with RawLines(self.path) as raw:
            for text in self.decode(raw, first=1):
                self.lines += 1
                yield text
            self.damage = raw.damage

    def decode(self, raw_lines: Iterable[bytes], *, first: int) -> Iterator[str]:
        """`raw_lines` (line `first` of the file and those after it) as text, counting the
        lines that needed the fallback."""
        for number, raw in enumerate(raw_lines, start=first):
            if number == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM) :]
            text, fell_back = decode_line(raw)
            if fell_back:
                self.fallback += 1
                if len(self.fallback_lines) < FALLBACK_LINES_KEPT:
                    self.fallback_lines.append(number)
            yield text
