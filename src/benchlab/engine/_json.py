"""JSON encoders for the per-attempt hot path.

Stored text (prompts, case fields, score details) goes through orjson, about
four times faster than the standard library on these small documents; the
hashing form stays on the standard library's encoder, because a cache key must
not change under people's existing response caches.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_std_text = json.JSONEncoder(ensure_ascii=False, default=str).encode
_OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps_text(value: Any) -> str:
    """Text as people wrote it (no \\u escapes); anything unexpected as its str()."""
    try:
        return orjson.dumps(value, default=str, option=_OPTIONS).decode()
    except TypeError:  # integers beyond 64 bits, and the like: the slow path still copes
        return _std_text(value)


# Canonical form for hashing: sorted keys, no spaces.
dumps_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str).encode
