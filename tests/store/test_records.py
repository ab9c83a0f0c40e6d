"""The stored records: each is its table's row, field for field, and converts both ways
without losing anything (to a real database and back, to the domain model and back)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from benchlab.domain import Attempt, Run, Score
from benchlab.store import Store
from benchlab.store.records import (
    TABLES,
    AttemptRecord,
    CaseRecord,
    RunRecord,
    ScoreRecord,
    StoredRecord,
    json_text,
)
from benchlab.store.schema import attempts, cases, runs, scores


@pytest.mark.parametrize("record", list(TABLES), ids=lambda r: r.__name__)
def test_a_record_is_its_table_column_for_column(record: type[StoredRecord]) -> None:
    """A column added to the table (schema.py) and not to its record fails here, so no
    column can be silently left out of what the engine writes and the store reads."""
    table = TABLES[record]
    assert tuple(table.c.keys()) == record.COLUMNS
    assert [f.name for f in dataclasses.fields(record)] == list(table.c.keys())  # type: ignore[arg-type]
    for column in table.c:
        field = next(f for f in dataclasses.fields(record) if f.name == column.name)  # type: ignore[arg-type]
        # A nullable column is an optional field, a NOT NULL one is not.
        assert ("None" in str(field.type)) == bool(column.nullable), column.name


def test_every_attempt_column_reaches_the_domain_model_or_is_declared_store_only() -> None:
    """What readers (export, API) see of an attempt is every column but the declared ones."""
    stored = set(AttemptRecord.COLUMNS)
    shown = set(Attempt.model_fields)
    assert stored - shown == AttemptRecord.STORE_ONLY == {"passed"}
    assert shown - stored == {"expected", "scores"}  # joined from cases and scores
    assert set(Score.model_fields) <= set(ScoreRecord.COLUMNS)
    assert set(Run.model_fields) <= set(RunRecord.COLUMNS)


def _attempt(**changes: object) -> AttemptRecord:
    """Every column set (a column added later is None here until this names it)."""
    record = AttemptRecord.from_row(
        {
            **dict.fromkeys(AttemptRecord.COLUMNS),
            "id": 2**62 + 7,
            "run_id": "r1",
            "suite": "s",
            "case_id": "c",
            "model": "m",
            "sample": 1,
            "status": "ok",
            "category": "geo",
            "prompt": json_text([{"role": "user", "content": "Où est Canberra ?"}]),
            "output": "en Australie",
            "tool_calls": json_text([{"name": "look", "arguments": {"q": "x"}}]),
            "finish_reason": "stop",
            "input_tokens": 12,
            "output_tokens": 3,
            "latency_ms": 12.5,
            "cost_usd": 0.25,
            "cached": True,
            "cached_at": 1_700_000_000.25,
            "retries": 2,
            "passed": True,
            "finished_at": 1_700_000_100.5,
        }
    )
    return dataclasses.replace(record, **changes)  # type: ignore[arg-type]


def test_records_are_slotted_values() -> None:
    """Slotted (no per-record dict: the engine keeps thousands in flight), compared by value."""
    record = _attempt()
    assert not hasattr(record, "__dict__")
    with pytest.raises(AttributeError):
        record.unknown = 1  # type: ignore[attr-defined]
    assert dataclasses.replace(record, output="other") != record == _attempt()


def test_values_are_the_row_in_column_order() -> None:
    record = _attempt()
    assert record.values() == tuple(record.to_row()[c.name] for c in attempts.c)
    assert AttemptRecord.from_row(record.to_row()) == record


def test_an_attempt_survives_the_domain_model_both_ways() -> None:
    record = _attempt()
    score = Score(scorer="contains", value=1.0, passed=True)
    attempt = record.to_domain(expected="Canberra", scores=[score])
    assert attempt.prompt == [{"role": "user", "content": "Où est Canberra ?"}]
    assert attempt.cached_at is not None and attempt.cached_at.timestamp() == 1_700_000_000.25
    assert attempt.expected == "Canberra" and attempt.passed is True
    assert AttemptRecord.from_domain(attempt) == record
    errored = _attempt(status="error", output=None, tool_calls=None, passed=None, cached_at=None)
    assert AttemptRecord.from_domain(errored.to_domain(expected=None, scores=[])) == errored


def test_a_score_and_a_case_survive_their_documents_both_ways() -> None:
    record = ScoreRecord(
        attempt_id=1,
        scorer="judge",
        pass_no=2,
        run_id="r1",
        value=0.7,
        passed=True,
        explanation="fine",
        details=json_text({"judge": {"model": "openai/j"}, "reasoning": "ok"}),
    )
    score = record.to_domain()
    assert score.pass_no == 2
    assert score.details == {"judge": {"model": "openai/j"}, "reasoning": "ok"}
    assert ScoreRecord.from_domain(score, attempt_id=1, run_id="r1") == record
    case = CaseRecord(
        suite_hash="h",
        case_id="c",
        position=3,
        input=json_text([{"role": "user", "content": "hi"}]) or "",
        context=None,
        expected=json_text(["a", 1]),
        scorers=json_text([{"name": "contains", "options": {}}]),
        category="7",
        metadata=json_text({"category": 7}) or "",
    )
    document = case.to_document()
    assert document["id"] == "c" and document["metadata"] == {"category": 7}
    assert CaseRecord.from_document("h", 3, **document) == case


def test_records_go_to_a_real_database_and_come_back_equal(db_url: str) -> None:
    run = RunRecord(
        id="r1",
        status="completed",
        created_at=1_700_000_000.5,
        started_at=1_700_000_000.5,
        finished_at=1_700_000_200.0,
        seed=3,
        suites=["s"],
        models=["m"],
        tags={"env": "ci"},
        benchlab_version="test",
        config={"seed": 3},
        error=None,
        owner_pid=None,
        owner_host=None,
        heartbeat_at=None,
    )
    attempt = _attempt(run_id="r1")
    score = ScoreRecord(attempt.id, "contains", 0, "r1", 1.0, True, "", None)
    case = CaseRecord("h", "c", 0, '"hi"', "ctx", None, None, None, "{}")
    with Store(db_url) as store:
        with store.engine.begin() as conn:
            store.insert_run(conn, run, [], [])
        writer = store.writer()
        writer.add_case(case)
        writer.add_attempt(attempt, [score])
        writer.close()
        with store.engine.connect() as conn:
            read = [
                record.from_row(conn.execute(select(table)).mappings().one())
                for record, table in (
                    (RunRecord, runs),
                    (AttemptRecord, attempts),
                    (ScoreRecord, scores),
                    (CaseRecord, cases),
                )
            ]
        assert read == [run, attempt, score, case]
        assert store.get_run("r1") == run.to_domain()
        [stored] = store.iter_attempts("r1")
        assert stored == attempt.to_domain(expected=None, scores=[score.to_domain()])
