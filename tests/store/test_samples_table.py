"""Migration 0009 and the samples table: added once per content hash, on every database, in
transactions of many rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from benchlab.samples.clean import dedupe_rows, input_text
from benchlab.samples.dedupe import dedupe
from benchlab.samples.import_chunks import IMPORT_COLUMNS
from benchlab.samples.record import ROW_COLUMNS, ImportedSample, parse_timestamp
from benchlab.store import Store
from benchlab.store.db import SCHEMA_HEAD, current_revision
from benchlab.store.samples import (
    SAMPLE_COLUMNS,
    SampleWriter,
    add_samples,
    count_samples,
    iter_samples,
)
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


def test_a_later_copy_in_the_same_call_does_not_replace_the_first(db_url: str) -> None:
    with Store(db_url) as store:
        assert add_samples(store, [_row(1), _row(2), _row(1, source="b.jsonl")]) == 2
        [kept] = [r for r in iter_samples(store) if r["input"] == '"q1"']
    assert kept["source"] == "a.jsonl"


def test_an_imported_row_has_the_table_columns_in_their_order() -> None:
    assert IMPORT_COLUMNS == SAMPLE_COLUMNS


def test_a_writer_commits_every_so_many_rows_and_an_error_loses_only_the_rest(
    db_url: str,
) -> None:
    values = [tuple(_row(i).values()) for i in range(6)]
    with Store(db_url) as store:
        with pytest.raises(RuntimeError), SampleWriter(store, ROW_COLUMNS, commit_rows=3) as w:
            assert w.add(values[:2]) == 2
            assert w.add(values[1:4]) == 2  # one already added: 4 rows, a commit
            assert w.add(values[4:]) == 2
            raise RuntimeError("the import dies here")
        assert sorted(r["input"] for r in iter_samples(store, ["input"])) == [
            f'"q{i}"' for i in range(4)
        ]
        with SampleWriter(store, ROW_COLUMNS) as w:
            assert w.add(values) == 2
        assert count_samples(store) == 6


def test_a_0010_database_gains_sketch_column_and_its_rows_group_from_their_inputs(
    tmp_path: Path,
) -> None:
    url, engine = database_at(tmp_path, "0010")
    rows = [_row(i) for i in range(6)] + [
        ImportedSample("Q1 ", "b", model="m").row(source="b", line=1, source_format="jsonl")
    ]
    insert = text(
        f"INSERT INTO samples ({', '.join(ROW_COLUMNS)}) "
        f"VALUES ({', '.join(':' + c for c in ROW_COLUMNS)})"
    )
    with engine.begin() as conn:
        conn.execute(insert, rows)
    engine.dispose()
    with Store(url) as store:
        assert current_revision(store.engine) == SCHEMA_HEAD >= "0012"
        stored = list(iter_samples(store))
    assert len(stored) == 7 and all(r["dedupe_sketch"] is None for r in stored)
    groups = dedupe_rows(stored, near_threshold=0.8)
    assert groups.exact_duplicates == 1  # "Q1 " is "q1"
    assert (
        groups.representative
        == dedupe([input_text(r["input"]) for r in stored], near_threshold=0.8).representative
    )
