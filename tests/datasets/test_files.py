"""Rows come back as the dataset publishes them, and a file without its fields is one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchlab.datasets import CATALOG, DatasetError
from benchlab.datasets.files import check_rows, read_rows
from support.hub_data import SAMPLES, parquet_bytes, rows_of


@pytest.mark.parametrize(
    "name", [n for n, splits in SAMPLES.items() if any(s for _, s in splits.values())]
)
def test_parquet_rows_keep_the_published_names_and_types(name: str, tmp_path: Path) -> None:
    split = CATALOG[name].main_split
    rows, schema = SAMPLES[name][split]
    assert schema is not None
    path = tmp_path / "x.parquet"
    path.write_bytes(parquet_bytes(rows, schema))
    read = read_rows(path)
    assert read == rows
    check_rows(CATALOG[name], path, read)


def test_structs_and_int_labels_come_back_as_dicts_and_ints(tmp_path: Path) -> None:
    rows, schema = SAMPLES["truthfulqa-mc2"]["validation"]
    assert schema is not None
    path = tmp_path / "v.parquet"
    path.write_bytes(parquet_bytes(rows, schema))
    (row,) = read_rows(path)
    assert row["mc2_targets"]["labels"] == [1, 1, 0]
    assert isinstance(row["mc2_targets"], dict)


def test_jsonl_json_list_and_json_lines_named_json(tmp_path: Path) -> None:
    rows = rows_of("gsm8k", "test")
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows) + "\n")
    as_list = tmp_path / "b.json"
    as_list.write_text(json.dumps(rows))
    lines_named_json = tmp_path / "c.json"  # what `datasets`' to_json writes
    lines_named_json.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert read_rows(jsonl) == read_rows(as_list) == read_rows(lines_named_json) == rows


def test_a_missing_field_names_the_file_the_row_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "test.jsonl"
    path.write_text(json.dumps({"question": "q", "subject": "s", "choices": ["a"]}) + "\n")
    with pytest.raises(DatasetError) as err:
        check_rows(CATALOG["mmlu"], path, read_rows(path))
    assert str(err.value).startswith(f"{path}: row 1 has no field 'answer'")


def test_a_mistyped_field_says_what_the_dataset_has(tmp_path: Path) -> None:
    path = tmp_path / "test.jsonl"
    row = {"question": "q", "subject": "s", "choices": ["a", "b"], "answer": "B"}
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(DatasetError) as err:
        check_rows(CATALOG["mmlu"], path, read_rows(path))
    assert "row 1 field 'answer' is str, expected int as in cais/mmlu" in str(err.value)


def test_a_bool_is_not_an_int(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"question": "q", "subject": "s", "choices": [], "answer": True}))
    with pytest.raises(DatasetError, match="'answer' is bool"):
        check_rows(CATALOG["mmlu"], path, read_rows(path))


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("bad.jsonl", "{not json\n", "bad.jsonl:1: not valid JSON"),
        ("bad.json", "[1, 2]", "row 1 is not a JSON object"),
        ("bad.parquet", "not parquet", "not a readable parquet file"),
        ("bad.txt", "x", "not a dataset file"),
    ],
)
def test_unreadable_files_are_one_line(
    tmp_path: Path, name: str, content: str, needle: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(DatasetError, match=needle):
        read_rows(path)
