"""A `running` run whose owner is gone reads as interrupted (pid on this host, heartbeat)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, update

from benchlab import api
from benchlab.errors import ConfigError
from benchlab.store import Store
from benchlab.store.db import SCHEMA_HEAD, current_revision
from benchlab.store.owner import STALE_AFTER, this_host
from benchlab.store.schema import runs
from support.migrations import database_at


def _running_run(store: Store, run_id: str = "r1") -> str:
    store.create_run(
        run_id,
        config={"suites": ["quickstart"], "models": [{"name": "oracle", "spec": "oracle"}]},
        suites_info=[
            {"name": "s", "hash": "h", "version": "1", "source": "s", "header": {}, "n_cases": 1}
        ],
        model_profiles=[{"name": "oracle", "spec": "oracle"}],
        seed=0,
        tags={},
        version="test",
    )
    store.claim_run(run_id)
    return run_id


def _set_owner(store: Store, run_id: str, **values: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(runs).where(runs.c.id == run_id).values(**values))


def _stored_status(store: Store, run_id: str) -> str:
    with store.engine.connect() as conn:
        return str(conn.execute(select(runs.c.status).where(runs.c.id == run_id)).scalar_one())


def _dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(proc.stdout)


def test_a_run_whose_owner_lives_is_running(db_url: str) -> None:
    with Store(db_url) as store:
        run_id = _running_run(store)
        owner = store.run_owner(run_id)
        assert owner is not None and owner.pid == os.getpid() and owner.host == this_host()
        assert store.get_run(run_id).status == "running"
        assert [r.status for r in store.list_runs()] == ["running"]


def test_a_dead_pid_on_this_host_reads_as_interrupted_and_is_stored_so(db_url: str) -> None:
    with Store(db_url) as store:
        run_id = _running_run(store)
        _set_owner(store, run_id, owner_pid=_dead_pid())
        assert [r.status for r in store.list_runs()] == ["interrupted"]
        run = store.get_run(run_id)
        assert run.status == "interrupted" and run.finished_at is not None
        assert _stored_status(store, run_id) == "interrupted"


def test_another_hosts_run_is_judged_by_its_heartbeat(db_url: str) -> None:
    with Store(db_url) as store:
        run_id = _running_run(store)
        _set_owner(store, run_id, owner_host="elsewhere.example", owner_pid=1)
        assert store.get_run(run_id).status == "running"  # fresh heartbeat: alive
        _set_owner(store, run_id, heartbeat_at=time.time() - STALE_AFTER - 5)
        assert store.get_run(run_id).status == "interrupted"


def test_a_stale_heartbeat_beats_a_live_pid(db_url: str) -> None:
    """A pid reused by another program (or a hung process) does not keep a run running."""
    with Store(db_url) as store:
        run_id = _running_run(store)
        _set_owner(store, run_id, heartbeat_at=time.time() - STALE_AFTER - 5)
        assert store.get_run(run_id).status == "interrupted"


def test_runs_from_before_owners_keep_their_status(db_url: str) -> None:
    with Store(db_url) as store:
        run_id = _running_run(store)
        _set_owner(store, run_id, owner_pid=None, owner_host=None, heartbeat_at=None)
        assert store.get_run(run_id).status == "running"


def test_resume_refuses_a_run_whose_owner_is_alive(db_url: str) -> None:
    with Store(db_url) as store:
        run_id = _running_run(store)
    with pytest.raises(ConfigError, match="still running"):
        asyncio.run(api.aresume(run_id, db=db_url))


def test_an_existing_0006_database_gains_owners_and_64_bit_seeds(tmp_path: Path) -> None:
    url, engine = database_at(tmp_path, "0006")
    assert "owner_pid" not in {c["name"] for c in inspect(engine).get_columns("runs")}
    engine.dispose()
    with Store(url) as store:  # opening migrates to head
        assert current_revision(store.engine) == SCHEMA_HEAD >= "0007"
        columns = {c["name"] for c in inspect(store.engine).get_columns("runs")}
        assert {"owner_pid", "owner_host", "heartbeat_at"} <= columns
        run_id = _running_run(store)
        _set_owner(store, run_id, seed=2**63 - 1)
        assert store.get_run(run_id).seed == 2**63 - 1
