"""Migration 0009 and the samples table: added once per content hash, on every database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from benchlab.samples.record import ImportedSample, parse_timestamp
from benchlab.store import Store
from benchlab.store.db import SCHEMA_HEAD, current_revision
from benchlab.store.samples import add_samples, count_samples, iter_samples
from support.migrations import database_at


def test_an_existing_0008_database_gains_the_samples_table(tmp_path: Path) -> None:
    url, engine = database_at(tmp_path, "0008")
    assert "samples" not in inspect(engine).get_table_names()
    engine.dispose()
    with Store(url) as store:
        assert current_revision(store.engine) == SCHEMA_HEAD >= "0009"
        assert "samples" in inspect(store.engine).get_table_names()
        assert count_samples(store) == 0


def _row(i: int, source: str = "a.jsonl") -> dict[str, object]:
    sample = ImportedSample(f"q{i}", "a", timestamp=parse_timestamp(1796119200 + i), model="m")
    return sample.row(source=source, line=i + 1, source_format="jsonl")


def test_a_hash_is_stored_once_within_a_batch_across_batches_and_chunks(db_url: str) -> None:
    with Store(db_url) as store:
        batch = [_row(i) for i in range(1200)] + [_row(5, source="b.jsonl")]
        assert add_samples(store, batch) == 1200
        assert add_samples(store, [_row(i) for i in range(1100, 1300)]) == 100
        assert count_samples(store) == 1300
        rows = list(iter_samples(store))
    assert [r["input"] for r in rows[:2]] == ['"q0"', '"q1"']  # oldest first, input as JSON
    assert rows[5]["source"] == "a.jsonl"  # the first copy stored wins


def test_iter_samples_reads_only_the_columns_asked_for(db_url: str) -> None:
    rows = [
        ImportedSample(input=f"q{i}", output="a").row(source="f", line=i, source_format="jsonl")
        for i in range(3)
    ]
    with Store(db_url) as store:
        add_samples(store, rows)
        assert sorted(r["input"] for r in iter_samples(store, ["input"])) == [
            '"q0"',
            '"q1"',
            '"q2"',
        ]
        assert {tuple(r) for r in iter_samples(store, ["hash", "input"])} == {("hash", "input")}
