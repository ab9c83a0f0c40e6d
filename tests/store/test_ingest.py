"""Importing an exported run document into another store: complete, atomic, idempotent."""

from __future__ import annotations

import io
from pathlib import Path

from benchlab.analysis.export import export_run
from benchlab.analysis.summary import summarize_run
from benchlab.store import Store
from benchlab.store.ingest import RunDocument, import_run
from support.lab import make_seed


def test_export_then_import_round_trips(tmp_path: Path) -> None:
    seed = make_seed(tmp_path / "a")
    out = io.StringIO()
    with Store(seed.url) as source:
        export_run(source, seed.runs[1], "json", out)
        before = summarize_run(source, seed.runs[1])
    doc = RunDocument.model_validate_json(out.getvalue())
    with Store(f"sqlite:///{tmp_path}/b.db") as target:
        assert import_run(target, doc) is True
        assert import_run(target, doc) is False
        after = summarize_run(target, seed.runs[1])
        assert target.count_attempts(seed.runs[1]) == 36
        assert target.run_suite_hashes(seed.runs[1]) == {"quickstart": doc.suites[0].hash}
    assert [m["pass_rate"] for m in after["models"]] == [m["pass_rate"] for m in before["models"]]
    assert after["tags"] == {"env": "ci"} and after["status"] == "completed"
