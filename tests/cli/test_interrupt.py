"""Stopping a real `benchlab run` process: SIGTERM at any plan size, and `kill -9`."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from support.runs import cli


def _start(db: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "BENCHLAB_DB"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchlab",
            "run",
            "quickstart",
            "-m",
            "oracle",
            "-q",
            "--db",
            str(db),
            *args,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_attempts(db: Path, proc: subprocess.Popen[str], at_least: int = 1) -> None:
    """Until the run has stored attempts (it is past planning, mid-run)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        if db.exists():
            try:
                with sqlite3.connect(db) as conn:
                    (n,) = conn.execute("SELECT count(*) FROM attempts").fetchone()
                if n >= at_least:
                    return
            except sqlite3.OperationalError:
                pass  # tables not made yet
        time.sleep(0.1)
    raise AssertionError("the run stored no attempt in 90 s")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_sigterm_stops_a_large_run_promptly_and_leaves_it_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    # 12 cases x 10,000 samples: 120,000 offline answers, none of which ever waits on I/O.
    proc = _start(db, "--samples", "10000")
    try:
        _wait_for_attempts(db, proc, at_least=200)
        assert _rss_mb(proc.pid) < 400  # the plan is streamed, never built whole
        proc.send_signal(signal.SIGTERM)
        began = time.monotonic()
        _, stderr = proc.communicate(timeout=30)
        took = time.monotonic() - began
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, stderr
    assert took < 10, took
    assert "interrupted" in stderr and "benchlab resume" in stderr
    runs = json.loads(cli("runs", "--db", str(db), "--json").stdout)
    assert [r["status"] for r in runs] == ["interrupted"]


def test_a_run_killed_with_kill_9_reads_as_interrupted(tmp_path: Path) -> None:
    """It used to stay `running` forever: nobody was left to mark it."""
    db = tmp_path / "runs.db"
    proc = _start(db, "--samples", "10000")
    try:
        _wait_for_attempts(db, proc)
        runs = json.loads(cli("runs", "--db", str(db), "--json").stdout)
        assert [r["status"] for r in runs] == ["running"]  # alive: its pid is there
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    runs = json.loads(cli("runs", "--db", str(db), "--json").stdout)
    assert [r["status"] for r in runs] == ["interrupted"]
    shown = json.loads(cli("show", runs[0]["run_id"], "--db", str(db), "--json").stdout)
    assert shown["status"] == "interrupted"
    with sqlite3.connect(db) as conn:  # and it is stored so, for every reader
        (status,) = conn.execute("SELECT status FROM runs").fetchone()
    assert status == "interrupted"
