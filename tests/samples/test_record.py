"""The content hash: one instant, however written, is one sample; anything else is not."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchlab.samples.record import ImportedSample, Input, parse_timestamp


def test_the_same_instant_in_every_spelling_hashes_alike() -> None:
    """ISO 8601 with any offset (naive: UTC), epoch seconds, ms, us, ns (OTLP's strings)."""
    stamps = ["2026-12-01T10:00:00Z", "2026-12-01T12:00:00+02:00", "2026-12-01T10:00:00"]
    numbers = [1796119200, 1796119200.0, "1796119200000", "1796119200000000000"]
    hashes = {
        ImportedSample("q", "a", timestamp=parse_timestamp(s), model="m").content_hash()
        for s in [*stamps, *numbers]
    }
    assert len(hashes) == 1
    assert parse_timestamp(1796119200_000_000) == datetime(2026, 12, 1, 10, tzinfo=UTC)


def test_input_output_model_and_time_each_change_the_hash_feedback_does_not() -> None:
    when = parse_timestamp("2026-12-01T10:00:00Z")
    base = ImportedSample("q", "a", timestamp=when, model="m")
    others = [
        ImportedSample("q2", "a", timestamp=when, model="m"),
        ImportedSample([{"role": "user", "content": "q"}], "a", timestamp=when, model="m"),
        ImportedSample("q", "a2", timestamp=when, model="m"),
        ImportedSample("q", "a", timestamp=when, model=None),
        ImportedSample("q", "a", timestamp=None, model="m"),
    ]
    assert len({base.content_hash(), *(o.content_hash() for o in others)}) == 6
    same = ImportedSample("q", "a", timestamp=when, model="m", feedback_score=0.0, sample_id="x")
    assert same.content_hash() == base.content_hash()


def test_nanoseconds_keep_their_microseconds() -> None:
    stamp = parse_timestamp("1796119200123456789")
    assert stamp is not None and stamp.microsecond == 123456


@pytest.mark.parametrize("value", ["yesterday", float("nan"), True, [1]])
def test_what_is_not_a_timestamp_raises(value: object) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(value)


def _reference_hash(sample: ImportedSample) -> str:
    """The hash as it was first defined: the standard encoder's compact, sorted JSON."""
    stamp = None if sample.timestamp is None else round(sample.timestamp.timestamp() * 1e6)
    key = [stamp, sample.input, sample.output, sample.model]
    text = json.dumps(key, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_hashes_of_stored_samples_never_change() -> None:
    """Values computed by the first release: an import after an upgrade finds the old rows."""
    when = parse_timestamp("2026-12-01T10:00:00Z")
    text = ImportedSample('Où est "la" gare?\n\x01\u2028😀', "ok", timestamp=when, model="m")
    chat = ImportedSample([{"role": "user", "content": "é\t"}], "a")
    assert text.content_hash() == "80dfac9e9a62cf57165060a1eab215e05078847eff1a02dce9d31d2aa92642e3"
    assert chat.content_hash() == "e74a8d13141b9bc8e3c0d051edbaa8023f4756c02e1be29205e80fc67826f3dd"


_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
_INPUT = _TEXT | st.lists(
    st.dictionaries(_TEXT, _TEXT | st.integers() | st.floats(allow_nan=False), max_size=3),
    max_size=3,
)


@settings(max_examples=300, deadline=None)
@given(
    _INPUT,
    _TEXT,
    st.none() | _TEXT,
    st.none() | st.integers(min_value=0, max_value=4_000_000_000),
    st.dictionaries(_TEXT, _TEXT | st.integers() | st.floats(), max_size=3),
)
def test_hash_and_stored_json_are_the_standard_encoders(
    value: Input, output: str, model: str | None, epoch: int | None, metadata: dict[str, Any]
) -> None:
    """Any text (controls, quotes, astral characters) and any message shape, floats
    included, hash and store exactly as the standard json module writes them."""
    when = None if epoch is None else parse_timestamp(epoch)
    sample = ImportedSample(value, output, timestamp=when, model=model, metadata=metadata)
    assert sample.content_hash() == _reference_hash(sample)
    row = sample.row(source="f", line=1, source_format="jsonl")
    assert row["input"] == json.dumps(value, ensure_ascii=False)
    assert row["metadata"] == json.dumps(metadata, ensure_ascii=False, default=str)
