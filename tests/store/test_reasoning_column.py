"""Migration 0008: attempts gain `reasoning`; attempts stored before read it as None."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from benchlab.store import Store
from benchlab.store.db import SCHEMA_HEAD, current_revision
from support.migrations import database_at


def test_an_existing_0007_database_gains_the_reasoning_column(tmp_path: Path) -> None:
    url, engine = database_at(tmp_path, "0007")
    assert "reasoning" not in {c["name"] for c in inspect(engine).get_columns("attempts")}
    engine.dispose()
    with Store(url) as store:
        assert current_revision(store.engine) == SCHEMA_HEAD >= "0008"
        columns = {c["name"] for c in inspect(store.engine).get_columns("attempts")}
        assert "reasoning" in columns
