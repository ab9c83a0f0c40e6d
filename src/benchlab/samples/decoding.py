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
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["FALLBACK_LINES_KEPT", "DecodedLines", "decode_line"]

FALLBACK_LINES_KEPT = 20  # line numbers kept for a report; the rest are only counted

_BOM = b"\xef\xbb\xbf"


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

    def __iter__(self) -> Iterator[str]:
        with self.path.open("rb") as handle:
            yield from self.decode(handle, first=1)

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
