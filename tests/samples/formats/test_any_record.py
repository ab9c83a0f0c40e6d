"""Whatever JSON a line holds, every reader yields a sample or a bad record: it never raises."""

from __future__ import annotations

import json
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from benchlab.samples.decoding import DecodedLines
from benchlab.samples.formats import FORMATS, Bad, Parsed, Skipped

KEYS = [
    "input", "output", "request", "response", "messages", "choices", "message", "content",
    "role", "resourceSpans", "scopeSpans", "spans", "attributes", "events", "key", "value",
    "stringValue", "intValue", "arrayValue", "kvlistValue", "values", "name", "timestamp",
    "created", "startTimeUnixNano", "feedback", "score", "gen_ai.input.messages",
    "gen_ai.output.messages", "gen_ai.choice", "resource", "usage", "parts", "type",
]  # fmt: skip

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
    | st.sampled_from(KEYS),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    max_leaves=25,
)  # fmt: skip


@settings(max_examples=300)
@given(st.lists(json_values, min_size=1, max_size=4))
def test_no_record_crashes_a_reader(records: list[Any]) -> None:
    with TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        for name, read in FORMATS.items():
            items = list(read(DecodedLines(path)))
            assert all(isinstance(i, Parsed | Bad | Skipped) for i in items), name
