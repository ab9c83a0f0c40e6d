"""The pool's filters and `--since` ages."""

from __future__ import annotations

import pytest

from benchlab.errors import UserError
from benchlab.samples.pool import PoolSample, SampleFilter, filter_pool, parse_since, prompt_text

NOW = 1_765_000_000.0


def _sample(i: int, score: float | None, category: str | None, ts: float | None) -> PoolSample:
    metadata = {} if category is None else {"category": category}
    return PoolSample(
        hash=str(i), input="q", output="a", feedback_score=score, metadata=metadata, timestamp=ts
    )


POOL = [
    _sample(0, 0.0, "billing", NOW - 3600),
    _sample(1, 1.0, "billing", NOW - 40 * 86400),
    _sample(2, None, "account", NOW - 60),
    _sample(3, 0.5, None, None),
]


def test_ages_and_dates() -> None:
    assert parse_since("30d", now=NOW) == NOW - 30 * 86400
    assert parse_since("12h", now=NOW) == NOW - 12 * 3600
    assert parse_since("2w", now=NOW) == NOW - 14 * 86400
    assert parse_since("2025-12-01", now=NOW) == 1_764_547_200.0
    with pytest.raises(UserError, match="--since soon"):
        parse_since("soon")


def test_each_filter_and_what_it_leaves_out() -> None:
    def ids(where: SampleFilter) -> list[str]:
        return [s.hash for s in filter_pool(POOL, where)]

    assert ids(SampleFilter()) == ["0", "1", "2", "3"]
    assert ids(SampleFilter(since=NOW - 86400)) == ["0", "2"]  # no time: left out
    assert ids(SampleFilter(max_feedback=0.5)) == ["0", "3"]  # no feedback: left out
    assert ids(SampleFilter(min_feedback=0.5)) == ["1", "3"]
    assert ids(SampleFilter(categories=("billing",))) == ["0", "1"]
    assert ids(SampleFilter(categories=("billing", "account"), max_feedback=0.1)) == ["0"]
    with pytest.raises(UserError, match="above --max-feedback"):
        SampleFilter(min_feedback=0.8, max_feedback=0.2)
    assert SampleFilter(since=1_764_547_200.0, categories=("a",)).document() == {
        "since": "2025-12-01T00:00:00Z",
        "categories": ["a"],
    }


def test_a_chat_input_reads_as_its_messages_joined() -> None:
    chat = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    assert prompt_text(chat) == "Be brief.\nHi"
    assert prompt_text("plain") == "plain"
