"""Our JSONL read back: what log_sample wrote is what the import reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchlab.samples import log_sample
from benchlab.samples.decoding import DecodedLines
from benchlab.samples.formats import Bad, Parsed, detect_format
from benchlab.samples.formats.jsonl import read_jsonl


def test_logged_lines_read_back_and_bad_lines_say_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BENCHLAB_SAMPLES_DIR", str(tmp_path))
    log_sample(
        [{"role": "user", "content": "hi"}],
        "hello",
        feedback={"score": 0.25, "label": "meh"},
        metadata={"k": [1, 2]},
        model="m",
        timestamp=1764547200.5,
    )
    (path,) = tmp_path.glob("*.jsonl")
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"input": "q", "output": 3}\n\n[1, 2]\n{"input": "q", "output": "a"}\n')
    assert detect_format(path) == "jsonl"
    items = list(read_jsonl(DecodedLines(path)))
    assert [type(i).__name__ for i in items] == ["Parsed", "Bad", "Bad", "Parsed"]
    sample = items[0].sample if isinstance(items[0], Parsed) else None
    assert sample is not None
    assert sample.input == [{"role": "user", "content": "hi"}] and sample.output == "hello"
    assert (sample.feedback_score, sample.feedback_label, sample.model) == (0.25, "meh", "m")
    assert sample.metadata == {"k": [1, 2]} and sample.timestamp is not None
    assert sample.timestamp.timestamp() == 1764547200.5
    bad = [i for i in items if isinstance(i, Bad)]
    assert [b.line for b in bad] == [2, 4]
    assert bad[0].reason.startswith("output:")
    last = items[3]
    assert (
        isinstance(last, Parsed) and last.sample.timestamp is None and last.sample.sample_id is None
    )
