"""`dataset_rows(..., data=PATH)`: the user's files, read with no network at all."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchlab.datasets import CATALOG, DatasetError, dataset_rows
from benchlab.datasets.provenance import file_sha256
from support.hub_data import hub_files, rows_of, write_folder
from support.hub_server import FakeHub


@pytest.fixture
def silent_hub() -> Iterator[FakeHub]:
    """A Hub that must see no request: `--data` never goes online."""
    with FakeHub() as hub:
        yield hub
    assert hub.requests == []


@pytest.mark.parametrize("name", ["mmlu", "gsm8k", "arc-challenge", "truthfulqa-mc2", "mbpp"])
def test_a_folder_of_parquet_files_as_the_hub_lays_them_out(
    name: str, tmp_path: Path, silent_hub: FakeHub
) -> None:
    folder = write_folder(name, tmp_path / name)
    loaded = dataset_rows(name, data=folder, endpoint=silent_hub.url, cache_dir=tmp_path / "c")
    for split, rows in loaded.splits.items():
        assert rows == rows_of(name, split)
    assert loaded.provenance.source == "data"
    assert loaded.provenance.revision is None
    assert set(dict(loaded.provenance.files)) == {
        path for path in hub_files(name) if path != "README.md"
    }


def test_a_jsonl_file_is_the_scored_split(tmp_path: Path, silent_hub: FakeHub) -> None:
    path = tmp_path / "gsm8k-test.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows_of("gsm8k", "test")))
    loaded = dataset_rows("gsm8k", ["test"], data=path, endpoint=silent_hub.url)
    assert loaded.rows() == rows_of("gsm8k", "test")
    assert loaded.provenance.files == (("gsm8k-test.jsonl", file_sha256(path)),)


def test_a_file_cannot_serve_the_few_shot_split(tmp_path: Path) -> None:
    path = tmp_path / "test.jsonl"
    path.write_text(json.dumps(rows_of("gsm8k", "test")[0]) + "\n")
    with pytest.raises(DatasetError, match="a file holds one split \\(test\\); the train split"):
        dataset_rows("gsm8k", ["test", "train"], data=path)


def test_split_files_named_for_the_split_or_resuffixed(tmp_path: Path) -> None:
    flat = tmp_path / "flat"
    flat.mkdir()
    (flat / "test.jsonl").write_text(json.dumps(rows_of("mmlu", "test")[0]) + "\n")
    (flat / "dev-00000-of-00001.jsonl").write_text(json.dumps(rows_of("mmlu", "dev")[0]) + "\n")
    loaded = dataset_rows("mmlu", data=flat)
    assert loaded.rows("test") == rows_of("mmlu", "test")[:1]
    assert loaded.rows("dev") == rows_of("mmlu", "dev")
    nested = tmp_path / "nested" / "all"
    nested.mkdir(parents=True)
    (nested / "test-00000-of-00001.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows_of("mmlu", "test"))
    )
    assert dataset_rows("mmlu", ["test"], data=nested.parent).rows() == rows_of("mmlu", "test")


def test_csv_and_jsonl_datasets_read_from_their_published_files(tmp_path: Path) -> None:
    for name in ("gpqa-diamond", "ifeval", "math-500", "livecodebench"):
        folder = write_folder(name, tmp_path / name)
        loaded = dataset_rows(name, data=folder)
        assert loaded.rows() == rows_of(name, loaded.spec.main_split)


def test_a_folder_without_the_split_says_what_it_looked_for(tmp_path: Path) -> None:
    (tmp_path / "train.jsonl").write_text("{}\n")
    with pytest.raises(DatasetError) as err:
        dataset_rows("gsm8k", ["test"], data=tmp_path)
    assert str(err.value) == (
        f"--data {tmp_path}: no file of the test split of gsm8k "
        "(expected main/test-*.parquet as on the Hub, or test.jsonl / test.parquet)"
    )


def test_a_data_file_without_a_field_names_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "test.jsonl"
    path.write_text(json.dumps({"question": "q"}) + "\n")
    with pytest.raises(DatasetError, match=f"{path}: row 1 has no field 'answer'"):
        dataset_rows("gsm8k", ["test"], data=path)


def test_a_missing_path_and_an_unknown_split(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file or folder"):
        dataset_rows("gsm8k", data=tmp_path / "nope")
    with pytest.raises(DatasetError, match="no split 'dev'"):
        dataset_rows("gsm8k", ["dev"], data=tmp_path)


def test_livecodebench_rows_are_what_the_existing_loader_reads(tmp_path: Path) -> None:
    """The catalog's LiveCodeBench rows are the release format `livecodebench:FILE` reads, so
    the coming suite renders them with the same `problem_case`."""
    from benchlab.suites.livecodebench import problem_case

    folder = write_folder("livecodebench", tmp_path / "lcb")
    (row,) = dataset_rows("livecodebench", data=folder).rows()
    case = problem_case(row)
    assert case.id == "abc001_a"
    assert case.metadata["category"] == "atcoder"
    assert isinstance(case.expected, dict)
    assert case.expected["tests"] == [
        {"input": "1 2\n", "output": "3\n"},
        {"input": "5 5\n", "output": "10\n"},
    ]


def test_each_livecodebench_release_file_is_a_split_read_alone(tmp_path: Path) -> None:
    """A release reads its own files (release_v2: test.jsonl and test2.jsonl) and hashes
    only those, so a v1 result does not change when test6.jsonl does."""
    assert CATALOG["livecodebench"].splits == (
        ("test", "test.jsonl"),
        *((f"test{n}", f"test{n}.jsonl") for n in range(2, 7)),
    )
    folder = write_folder("livecodebench", tmp_path / "lcb")
    loaded = dataset_rows("livecodebench", ["test", "test2"], data=folder)
    assert loaded.rows("test") == rows_of("livecodebench", "test")
    assert loaded.rows("test2") == rows_of("livecodebench", "test2")
    assert sorted(name for name, _ in loaded.provenance.files) == ["test.jsonl", "test2.jsonl"]
