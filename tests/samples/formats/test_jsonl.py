"""Our JSONL read back: what log_sample wrote is what the import reads."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from benchlab.samples import log_sample
from benchlab.samples.decoding import DecodedLines
from benchlab.samples.formats import Bad, Parsed, detect_format
from benchlab.samples.formats.jsonl import read_jsonl, validation_reason
from benchlab.samples.line import SampleLine
from benchlab.samples.record import ImportedSample


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


def _reference(data: object) -> ImportedSample | str:
    """What SampleLine alone makes of a decoded line: the sample, or the refusal's reason."""
    try:
        line = SampleLine.model_validate(data)
    except ValidationError as exc:
        return validation_reason(exc)
    feedback = line.feedback
    return ImportedSample(
        input=line.input if isinstance(line.input, str) else [m.model_dump() for m in line.input],
        output=line.output,
        timestamp=line.timestamp,
        model=line.model,
        sample_id=line.id,
        feedback_score=None if feedback is None else feedback.score,
        feedback_label=None if feedback is None else feedback.label,
        feedback_comment=None if feedback is None else feedback.comment,
        metadata=line.metadata,
    )


_TEXT = st.text(st.characters(exclude_categories=["Cs"]))  # what a JSON line can hold
_SCALAR = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _TEXT
)
_STAMP = (
    st.sampled_from(
        [
            "2026-12-01T10:00:00Z",
            "2026-12-01T10:00:00.5+02:00",
            "2026-12-01T10:00:00.123456",
            "2026-12-01T10:00:00-23:59",
            "2026-02-30T10:00:00Z",
            "2026-12-01T24:00:00Z",
            "2026-12-01T10:00:60Z",
            "0000-12-01T10:00:00Z",
            "2026-12-01 10:00:00",
            "2026-12-01",
            "1796119200",
            "yesterday",
        ]
    )
    | _SCALAR
)
_MESSAGE = st.fixed_dictionaries({"role": _SCALAR, "content": _SCALAR}) | st.dictionaries(
    st.sampled_from(["role", "content", "name"]), _TEXT
)
_LINE = st.fixed_dictionaries(
    {"input": _TEXT | st.lists(_MESSAGE, max_size=3) | _SCALAR, "output": _TEXT | _SCALAR},
    optional={
        "id": _TEXT | _SCALAR,
        "model": _TEXT | _SCALAR,
        "timestamp": _STAMP,
        "metadata": st.dictionaries(_TEXT, _SCALAR) | _SCALAR,
        "feedback": st.none()
        | st.dictionaries(st.sampled_from(["score", "label", "comment", "other"]), _SCALAR)
        | _SCALAR,
        "extra": _SCALAR,
    },
)


_VALID = {
    "id": "x",
    "input": [{"role": "user", "content": "q"}],
    "output": "a",
    "feedback": {"score": 1, "label": "up"},
    "metadata": {"k": [1]},
    "model": "m",
}


@settings(max_examples=500, deadline=None)
@given(_LINE)
@example({**_VALID, "timestamp": "2026-12-01T10:00:00.5+02:00"})
@example({**_VALID, "timestamp": "2026-12-01T10:00:00", "feedback": {"score": -2.5}})
@example({**_VALID, "timestamp": "2026-12-01T10:00:00Z", "input": "q", "feedback": None})
@example({**_VALID, "feedback": {"score": True}})
@example({**_VALID, "feedback": {"score": 2**60}})
def test_every_line_reads_as_sample_line_alone_reads_it(data: dict[str, object]) -> None:
    """The hand-read path for log_sample's own lines accepts, refuses and converts
    exactly as the pydantic schema does (valid lines and near misses alike)."""
    line = orjson.dumps(data).decode()
    [item] = read_jsonl([line])
    expected = _reference(orjson.loads(line))
    if isinstance(expected, str):
        assert isinstance(item, Bad) and item.reason == expected
    else:
        assert isinstance(item, Parsed) and item.sample == expected
        assert type(item.sample.feedback_score) is type(expected.feedback_score)  # 1.0, not 1
        row = item.sample.row(source="f", line=1, source_format="jsonl")
        assert {**row, "imported_at": 0} == {
            **expected.row(source="f", line=1, source_format="jsonl"),
            "imported_at": 0,
        }
