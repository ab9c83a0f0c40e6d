"""A database written before errors had no verdict is brought to today's meaning on open."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert, select

from benchlab.store import Store
from benchlab.store.db import SCHEMA_HEAD, current_revision
from benchlab.store.schema import attempts, runs
from benchlab.store.stats import for_runs
from support.migrations import database_at


def _attempt(i: int, status: str, passed: bool, error_type: str | None) -> dict[str, object]:
    return {
        "id": i,
        "run_id": "old",
        "suite": "s",
        "case_id": f"c{i}",
        "model": "openai/x",
        "sample": 0,
        "status": status,
        "prompt": "[]",
        "output": None if status == "error" else "1",
        "error_type": error_type,
        "cached": False,
        "retries": 0,
        "passed": passed,
        "finished_at": 1.0 + i,
    }


def test_an_0004_database_counts_its_errors_apart_after_upgrade(tmp_path: Path) -> None:
    url, engine = database_at(tmp_path, "0004")
    with engine.begin() as conn:
        conn.execute(
            insert(runs).values(
                id="old",
                status="completed",
                created_at=1.0,
                finished_at=9.0,
                seed=0,
                suites=["s"],
                models=["openai/x"],
                tags={},
                benchlab_version="0",
                config={},
            )
        )
        rows = [_attempt(0, "ok", True, None), _attempt(1, "ok", False, None)]
        rows += [_attempt(2, "error", False, "AuthenticationFailed")]
        rows += [_attempt(3, "error", False, "ServerError")]
        conn.execute(insert(attempts), rows)
    engine.dispose()
    with Store(url) as store:  # opening migrates to head
        assert current_revision(store.engine) == SCHEMA_HEAD
        with store.engine.connect() as conn:
            found = dict(conn.execute(select(attempts.c.case_id, attempts.c.passed)).all())
            kinds = {t for (t,) in conn.execute(select(attempts.c.error_type)) if t}
        assert found == {"c0": True, "c1": False, "c2": None, "c3": None}
        assert kinds == {"auth", "server"}
        (stat,) = for_runs(store, ["old"])["old"]
        assert (stat.judged, stat.errors, stat.pass_rate) == (2, 2, 0.5)
