"""Lines in UTF-8, Windows-1252 and Latin-1 in one file: every line read, the odd ones counted."""

from __future__ import annotations

from pathlib import Path

from benchlab.samples.decoding import DecodedLines, decode_line


def test_each_line_is_decoded_on_its_own_and_fallbacks_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbfcaf\xc3\xa9\n"  # UTF-8 with a BOM
        + "café \u2013 \u201cquoted\u201d\n".encode("cp1252")
        + b"\x81 undefined in cp1252\n"
        + "naïve\n".encode()
    )
    lines = DecodedLines(path)
    assert list(lines) == [
        "café\n",
        "café \u2013 \u201cquoted\u201d\n",
        "\x81 undefined in cp1252\n",
        "naïve\n",
    ]
    assert (lines.fallback, lines.fallback_lines) == (2, [2, 3])
    assert decode_line("é".encode()) == ("é", False)
