"""The white-space class the schema's patterns share is exactly Python's `str.isspace`."""

from __future__ import annotations

import re
import sys

from benchlab.server.whitespace import NOT_BLANK, PY_SPACE


def test_the_class_is_exactly_what_python_strips() -> None:
    space = re.compile(f"[{PY_SPACE}]")
    named = {chr(c) for c in range(sys.maxunicode + 1) if space.fullmatch(chr(c))}
    stripped = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert named == stripped
    assert "\ufeff" not in named and {"\x1c", "\x1f", "\x85"} <= named


def test_not_blank_finds_what_strip_leaves() -> None:
    texts = ["", " ", "\x1c\x1d\x1e\x1f", "\x85\u3000", "\ufeff", " k ", "\u200b", "a b"]
    assert [bool(re.search(NOT_BLANK, t)) for t in texts] == [bool(t.strip()) for t in texts]
