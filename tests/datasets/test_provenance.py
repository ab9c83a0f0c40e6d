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


def test_a_run_stores_the_provenance_a_suite_puts_in_its_header(tmp_path: Path) -> None:
    """Where provenance lives: a standard suite puts `as_metadata()` under its header's
    metadata["dataset"], and the run stores the header with the suite (and the suite's hash
    covers it, so other bytes are another suite version)."""
    import benchlab
    from benchlab.datasets import dataset_rows
    from benchlab.domain import Case, ScorerSpec, SuiteHeader
    from benchlab.store import Store
    from benchlab.suites.loader import LoadedSuite
    from support.hub_data import write_folder

    loaded = dataset_rows("gsm8k", ["test"], data=write_folder("gsm8k", tmp_path / "data"))
    header = SuiteHeader(
        name="gsm8k-sample",
        scorers=[ScorerSpec(name="exact")],
        metadata={"dataset": loaded.provenance.as_metadata()},
    )
    cases = [
        Case(id=f"main/test/{n}", input=row["question"], expected=row["answer"].split("#### ")[1])
        for n, row in enumerate(loaded.rows())
    ]
    suite = LoadedSuite.from_cases(header, cases)
    db = f"sqlite:///{tmp_path}/runs.db"
    result = benchlab.run(
        benchlab.RunConfig(suites=[suite], models=benchlab.resolve_models(["oracle"]), db=db)
    )
    assert result.status == "completed"
    with Store(db) as store:
        (suite_hash,) = store.run_suite_hashes(result.run_id).values()
        stored = store.suite_record(suite_hash)["header"]["metadata"]["dataset"]
    assert stored == loaded.provenance.as_metadata()
    assert stored["sha256"] == loaded.provenance.sha256
