"""`POST /api/runs` refuses, with its reason and before starting anything, a launch that
cannot run as configured: an unknown or custom scorer, a judging suite without a judge, a
provider's missing API key (of a model or of the judge), a standard suite without its data.

The server is `benchlab serve` in a process of its own, with no provider keys and a Hub
cache of its own pointed at no Hub (support/hub_env.py), so nothing reaches the network;
it also takes its monthly budget from `--budget`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from support.hub_env import hf_env
from support.lab import ADMIN_KEY, auth

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("serve")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith(("_API_KEY", "_BASE_URL")) and not k.startswith(("HF_", "BENCHLAB_"))
    }
    env.update(hf_env(home / "hf", HF_HUB_OFFLINE="1"), BENCHLAB_ADMIN_KEY=ADMIN_KEY)
    port = _free_port()
    db = f"sqlite:///{home / 'lab.db'}"
    args = ["--port", str(port), "--db", db, "--budget", "12.5", "--budget-threshold", "50"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchlab", "serve", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/api/health")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"suites": ["quickstart"], "models": ["oracle"], "scorers": ["nosuch"]}, "unknown scorer"),
        (
            {"suites": ["quickstart"], "models": ["oracle"], "scorers": ["os:system"]},
            "custom (module:function) scorers can only run from the CLI",
        ),
        ({"suites": ["rent-sycophancy"], "models": ["echo"]}, "needs a judge model"),
        ({"suites": ["quickstart"], "models": ["openai/gpt-4o-mini"]}, "OPENAI_API_KEY"),
        (
            {"suites": ["rent-sycophancy"], "models": ["echo"], "judge_model": "openai/gpt-4o"},
            "OPENAI_API_KEY",
        ),
        ({"suites": ["mmlu"], "models": ["oracle"], "limit": 1}, "benchlab data pull mmlu"),
        ({"suites": ["nosuch"], "models": ["oracle"]}, "not launchable here"),
    ],
)
def test_an_unlaunchable_run_is_refused_with_its_reason(
    served: str, body: dict[str, object], reason: str
) -> None:
    answer = httpx.post(served + "/api/runs", json=body, headers=auth(ADMIN_KEY), timeout=60)
    assert answer.status_code == 400, answer.text
    assert reason in answer.json()["error"]
    assert httpx.get(served + "/api/runs").json()["items"] == []  # nothing was started


def test_serve_takes_the_budget_flags(served: str) -> None:
    budget = httpx.get(served + "/api/budget").json()
    assert budget["configured"] is True and budget["budget_usd"] == 12.5
    assert budget["thresholds"] == [50] and budget["webhook"] is False
    assert "of $12.50" in budget["line"]
    page = httpx.get(served + "/launch").text
    assert '<option value="exact">' in page and 'id="judge-model"' in page
    assert 'value="mmlu"' in page  # standard suites are offered (their data checked at launch)


def test_a_launchable_run_with_scorers_starts(served: str) -> None:
    body = {"suites": ["quickstart"], "models": ["oracle"], "scorers": ["exact"], "limit": 2}
    answer = httpx.post(served + "/api/runs", json=body, headers=auth(ADMIN_KEY), timeout=60)
    assert answer.status_code == 202, answer.text


@pytest.mark.parametrize("suite", ["tasks", "humaneval"])
def test_the_built_in_code_suites_launch(served: str, suite: str) -> None:
    """`benchlab suites` lists `tasks` and `humaneval` as built-in (made from packaged data,
    nothing to download); the launch form offered neither and the API refused them as "not
    launchable here"."""
    assert f'value="{suite}"' in httpx.get(served + "/launch").text
    body = {"suites": [suite], "models": ["oracle"], "limit": 1}
    answer = httpx.post(served + "/api/runs", json=body, headers=auth(ADMIN_KEY), timeout=60)
    assert answer.status_code == 202, answer.text
    run = answer.json()["run_id"]
    deadline = time.monotonic() + 120  # the sandbox runs the reference solution's tests
    while (got := httpx.get(f"{served}/api/runs/{run}").json())["status"] == "running":
        assert time.monotonic() < deadline, got
        time.sleep(0.2)
    assert got["status"] == "completed" and got["models"][0]["pass_rate"] == 1.0, got
