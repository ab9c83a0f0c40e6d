"""The content hash: one instant, however written, is one sample; anything else is not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from benchlab.samples.record import ImportedSample, parse_timestamp


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
