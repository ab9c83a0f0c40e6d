"""White space as the server's text checks mean it, spelled so the OpenAPI schema means it too.

The handlers call a text blank when Python's `str.strip` leaves nothing of it. The schema's
patterns are read in ECMAScript's dialect by clients and fuzzers, and in Rust's by
pydantic's own validation; their `\\s` differs from Python's white space and from each other
(ECMAScript's lacks U+001C-U+001F and U+0085 and has U+FEFF; Rust's lacks U+001C-U+001F).
So the class names Python's white space one by one, and every dialect reads it alike.
"""

from __future__ import annotations

__all__ = ["NOT_BLANK", "PY_SPACE"]

# Exactly the characters for which `str.isspace()` is true (tests/server/test_whitespace.py).
PY_SPACE = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

# A search pattern (not anchored) that finds a text with something besides white space.
NOT_BLANK = rf"[^{PY_SPACE}]"
