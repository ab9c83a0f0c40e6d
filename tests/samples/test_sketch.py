"""Sketches stored at import group samples exactly as their texts do, stored or not."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from benchlab.samples.clean import dedupe_rows, input_text
from benchlab.samples.dedupe import dedupe
from benchlab.samples.importer import import_files
from benchlab.samples.sketch import SKETCH_BYTES, VERSION, dedupe_sketched, sketches
from benchlab.store import Store
from benchlab.store.samples import iter_samples
from support.production_samples import write_ours

WORDS = [
    "reset",
    "password",
    "billing",
    "address",
    "invoice",
    "card",
    "declined",
    "order",
    "shipping",
    "refund",
]


def _texts(count: int, seed: int = 7) -> list[str]:
    """Questions, exact repeats in other casing and spacing, and near variants."""
    rng = random.Random(seed)
    texts: list[str] = []
    for _ in range(count):
        roll = rng.random()
        if texts and roll < 0.2:
            texts.append("  " + rng.choice(texts).upper())
        elif texts and roll < 0.35:
            texts.append(rng.choice(texts) + " " + rng.choice(WORDS))
        else:
            texts.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 14))) + "?")
    return texts


def test_stored_sketches_missing_ones_and_other_versions_give_the_texts_groups() -> None:
    texts = _texts(9000)  # more than one chunk of 4096
    made = sketches(texts)
    assert {len(s) for s in made} == {SKETCH_BYTES} and {s[0] for s in made} == {VERSION}
    stored: list[bytes | None] = list(made)
    for i in range(0, len(stored), 3):
        stored[i] = None  # imported before sketches were stored
    for i in range(1, len(stored), 50):
        stored[i] = bytes([VERSION + 1]) + made[i][1:]  # made by another version
    asked: list[str] = []

    def text(value: str) -> str:
        asked.append(value)
        return value

    for near in (None, 0.8):
        asked.clear()
        reference = dedupe(texts, near_threshold=near)
        groups = dedupe_sketched(zip(stored, texts, strict=True), text, near_threshold=near)
        assert groups.representative == reference.representative
        assert (groups.exact_duplicates, groups.near_duplicates) == (
            reference.exact_duplicates,
            reference.near_duplicates,
        )
        assert len(asked) == sum(s is None or s[0] != VERSION for s in stored)
    assert reference.exact_duplicates > 1000 and reference.near_duplicates > 100


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="abcde fgh?!ÉéＡ\u00a0", max_size=30), max_size=40))
def test_a_sketch_is_the_same_made_alone_or_among_others(texts: list[str]) -> None:
    assert [sketches([t])[0] for t in texts] == sketches(texts)


def test_an_import_stores_each_input_s_sketch_and_dedupe_reads_them(
    db_url: str, tmp_path: Path
) -> None:
    made = write_ours(tmp_path / "log.jsonl", 1500)
    with Store(db_url) as store:
        import_files(store, [made.path], workers=2)
        rows = list(iter_samples(store, ["input", "dedupe_sketch"]))
    texts = [input_text(r["input"]) for r in rows]
    assert [bytes(r["dedupe_sketch"]) for r in rows] == sketches(texts)
    without = [{"input": r["input"], "dedupe_sketch": None} for r in rows]
    for near in (None, 0.8):
        groups = dedupe_rows(rows, near_threshold=near)
        assert groups.representative == dedupe(texts, near_threshold=near).representative
        assert groups.representative == dedupe_rows(without, near_threshold=near).representative
