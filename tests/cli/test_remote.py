"""`benchlab push` against a real server that rate-limits its write API (issue 11): a 429 with
Retry-After is waited out and the push tried again, within a bound; past it, one clear line."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from support.lab import ADMIN_KEY, make_app
from support.live_server import LiveServer
from support.runs import assert_user_error, cli, make_run, replay, suite


def _two_runs(tmp_path: Path) -> tuple[str, list[str]]:
    db = f"sqlite:///{tmp_path / 'local.db'}"
    s = suite(tmp_path, 3)
    model = replay(tmp_path / "r.jsonl", 3)
    return db, [make_run(db, s, model).run_id, make_run(db, s, model).run_id]


def test_push_waits_out_a_429_and_tries_again(tmp_path: Path) -> None:
    db, (first, second) = _two_runs(tmp_path)
    env = {"BENCHLAB_ADMIN_KEY": ADMIN_KEY}
    app = make_app(f"sqlite:///{tmp_path / 'team.db'}", rate_limit=1, rate_window=6.0)
    with LiveServer(app) as live:
        ok = cli("push", first, "--to", live.url, "--db", db, env=env)
        assert ok.returncode == 0, ok.stderr
        started = time.monotonic()
        again = cli("push", second, "--to", live.url, "--db", db, "--json", env=env)
        elapsed = time.monotonic() - started
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["created"] is True
        assert "429" in again.stderr and "trying again in" in again.stderr
        assert elapsed >= 1.0  # it waited as Retry-After said instead of hammering the server
        assert httpx.get(f"{live.url}/api/runs/{second}").json()["done"] == 3


def test_push_does_not_wait_past_its_bound(tmp_path: Path) -> None:
    db, (first, second) = _two_runs(tmp_path)
    env = {"BENCHLAB_ADMIN_KEY": ADMIN_KEY}
    app = make_app(f"sqlite:///{tmp_path / 'team.db'}", rate_limit=1, rate_window=600.0)
    with LiveServer(app) as live:
        assert cli("push", first, "--to", live.url, "--db", db, env=env).returncode == 0
        started = time.monotonic()
        refused = cli("push", second, "--to", live.url, "--db", db, env=env)
        assert time.monotonic() - started < 30  # not a 600 s wait, nor 60 s of them
    assert_user_error(refused, "429", "not waiting", "at most 60s", "push again later")


@pytest.mark.parametrize(
    ("header", "expected"),
    [("7", 7.0), (None, None), ("soon", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)
def test_retry_after_forms(header: str | None, expected: float | None) -> None:
    from benchlab.cli.remote import retry_after_seconds

    assert retry_after_seconds(header) == expected
    assert retry_after_seconds("Thu, 01 Jan 2099 00:00:10 GMT", now=4070908800.0) == 10.0
