"""The provenance hash names the bytes read, whatever folder they sit in."""

from __future__ import annotations

import hashlib
from pathlib import Path

from benchlab.datasets import Provenance


def test_the_hash_follows_the_bytes_not_the_folder(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        (folder / "main").mkdir(parents=True)
        (folder / "main" / "test.jsonl").write_text('{"question": "q", "answer": "1"}\n')
    one = Provenance.of_files(
        "openai/gsm8k", "c" * 40, "hub", [("main/test.jsonl", a / "main" / "test.jsonl")]
    )
    two = Provenance.of_files(
        "openai/gsm8k", "c" * 40, "hub", [("main/test.jsonl", b / "main" / "test.jsonl")]
    )
    assert one.sha256 == two.sha256
    (b / "main" / "test.jsonl").write_text('{"question": "q", "answer": "2"}\n')
    three = Provenance.of_files(
        "openai/gsm8k", "c" * 40, "hub", [("main/test.jsonl", b / "main" / "test.jsonl")]
    )
    assert three.sha256 != one.sha256


def test_the_metadata_a_run_stores(tmp_path: Path) -> None:
    path = tmp_path / "test.jsonl"
    path.write_bytes(b'{"x": 1}\n')
    meta = Provenance.of_files(
        "google/IFEval", None, "data", [("test.jsonl", path)], "default"
    ).as_metadata()
    assert meta["files"] == {"test.jsonl": hashlib.sha256(b'{"x": 1}\n').hexdigest()}
    assert (meta["dataset"], meta["revision"], meta["source"], meta["config"]) == (
        "google/IFEval",
        None,
        "data",
        "default",
    )
    assert len(meta["sha256"]) == 64
