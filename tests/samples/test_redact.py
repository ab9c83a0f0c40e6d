"""Redaction: every planted value of every kind found, nothing found in ordinary text."""

from __future__ import annotations

import pytest

from benchlab.samples.redact import PII_KINDS, find_pii, placeholder, redact
from support.pii import CONTROL, PLANTED


def test_the_planted_set_covers_every_kind() -> None:
    assert set(PLANTED) == set(PII_KINDS)
    assert all(len(items) >= 4 for items in PLANTED.values())


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [(kind, text, value) for kind, items in PLANTED.items() for text, value in items],
)
def test_every_planted_value_is_redacted_as_its_kind(kind: str, text: str, value: str) -> None:
    redacted, counts = redact(text)
    assert value not in redacted
    assert placeholder(kind) in redacted
    assert set(counts) == {kind}, (redacted, counts)  # one kind, and nothing else taken
    assert counts[kind] == redacted.count(placeholder(kind))


@pytest.mark.parametrize("text", CONTROL)
def test_ordinary_text_has_no_finding(text: str) -> None:
    assert find_pii(text) == []
    assert redact(text) == (text, {})


def test_all_kinds_in_one_text_keep_the_words_between() -> None:
    text = " | ".join(value for items in PLANTED.values() for _, value in items[:1])
    redacted, counts = redact(f"Details: {text}. Thanks!")
    assert redacted == ("Details: [EMAIL] | [PHONE] | [CARD] | [IBAN] | [IP] | [SECRET]. Thanks!")
    assert dict(counts) == dict.fromkeys(PII_KINDS, 1)


def test_checks_reject_what_only_looks_right() -> None:
    assert find_pii("card 4111 1111 1111 1112") == []  # Luhn fails
    assert find_pii("card 1111 1111 1111 1117") == []  # Luhn passes, no card brand starts with 1
    assert find_pii("IBAN DE88 3704 0044 0532 0130 00") == []  # mod-97 fails
    assert find_pii("address 256.1.1.1 or 1.2.3") == []
    assert find_pii("time 12:30:45") == []


def test_national_numbers_follow_the_phone_region() -> None:
    assert find_pii("ruf 030 901820 an", phone_region="US") == []
    assert [f.kind for f in find_pii("ruf 030 901820 an", phone_region="DE")] == ["phone"]
    assert [f.kind for f in find_pii("ruf +49 30 901820 an", phone_region=None)] == ["phone"]
