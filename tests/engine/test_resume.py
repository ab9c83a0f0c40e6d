"""A real `benchlab run` process killed with SIGKILL mid-run, then resumed: nothing lost or
repeated."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchlab.store import Store
from support.runs import cli
from support.servers import StubServer
from support.suites import write_jsonl_suite

N = 120
CONCURRENCY = 4
DELAY = 0.03


def _cli(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "benchlab", *args]


def _env(server: StubServer) -> dict[str, str]:
    return {**os.environ, "OPENAI_BASE_URL": server.openai_base_url, "OPENAI_API_KEY": "k"}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A command that runs to its end (the first run, a resume): in the test's process. Only
    the runs that are killed need a process of their own."""
    keys = {k: v for k, v in env.items() if k.startswith("OPENAI_")}
    return cli(*args, env=keys)


def _first_run(suite: Path, db_url: str, env: dict[str, str]) -> str:
    """A finished run of `suite` on a stub model; its run id."""
    done = _run(
        [
            "run",
            str(suite),
            "-m",
            "openai/x",
            "--scorer",
            "numeric",
            "--db",
            db_url,
            "--json",
            "-q",
        ],
        env,
    )
    assert done.returncode == 0, done.stderr
    return str(json.loads(done.stdout)["run_id"])


@pytest.mark.slow
def test_kill_9_then_resume_loses_nothing_and_repeats_nothing(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", N)
    stub_server.delay = DELAY
    env = _env(stub_server)
    args = [
        "run",
        str(suite),
        "-m",
        "openai/stub",
        "--scorer",
        "numeric",
        "-c",
        str(CONCURRENCY),
        "--db",
        db_url,
        "--json",
        "-q",
    ]
    proc = subprocess.Popen(
        _cli(args), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while stub_server.count < N // 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    sent_before = stub_server.count
    assert N // 3 <= sent_before < N, "the run should have been killed midway"

    with Store(db_url) as store:
        (run,) = store.list_runs()
        # Killed: it could not mark itself, but its owner's pid is gone, so it reads as
        # interrupted (it used to read as running forever).
        assert run.status == "interrupted"
        stored_before = store.count_attempts(run.id)
    lost = sent_before - stored_before
    # At most the requests in flight plus those finished in the last flush interval (100 ms).
    assert 0 <= lost <= CONCURRENCY + CONCURRENCY * (0.1 / DELAY + 1)

    done = _run(["resume", run.id, "--db", db_url, "--json", "-q"], env)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["status"] == "completed"
    assert summary["models"][0]["attempts"] == N
    assert summary["models"][0]["pass_rate"] == 1.0
    # Every request after the kill was for an attempt the store did not have.
    assert stub_server.count - sent_before == N - stored_before
    with Store(db_url) as store:
        assert store.count_attempts(run.id) == N
        keys = store.finished_keys(run.id)
        assert len(keys) == N
        assert store.get_run(run.id).status == "completed"


def test_resume_of_a_finished_run_sends_nothing(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 5)
    env = _env(stub_server)
    run_id = _first_run(suite, db_url, env)
    again = _run(["resume", run_id, "--db", db_url, "--json", "-q", "--no-cache"], env)
    assert again.returncode == 0, again.stderr
    assert stub_server.count == 5
    assert json.loads(again.stdout)["models"][0]["attempts"] == 5


def test_resume_refuses_a_changed_suite(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 5)
    env = _env(stub_server)
    run_id = _first_run(suite, db_url, env)
    write_jsonl_suite(suite, 6)
    again = _run(["resume", run_id, "--db", db_url], env)
    assert again.returncode == 2
    assert "changed since the run started" in again.stderr
    assert "Traceback" not in again.stderr


def test_sigterm_marks_the_run_interrupted_and_resumable(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 60)
    stub_server.delay = 0.05
    env = _env(stub_server)
    proc = subprocess.Popen(
        _cli(
            [
                "run",
                str(suite),
                "-m",
                "openai/x",
                "--scorer",
                "numeric",
                "-c",
                "2",
                "--db",
                db_url,
                "-q",
            ]
        ),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while stub_server.count < 10 and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "benchlab resume" in err
    with Store(db_url) as store:
        (run,) = store.list_runs()
        assert run.status == "interrupted"
        stored = store.count_attempts(run.id)
        assert 0 < stored < 60
        # everything answered before the signal was flushed on the way out
        assert stub_server.count - stored <= 2
