"""`WS /api/runs/{id}/events`: live progress of runs launched by the server or by the CLI."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event
from websockets.sync.client import connect

from benchlab.server.deps import state_of
from server.conftest import WriteEnv
from support.lab import Seed, auth, make_app
from support.live_server import LiveServer
from support.servers import StubServer
from support.suites import write_jsonl_suite


def _follow(url: str, timeout: float = 30.0) -> list[dict[str, Any]]:
    messages = []
    with connect(url, open_timeout=10) as ws:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = json.loads(ws.recv(timeout=deadline - time.monotonic()))
            messages.append(message)
            if message["type"] in ("finished", "error"):
                break
    return messages


def test_finished_run_sends_snapshot_then_finished(server: LiveServer, seed: Seed) -> None:
    messages = _follow(f"{server.ws_url}/api/runs/{seed.runs[0]}/events")
    kinds = [m["type"] for m in messages]
    # the latest attempts come along, so a run that ended before the page opened isn't blank
    assert kinds[0] == "snapshot" and kinds[-1] == "finished"
    assert set(kinds[1:-1]) == {"attempt"} and 1 <= len(kinds) - 2 <= 36
    assert messages[0]["done"] == messages[0]["total"] == 36
    assert messages[-1]["status"] == "completed" and messages[-1]["done"] == 36


def test_unknown_run_is_an_error_message(server: LiveServer) -> None:
    messages = _follow(f"{server.ws_url}/api/runs/nope/events")
    assert messages == [{"type": "error", "status": 404, "error": messages[0]["error"]}]


def test_attempts_stored_while_the_socket_opens_are_counted_once(seed_copy: Seed) -> None:
    """A run that finishes between the socket's first look and its next: the final counts
    are every attempt, once (they once read 0 of 72 when a launched run won that race)."""
    run_id = seed_copy.runs[0]
    with sqlite3.connect(seed_copy.db) as db:
        expected = db.execute(
            "SELECT count(*), sum(status = 'error'), sum(status != 'error' AND passed) "
            "FROM attempts WHERE run_id = ?",
            (run_id,),
        ).fetchone()
        db.execute("CREATE TABLE held AS SELECT * FROM attempts WHERE run_id = ?", (run_id,))
        db.execute("DELETE FROM attempts WHERE run_id = ?", (run_id,))
        db.execute("UPDATE runs SET status = 'running' WHERE id = ?", (run_id,))
    app = make_app(seed_copy.url)
    stored: list[str] = []

    def store_the_run_after_first_look(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if stored or "FROM attempts" not in statement:
            return
        stored.append(statement)
        with sqlite3.connect(seed_copy.db) as db:
            db.execute("INSERT INTO attempts SELECT * FROM held")
            db.execute("UPDATE runs SET status = 'completed' WHERE id = ?", (run_id,))

    event.listen(state_of(app).store.engine, "after_cursor_execute", store_the_run_after_first_look)
    with LiveServer(app) as live:
        messages = _follow(f"{live.ws_url}/api/runs/{run_id}/events")
    assert stored, "the hook should have stored the attempts mid-way"
    snapshot, final = messages[0], messages[-1]
    # the opening count already holds them (the final one is recounted, so check both)
    assert (snapshot["done"], snapshot["errors"], snapshot["passed"]) == tuple(expected)
    assert final["type"] == "finished" and final["status"] == "completed"
    assert (final["done"], final["errors"], final["passed"]) == tuple(expected)
    assert final["done"] == final["total"] == 36


def test_launched_run_streams_every_attempt(write_env: WriteEnv) -> None:
    response = write_env.client.post(
        "/api/runs",
        json={"suites": ["quickstart"], "models": ["oracle", "echo"], "samples": 3},
        headers=auth(),
    )
    run_id = response.json()["run_id"]
    messages = _follow(f"{write_env.server.ws_url}/api/runs/{run_id}/events")
    final = messages[-1]
    assert final["type"] == "finished" and final["status"] == "completed"
    assert final["done"] == final["total"] == 72
    assert final["passed"] >= 36  # oracle passes all 36 of its attempts


def test_cli_run_in_another_process_streams_live(
    seed_copy: Seed, stub_server: StubServer, tmp_path: Path
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 40)
    stub_server.delay = 0.03
    env = {
        **{k: v for k, v in os.environ.items() if k != "BENCHLAB_DB"},
        "OPENAI_BASE_URL": stub_server.openai_base_url,
        "OPENAI_API_KEY": "sk-test",
    }
    args = [
        "run",
        str(suite),
        "-m",
        "openai/stub",
        "--scorer",
        "numeric",
        "-c",
        "2",
        "--db",
        seed_copy.url,
        "-q",
    ]
    with LiveServer(make_app(seed_copy.url)) as live:
        proc = subprocess.Popen(
            [sys.executable, "-m", "benchlab", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            running: list[dict[str, Any]] = []
            while not running and time.monotonic() < deadline:
                running = httpx.get(f"{live.url}/api/runs?status=running").json()["items"]
                time.sleep(0.02)
            run_id = running[0]["run_id"]
            messages = _follow(f"{live.ws_url}/api/runs/{run_id}/events")
        finally:
            proc.wait(60)
    snapshot, final = messages[0], messages[-1]
    assert snapshot["type"] == "snapshot" and snapshot["status"] == "running"
    assert snapshot["done"] < 40
    assert final["type"] == "finished" and final["done"] == 40 and final["total"] == 40
    live_attempts = [m for m in messages if m["type"] == "attempt"]
    assert live_attempts, "attempts should arrive while the run is going"
    ids = [m["id"] for m in live_attempts]
    assert len(ids) == len(set(ids)), "no attempt is sent twice"
    assert snapshot["done"] + len(live_attempts) == 40
