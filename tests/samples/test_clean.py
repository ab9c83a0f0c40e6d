"""Cleaning rows as the store gives them: one representative per group, redacted, counted."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from benchlab.samples.clean import clean, input_text
from benchlab.samples.record import ImportedSample

START = datetime(2026, 11, 1, tzinfo=UTC)


def _row(i: int, question: str | list[dict[str, str]], output: str = "ok") -> dict[str, Any]:
    sample = ImportedSample(input=question, output=output, timestamp=START + timedelta(hours=i))
    return sample.row(source="app.jsonl", line=i + 1, source_format="jsonl")


def _rows() -> list[dict[str, Any]]:
    return [
        _row(0, "How do I reset my password? Mail me at jane@example.com", "Call +1 415-555-2671."),
        _row(1, "how do i reset my password? mail me at jane@example.com", "Same answer"),
        _row(2, "HOW DO I RESET MY PASSWORD? Mail me at jane@example.com!", "A third"),
        _row(
            3,
            [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "IP 10.0.0.1?"},
            ],
        ),
        _row(4, "Why was card 4111 1111 1111 1111 declined?", "Because."),
    ]


def test_the_earliest_sample_represents_its_group_whatever_the_order() -> None:
    rows = _rows()
    result = clean(rows, near_threshold=0.8)
    shuffled = list(rows)
    random.Random(5).shuffle(shuffled)
    assert clean(shuffled, near_threshold=0.8).kept == result.kept
    assert [row["hash"] for row in result.kept] == [
        rows[0]["hash"],
        rows[3]["hash"],
        rows[4]["hash"],
    ]
    first = result.kept[0]
    assert first["dedupe_count"] == 3
    assert first["dedupe_members"] == [rows[0]["hash"], rows[1]["hash"], rows[2]["hash"]]
    assert (result.read, result.exact_duplicates, result.near_duplicates) == (5, 1, 1)
    assert [row["dedupe_count"] for row in result.kept[1:]] == [1, 1]


def test_kept_samples_are_redacted_in_input_output_and_chat_messages() -> None:
    result = clean(_rows(), near_threshold=None)
    by_hash = {row["hash"]: row for row in result.kept}
    rows = _rows()
    assert json.loads(by_hash[rows[0]["hash"]]["input"]) == (
        "How do I reset my password? Mail me at [EMAIL]"
    )
    assert by_hash[rows[0]["hash"]]["output"] == "Call [PHONE]."
    chat = json.loads(by_hash[rows[3]["hash"]]["input"])
    assert chat == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "IP [IP]?"},
    ]
    assert json.loads(by_hash[rows[4]["hash"]]["input"]) == "Why was card [CARD] declined?"
    # exact de-duplication only: the three spellings are exact duplicates but the "!" one
    assert result.exact_duplicates == 1 and result.near_duplicates == 0
    assert result.pii == {"secret": 0, "email": 2, "iban": 0, "card": 1, "ip": 1, "phone": 1}
    assert result.document()["kept"] == 4


def test_texts_in_the_metadata_are_redacted_and_the_rest_kept() -> None:
    """The suite keeps a case's metadata as provenance: an e-mail there is as personal as
    one in the input. Numbers and identifiers are left as they are."""
    metadata = {
        "category": "billing",
        "user_email": "ana.lopez@example.org",
        "request_params": {"user": "+1 415-555-2671", "temperature": 0.2},
        "tool_calls": [{"arguments": '{"ip": "10.1.2.3"}'}],
        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        "tokens": 1764000000,
    }
    sample = ImportedSample(input="plain", output="ok", timestamp=START, metadata=metadata)
    plain = _row(1, "another question entirely, nothing personal")
    row = sample.row(source="app.jsonl", line=1, source_format="jsonl")
    result = clean([row, plain], near_threshold=None)
    kept = {r["hash"]: r for r in result.kept}
    assert json.loads(kept[row["hash"]]["metadata"]) == {
        **metadata,
        "user_email": "[EMAIL]",
        "request_params": {"user": "[PHONE]", "temperature": 0.2},
        "tool_calls": [{"arguments": '{"ip": "[IP]"}'}],
    }
    assert kept[plain["hash"]]["metadata"] == plain["metadata"]  # nothing found: as stored
    assert (result.pii["email"], result.pii["phone"], result.pii["ip"]) == (1, 1, 1)
    kept_pii = clean([row], near_threshold=None, keep_pii=True)
    assert kept_pii.kept[0]["metadata"] == row["metadata"] and kept_pii.pii["email"] == 1


def test_keep_pii_counts_but_leaves_the_text() -> None:
    rows = _rows()
    result = clean(rows, near_threshold=0.8, keep_pii=True)
    assert result.pii_kept
    assert result.pii["email"] == 1 and result.pii["card"] == 1
    assert result.kept[0]["input"] == rows[0]["input"]
    assert result.kept[0]["output"] == rows[0]["output"]


def test_input_text_of_stored_and_decoded_inputs() -> None:
    chat = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]
    assert input_text(json.dumps(chat)) == "hi\nyo"
    assert input_text(chat) == "hi\nyo"
    assert input_text(json.dumps("plain")) == "plain"
    assert input_text("not json") == "not json"


@settings(max_examples=25, deadline=None)
@given(
    picks=st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=12),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_the_kept_samples_do_not_depend_on_the_rows_order(picks: list[int], seed: int) -> None:
    questions = [
        "How do I reset my password?",
        "HOW DO I RESET MY PASSWORD?",
        "Can I change the billing address on an invoice I already paid?",
        "Can I change the billing address on an invoice I already paid? Thanks",
        "Why was card 4111 1111 1111 1111 declined?",
    ]
    rows = [_row(i, questions[pick]) for i, pick in enumerate(picks)]
    shuffled = list(rows)
    random.Random(seed).shuffle(shuffled)
    result = clean(rows, near_threshold=0.8)
    assert clean(shuffled, near_threshold=0.8).kept == result.kept
    assert sum(row["dedupe_count"] for row in result.kept) == len(rows)
    assert len(result.kept) == len(rows) - result.exact_duplicates - result.near_duplicates
    assert all("4111" not in row["input"] for row in result.kept)
