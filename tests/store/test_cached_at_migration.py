"""Migration 0006 on an existing database: attempts gain `cached_at`, and attempts that were
served from the cache, which carried the original request's price, now cost 0 (issue 11)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from benchlab.store import Store
from benchlab.store.db import SCHEMA_HEAD, current_revision
from support.migrations import database_at


def test_cached_attempts_of_an_0005_database_cost_nothing(tmp_path: Path) -> None:
    url, engine = database_at(tmp_path, "0005")
    with engine.begin() as conn:
        for i, (run, cached) in enumerate((("r1", True), ("r1", False), ("r2", False))):
            conn.execute(
                text(
                    "INSERT INTO attempts (id, run_id, suite, case_id, model, sample, status, "
                    "prompt, cost_usd, cached, retries, finished_at) VALUES (:id, :run, 's', "
                    ":case, 'm', 0, 'ok', '[]', 0.25, :cached, 0, 1.0)"
                ),
                {"id": i + 1, "run": run, "case": f"c{i}", "cached": cached},
            )
        for run in ("r1", "r2"):
            conn.execute(
                text(
                    "INSERT INTO run_stats (run_id, suite, model, run_finished_at, attempts, "
                    "judged, passed, errors, cost_usd, cost_unknown, input_tokens, "
                    "output_tokens, latency_sum, latency_n) "
                    "VALUES (:run, 's', 'm', 1.0, 1, 1, 1, 0, 0.5, 0, 0, 0, 0, 0)"
                ),
                {"run": run},
            )
    assert "cached_at" not in {c["name"] for c in inspect(engine).get_columns("attempts")}
    engine.dispose()
    with Store(url) as store:  # opening migrates to head
        assert current_revision(store.engine) == SCHEMA_HEAD
        columns = {c["name"] for c in inspect(store.engine).get_columns("attempts")}
        assert "cached_at" in columns
        with store.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, cost_usd FROM attempts")).all()
            costs: dict[int, float] = {attempt: cost for attempt, cost in rows}
            stats = [r for (r,) in conn.execute(text("SELECT run_id FROM run_stats"))]
    assert costs == {1: 0.0, 2: 0.25, 3: 0.25}
    assert stats == ["r2"]  # r1's aggregates counted the cached cost: recomputed on read
