"""`benchlab serve` as a real process, and `benchlab push` from one database to a server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from support.lab import ADMIN_KEY, Seed, make_app, make_seed
from support.live_server import LiveServer, finished_stream
from support.runs import cli


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Seed:
    return make_seed(tmp_path_factory.mktemp("seed"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _cli(*args: str, key: str | None = ADMIN_KEY) -> subprocess.CompletedProcess[str]:
    return cli(*args, env=None if key is None else {"BENCHLAB_ADMIN_KEY": key})


def test_serve_answers_on_its_port(seed: Seed) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "BENCHLAB_ADMIN_KEY"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchlab", "serve", "--port", str(port), "--db", str(seed.db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health").json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.05)
        assert health["write_api"] is False
        assert httpx.get(f"http://127.0.0.1:{port}/").status_code == 200
    finally:
        proc.terminate()
        proc.wait(10)


def test_serve_takes_body_limits_and_allowed_origins(seed: Seed) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "BENCHLAB_DB"}
    env["BENCHLAB_ADMIN_KEY"] = ADMIN_KEY
    args = ["--port", str(port), "--db", str(seed.db), "--max-body-bytes", "100"]
    args += ["--allowed-origin", "https://dash.example.org"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchlab", "serve", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base}/api/health")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.05)
        key = {"Authorization": f"Bearer {ADMIN_KEY}"}
        big = httpx.post(f"{base}/api/runs", content=b"{" + b" " * 200 + b"}", headers=key)
        assert big.status_code == 413
        small = httpx.post(f"{base}/api/runs", json={"suites": ["x"], "models": ["oracle"]})
        assert small.status_code == 401
        url = f"ws://127.0.0.1:{port}/api/runs/{seed.runs[0]}/events"
        assert finished_stream(url, "https://dash.example.org")[0]["type"] == "snapshot"
    finally:
        proc.terminate()
        proc.wait(10)


def test_serve_rejects_a_bad_port() -> None:
    result = _cli("serve", "--port", "70000")
    assert result.returncode == 2 and "--port" in result.stderr


def test_push_sends_a_run_once(seed: Seed, tmp_path: Path) -> None:
    with LiveServer(make_app(f"sqlite:///{tmp_path}/team.db")) as live:
        first = _cli("push", seed.runs[0], "--to", live.url, "--db", str(seed.db), "--json")
        assert first.returncode == 0, first.stderr
        assert json.loads(first.stdout) == {"run_id": seed.runs[0], "created": True, "attempts": 36}
        again = _cli("push", seed.runs[0], "--to", live.url, "--db", str(seed.db))
        assert again.returncode == 0 and "already on the server" in again.stderr
        summary = httpx.get(f"{live.url}/api/runs/{seed.runs[0]}").json()
        assert summary["done"] == 36
        wrong = _cli("push", seed.runs[1], "--to", live.url, "--db", str(seed.db), key="nope")
        assert wrong.returncode == 2 and "401" in wrong.stderr


def test_push_errors_are_one_line(seed: Seed) -> None:
    no_key = _cli(
        "push", seed.runs[0], "--to", "http://127.0.0.1:9", "--db", str(seed.db), key=None
    )
    assert no_key.returncode == 2 and "BENCHLAB_ADMIN_KEY" in no_key.stderr
    port = _free_port()
    down = _cli("push", seed.runs[0], "--to", f"http://127.0.0.1:{port}", "--db", str(seed.db))
    assert down.returncode == 2 and "cannot reach" in down.stderr
    assert "Traceback" not in down.stderr
