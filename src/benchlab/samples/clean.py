"""Cleaning stored samples before they become cases: de-duplicate, then redact.

`clean` is what `samples build` calls on the samples it may draw from:

    from benchlab.samples.clean import clean
    result = clean(rows, near_threshold=0.8, keep_pii=False)
    result.kept      # the representatives, redacted, each with dedupe_count/dedupe_members
    result.document()  # the counts for a report: duplicates removed, PII per kind

`rows` are the store's sample rows (`benchlab.store.samples.iter_samples`):
mappings with at least `hash`, `input` (its stored JSON), `output` and
`timestamp`. They are ordered by timestamp then hash first, so the result
does not depend on the order they come in, and the earliest sample of each
group represents it. Duplicates are judged on the input (the case; the same
prompt answered twice is still one case): its text, or a chat's contents
one per line (`input_text`). Redaction (input, output, the feedback comment,
and every text in the metadata, which the suite keeps as provenance: an
application's `user_email`, an OpenAI request's `user`, a tool call's
arguments) runs on the kept samples only, after de-duplication, so a
question asked by many users with different e-mail addresses still folds
into one case. Metadata keys and values other than text (numbers, flags) are
kept; so are identifiers such as trace ids, which no detector takes for a
secret (redact.py leaves entropy alone).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from benchlab.samples.dedupe import DEFAULT_NEAR_THRESHOLD, Dedupe
from benchlab.samples.record import input_text
from benchlab.samples.redact import DEFAULT_PHONE_REGION, PII_KINDS, redact
from benchlab.samples.sketch import dedupe_sketched

__all__ = ["CleanResult", "clean", "dedupe_rows", "input_text", "redact_texts"]


@dataclass
class CleanResult:
    """The kept samples and what cleaning did."""

    kept: list[dict[str, Any]]
    read: int
    exact_duplicates: int
    near_duplicates: int
    near_threshold: float | None
    pii: dict[str, int] = field(default_factory=dict)  # kind -> findings redacted (or found)
    pii_kept: bool = False

    def document(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "kept": len(self.kept),
            "exact_duplicates": self.exact_duplicates,
            "near_duplicates": self.near_duplicates,
            "near_threshold": self.near_threshold,
            "pii": self.pii,
            "pii_kept": self.pii_kept,
        }


def dedupe_rows(
    rows: Iterable[Mapping[str, Any]], *, near_threshold: float | None = DEFAULT_NEAR_THRESHOLD
) -> Dedupe:
    """`dedupe` of stored rows' inputs (`input_text`), from the sketch a row stored at import
    (`dedupe_sketch`, samples/sketch.py) where it has one, so its input is not read again."""
    return dedupe_sketched(
        ((row.get("dedupe_sketch"), row) for row in rows),
        _row_text,
        near_threshold=near_threshold,
    )


def _row_text(row: Mapping[str, Any]) -> str:
    return input_text(row["input"])


def _redact_input(stored: str, counts: Counter[str], region: str | None) -> str:
    value = json.loads(stored)
    if isinstance(value, str):
        text, found = redact(value, phone_region=region)
        counts.update(found)
        return json.dumps(text, ensure_ascii=False)
    messages = []
    for message in value:
        text, found = redact(str(message.get("content", "")), phone_region=region)
        counts.update(found)
        messages.append({**message, "content": text})
    return json.dumps(messages, ensure_ascii=False)


def _redact_metadata(stored: str, counts: Counter[str], region: str | None) -> str:
    try:
        value = json.loads(stored)
    except ValueError:  # not what an import stores; nothing of it reaches a suite as JSON
        return stored
    found: Counter[str] = Counter()
    redacted = redact_texts(value, found, region)
    if not found:
        return stored  # unchanged, byte for byte
    counts.update(found)
    return json.dumps(redacted, ensure_ascii=False)


def redact_texts(value: Any, counts: Counter[str], region: str | None) -> Any:
    """`value` (parsed JSON) with every text in it redacted, the findings added to `counts`."""
    if isinstance(value, str):
        text, found = redact(value, phone_region=region)
        counts.update(found)
        return text
    if isinstance(value, list):
        return [redact_texts(v, counts, region) for v in value]
    if isinstance(value, dict):
        return {k: redact_texts(v, counts, region) for k, v in value.items()}
    return value


def _order(row: Mapping[str, Any]) -> tuple[bool, float, str]:
    stamp = row.get("timestamp")
    return (stamp is None, 0.0 if stamp is None else float(stamp), str(row["hash"]))


def clean(
    rows: Iterable[Mapping[str, Any]],
    *,
    near_threshold: float | None = DEFAULT_NEAR_THRESHOLD,
    keep_pii: bool = False,
    phone_region: str | None = DEFAULT_PHONE_REGION,
) -> CleanResult:
    """De-duplicate `rows` (exact, and near at `near_threshold`; None: exact only), then
    redact the kept ones unless `keep_pii` (the PII is then counted, not replaced).

    Each kept row is a copy with `dedupe_count` (how many samples it stands for, itself
    included) and `dedupe_members` (their hashes, itself first).
    """
    ordered = sorted(rows, key=_order)
    groups = dedupe_rows(ordered, near_threshold=near_threshold)
    counts: Counter[str] = Counter()
    kept = []
    for index in groups.kept:
        row = dict(ordered[index])
        members = groups.members(index)
        row["dedupe_count"] = len(members)
        row["dedupe_members"] = [ordered[m]["hash"] for m in members]
        fields: dict[str, Any] = {}
        fields["input"] = _redact_input(row["input"], counts, phone_region)
        for name in ("output", "feedback_comment"):
            if row.get(name):
                text, found = redact(row[name], phone_region=phone_region)
                counts.update(found)
                fields[name] = text
        if row.get("metadata"):
            fields["metadata"] = _redact_metadata(row["metadata"], counts, phone_region)
        if not keep_pii:
            row.update(fields)
        kept.append(row)
    return CleanResult(
        kept=kept,
        read=len(ordered),
        exact_duplicates=groups.exact_duplicates,
        near_duplicates=groups.near_duplicates,
        near_threshold=near_threshold,
        pii={kind: counts[kind] for kind in PII_KINDS},
        pii_kept=keep_pii,
    )
