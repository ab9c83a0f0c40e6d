"""`benchlab serve --schedules FILE`: a bad file stops it before it listens (exit 2, one
line), a good one is announced and served at /api/schedules by a real process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from support.runs import cli

GOOD = """\
schedules:
  - name: daily-sample
    cron: "0 6 * * *"
    suite: quickstart
    models: [oracle, echo]
    limit: 50
    seed: 7
"""


def _env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if k not in ("BENCHLAB_DB", "BENCHLAB_ADMIN_KEY") and not k.endswith("_API_KEY")
    }


def _serve(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A `serve` that should stop before it listens: run as support.runs.cli runs commands
    (had it served, its time-out would end it and fail the test)."""
    return cli("serve", "--port", "0", "--db", "lab.db", *args, cwd=cwd)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("0 6 * * *", "0 6 * *"), "schedules.yaml:3: schedule 'daily-sample': cron '0 6 * *'"),
        (("quickstart", "nosuch"), "schedules.yaml:4: schedule 'daily-sample': suite 'nosuch'"),
        (("[oracle, echo]", "[openai/gpt-4.1]"), "needs an API key: set OPENAI_API_KEY"),
        (
            ("    seed: 7\n", "    seed: 7\n    sead: 8\n"),
            ":8: schedule 'daily-sample': unknown key 'sead'",
        ),
    ],
)
def test_a_bad_schedules_file_exits_2_before_serving(
    tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    (tmp_path / "schedules.yaml").write_text(GOOD.replace(*edit))
    result = _serve("--schedules", "schedules.yaml", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ") and expected in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "serving" not in result.stderr


def test_a_duplicate_name_and_a_missing_file_are_named(tmp_path: Path) -> None:
    (tmp_path / "schedules.yaml").write_text(GOOD + GOOD.split("\n", 1)[1])
    twice = _serve("--schedules", "schedules.yaml", cwd=tmp_path)
    assert twice.returncode == 2
    assert "schedules.yaml:8: schedule 'daily-sample': defined twice (first at line 2)" in (
        twice.stderr
    )
    missing = _serve("--schedules", "nope.yaml", cwd=tmp_path)
    assert missing.returncode == 2 and "--schedules nope.yaml: cannot read" in missing.stderr


SCHEDULED = ("--db", "lab.db", "--schedules", "schedules.yaml")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_serve_announces_and_lists_its_schedules(tmp_path: Path) -> None:
    (tmp_path / "schedules.yaml").write_text(GOOD)
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "benchlab", "serve", "--port", str(port), *SCHEDULED],
            cwd=tmp_path,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/api/schedules").json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None, log.read_text()
                time.sleep(0.05)
        (item,) = body["items"]
        assert item["name"] == "daily-sample" and item["models"] == ["oracle", "echo"]
        assert item["next_run_at"].endswith("T06:00:00+00:00")
    finally:
        proc.terminate()
        proc.wait(10)
    text = log.read_text()
    assert "1 schedule from schedules.yaml" in text
    assert "daily-sample (0 6 * * *, UTC): next run " in text
