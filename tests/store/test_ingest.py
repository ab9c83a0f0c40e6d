"""Importing an exported run document into another store: complete, atomic, idempotent,
and faithful: exporting the imported run gives the same document, byte for byte."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from benchlab.analysis.export import export_run
from benchlab.analysis.summary import summarize_run
from benchlab.errors import ImportConflict
from benchlab.store import Store
from benchlab.store.ingest import RunDocument, import_run
from support.lab import make_seed
from support.runs import cli
from support.servers import StubServer


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


def _judge_then_echo(payload: dict[str, Any]) -> str:
    """A judge's request gets a verdict (judge-a 0.3, judge-b 0.7); anything else its prompt."""
    text = payload["messages"][-1]["content"]
    if "[Answer to grade]" in text:
        score = 3 if payload["model"] == "judge-a" else 7
        return json.dumps({"score": score, "reasoning": f"{payload['model']} read it"})
    return str(text)


SUITE = {
    "name": "mixed",
    "scorers": [{"name": "judge", "criteria": ["accuracy"], "threshold": 0.6}, "contains"],
    "cases": [
        {"id": "paris", "input": "Capital of France?", "expected": "Paris"},
        {
            "id": "chat",
            "input": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "2 + 2 = 4?"},
            ],
            "expected": "4",
            "metadata": {"category": "math", "tags": ["ünïcode"]},
        },
        {"id": "no-reference", "input": "Say hi"},  # oracle cannot answer: not_found
    ],
}


@pytest.fixture
def every_kind(db_url: str, tmp_path: Path, stub_server: StubServer) -> str:
    """A run with every kind of stored row: two suites, three models (one over HTTP),
    two samples, two scorers per case (a judge among them), errors of two kinds
    (oracle's not_found, a scorer's), answers reused from an earlier run (cached), and
    a second scoring pass by another judge."""
    stub_server.answer = _judge_then_echo
    suite = tmp_path / "mixed.yaml"
    suite.write_text(json.dumps(SUITE))
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url, "OPENAI_API_KEY": "k"}
    models = ["-m", "openai/stub", "-m", "oracle", "-m", "echo"]
    common = [*models, "--samples", "2", "--cache", "--judge-model", "openai/judge-a"]
    for _ in range(2):  # the second run reuses the first one's answers
        done = cli("run", str(suite), "quickstart", *common, "--db", db_url, "--json", env=env)
        assert done.returncode == 3, done.stderr  # errors of both kinds
    run_id = str(json.loads(done.stdout)["run_id"])
    rescored = cli("score", run_id, "--judge-model", "openai/judge-b", "--db", db_url, env=env)
    assert rescored.returncode in (0, 3), rescored.stderr
    return run_id


def _export(url: str, run_id: str, score_pass: str | None = None) -> str:
    out = io.StringIO()
    with Store(url) as store:
        export_run(store, run_id, "json", out, score_pass=score_pass)
    return out.getvalue()


def test_a_run_with_every_kind_of_row_round_trips_byte_for_byte(
    every_kind: str, db_url: str, tmp_path: Path
) -> None:
    exported = _export(db_url, every_kind)
    doc = RunDocument.model_validate_json(exported)
    # The document holds what this test is about, so a round trip of it proves something.
    kinds = {a.error_type for a in doc.attempts}
    assert {"not_found", "scorer"} <= kinds
    assert any(a.cached and a.cached_at is not None for a in doc.attempts)
    assert {a.model for a in doc.attempts} == {"openai/stub", "oracle", "echo"}
    assert {a.sample for a in doc.attempts} == {0, 1}
    assert {len(a.scores) for a in doc.attempts if a.suite == "mixed" and a.status == "ok"} == {2}
    assert doc.scores_from is not None and doc.scores_from.pass_no == 1
    assert doc.scores_from.judge_model == "openai/judge-b"
    target = f"sqlite:///{tmp_path}/imported.db"
    with Store(target) as store:
        assert import_run(store, doc) is True
    assert _export(target, every_kind) == exported
    assert _export(target, every_kind, "judge=openai/judge-b") == exported


def test_the_run_s_own_scoring_round_trips_when_it_is_the_latest(
    every_kind: str, db_url: str, tmp_path: Path
) -> None:
    """Pass 0 of a run never scored again: the document says no later pass exists."""
    first = RunDocument.model_validate_json(_export(db_url, every_kind, "0"))
    assert first.scores_from is not None and first.scores_from.pass_no == 0
    target = f"sqlite:///{tmp_path}/own.db"
    with Store(target) as store:
        assert import_run(store, first) is True
    exported = _export(target, every_kind)
    again = f"sqlite:///{tmp_path}/again.db"
    with Store(again) as store:
        assert import_run(store, RunDocument.model_validate_json(exported)) is True
    assert _export(again, every_kind) == exported
    # Two scorers of one attempt stay in pass 0 (import once numbered them 0, 1).
    imported = RunDocument.model_validate_json(exported)
    assert {s.pass_no for a in imported.attempts for s in a.scores} == {0}
    assert max(len(a.scores) for a in imported.attempts) == 2


def test_colliding_attempt_ids_raise_a_typed_error_and_write_nothing(tmp_path: Path) -> None:
    seed = make_seed(tmp_path / "a")
    doc = json.loads(_export(seed.url, seed.runs[0]))
    doc["run"]["id"] = "collides"
    for a in doc["attempts"]:
        a["run_id"] = "collides"
    with Store(seed.url) as store, pytest.raises(ImportConflict, match="attempt ids collide"):
        import_run(store, RunDocument.model_validate(doc))
    with Store(seed.url) as store:
        assert [r.id for r in store.list_runs()] == list(reversed(seed.runs))
