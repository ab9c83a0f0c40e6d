"""Prebuilt JSON encoders for the per-attempt hot path.

`json.dumps` with any non-default argument builds a new `JSONEncoder` on every
call; at several serialisations per attempt that construction alone is
measurable, so the engine keeps one encoder per style.
"""

from __future__ import annotations

import json

# Text as people wrote it (no \\u escapes), anything unexpected as its str().
dumps_text = json.JSONEncoder(ensure_ascii=False, default=str).encode
# Canonical form for hashing: sorted keys, no spaces.
dumps_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str).encode
