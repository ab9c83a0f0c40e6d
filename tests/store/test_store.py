"""The store on a real SQLite file: migrations, WAL, runs, batched writes."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import text

from benchlab.store import Store
from benchlab.store.db import SCHEMA_HEAD, current_revision
from benchlab.store.records import AttemptRecord
from benchlab.store.schema import metadata


def _run(store: Store, run_id: str, *, model: str = "m", suite: str = "s") -> None:
    store.create_run(
        run_id,
        config={"seed": 0},
        suites_info=[
            {
                "name": suite,
                "hash": "h" * 64,
                "version": "1",
                "source": "x",
                "header": {"name": suite},
                "n_cases": 1,
            }
        ],
        model_profiles=[{"name": model, "spec": "oracle"}],
        seed=0,
        tags={},
        version="test",
    )


def _attempt(run_id: str, attempt_id: int, case_id: str) -> AttemptRecord:
    # Columns not named here are NULL, so that a new nullable column needs no edit here.
    return AttemptRecord.from_row(
        {
            **dict.fromkeys(AttemptRecord.COLUMNS),
            "id": attempt_id,
            "run_id": run_id,
            "suite": "s",
            "case_id": case_id,
            "model": "m",
            "sample": 0,
            "status": "ok",
            "prompt": "[]",
            "output": "x",
            "finish_reason": "stop",
            "input_tokens": 1,
            "output_tokens": 1,
            "latency_ms": 1.0,
            "cost_usd": 0.0,
            "cached": False,
            "retries": 0,
            "passed": True,
            "finished_at": time.time(),
        }
    )


def test_migrations_build_exactly_the_declared_schema(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with Store(db_url) as store:
        assert current_revision(store.engine) == SCHEMA_HEAD
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
            assert diff == []
            if store.engine.dialect.name == "sqlite":
                assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_head_constant_matches_alembic_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from benchlab.store.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(cfg).get_current_head() == SCHEMA_HEAD


def test_runs_newest_first_filters_and_prefix(db_url: str) -> None:
    with Store(db_url) as store:
        _run(store, "20260101-000000-aaaaaa", model="a", suite="x")
        time.sleep(0.01)
        _run(store, "20260102-000000-bbbbbb", model="b", suite="y")
        assert [r.id for r in store.list_runs()] == [
            "20260102-000000-bbbbbb",
            "20260101-000000-aaaaaa",
        ]
        assert [r.id for r in store.list_runs(model="a")] == ["20260101-000000-aaaaaa"]
        assert [r.id for r in store.list_runs(suite="y")] == ["20260102-000000-bbbbbb"]
        assert store.get_run("20260102").id == "20260102-000000-bbbbbb"
        store.set_status("20260102-000000-bbbbbb", "completed")
        assert store.get_run("20260102-000000-bbbbbb").finished_at is not None


async def test_writer_flushes_within_the_interval_and_is_idempotent(db_url: str) -> None:
    import asyncio

    with Store(db_url) as store:
        _run(store, "r1")
        writer = store.writer(flush_interval=0.1)
        writer.start()
        writer.add_attempt(_attempt("r1", 1, "a"), [])
        waited = 0.0
        while store.count_attempts("r1") == 0 and waited < 0.5:
            await asyncio.sleep(0.01)
            waited += 0.01
        assert store.count_attempts("r1") == 1  # on disk without any explicit flush
        assert waited <= 0.15
        # the same attempt key again (a resumed duplicate) is ignored, not doubled
        writer.add_attempt(_attempt("r1", 2, "a"), [])
        writer.add_attempt(_attempt("r1", 3, "b"), [])
        await writer.aclose()
        assert store.count_attempts("r1") == 2
        assert store.finished_keys("r1") == {("s", "a", "m", 0), ("s", "b", "m", 0)}


def test_writer_bounds_what_it_holds(db_url: str) -> None:
    with Store(db_url) as store:
        _run(store, "r1")
        writer = store.writer()
        for i in range(writer.max_pending + 10):
            writer.add_attempt(_attempt("r1", i + 1, f"c{i}"), [])
        # no timer running: the bound alone forced a write
        assert store.count_attempts("r1") == writer.max_pending
        writer.close()
        assert store.count_attempts("r1") == writer.max_pending + 10


def test_second_process_sees_writes_while_writer_runs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/shared.db"
    with Store(url) as one, Store(url) as two:
        _run(one, "r1")
        writer = one.writer()
        for i in range(500):
            writer.add_attempt(_attempt("r1", i + 1, f"c{i}"), [])
        writer.close()
        assert two.count_attempts("r1") == 500
