"""The live run page, the budget alert and the launch form's refusals in headless Chromium.

A `benchlab run` in its own process (a slow stub model paces it) writes to the database
an open run page watches: its rows appear and its counts move without a reload. A month
past its budget shows the alert on the overview; a launch that cannot run as configured
is refused in the form with its reason, and nothing starts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Locator, expect

from benchlab.store import Store
from support.browser import Watched
from support.lab import ADMIN_KEY, make_app
from support.live_server import LiveServer
from support.runs import make_run, priced_models, replay, suite
from support.servers import StubServer

pytestmark = pytest.mark.slow
N = 12
CLI = [sys.executable, "-m", "benchlab"]
ONE = ["-c", "1", "-q", "--db"]  # one request at a time: the stub's delay paces the run


def _running_run(client: httpx.Client, proc: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        items = client.get("/api/runs").json()["items"]
        if items:
            return str(items[0]["run_id"])
        assert proc.poll() is None, "the CLI run ended before it was stored"
        time.sleep(0.05)
    raise AssertionError("the CLI run never appeared in the store")


def _partly_filled(rows: Locator) -> int:
    """Rows shown once some (not all) attempts are on the page; 0 if that never happens."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        count = rows.count()
        if 0 < count < N:
            return count
        time.sleep(0.05)
    return rows.count()


def test_a_cli_run_fills_an_open_run_page_without_reload(tmp_path: Path, watched: Watched) -> None:
    db = f"sqlite:///{tmp_path / 'lab.db'}"
    cases = suite(tmp_path, N)
    Store(db).close()  # the database exists before the run and the server both open it
    with StubServer(delay=0.8) as slow:
        env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
        env.update(OPENAI_BASE_URL=slow.openai_base_url, OPENAI_API_KEY="k")
        env.pop("BENCHLAB_DB", None)
        proc = subprocess.Popen(
            [*CLI, "run", str(cases), "-m", "openai/slow", "--scorer", "numeric", *ONE, db],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            with LiveServer(make_app(db)) as server, httpx.Client(base_url=server.url) as client:
                run_id = _running_run(client, proc)
                page = watched.page
                page.goto(f"{server.url}/runs/{run_id}", wait_until="domcontentloaded")
                page.evaluate("window.sameDocument = true")
                rows = "#attempts tr[data-attempt]"
                # Rows appear while the run still runs: some, not all yet.
                seen = _partly_filled(page.locator(rows))
                assert 0 < seen < N
                expect(page.locator("#run-status")).to_contain_text("running")
                watched.shot("live-run-midway")
                expect(page.locator("#live")).to_have_attribute(
                    "data-finished", "completed", timeout=60_000
                )
                expect(page.locator(rows)).to_have_count(N)
                expect(page.locator("#run-status")).to_contain_text("completed")
                expect(page.locator("#attempts-count")).to_contain_text(f"{N} attempts")
                expect(page.locator("#summary tbody tr td").nth(2)).to_have_text(str(N))
                assert page.evaluate("window.sameDocument") is True  # never reloaded
                assert int(page.locator("#live").get_attribute("data-refreshed") or 0) >= 2
                # a row that arrived live opens the attempt panel like any other
                page.locator(rows).last.click()
                expect(page.locator("#attempt-panel")).to_be_visible()
                watched.shot("live-run-finished")
        finally:
            _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr


def test_the_budget_alert_shows_on_the_overview(tmp_path: Path, watched: Watched) -> None:
    db = f"sqlite:///{tmp_path / 'lab.db'}"
    models = priced_models(tmp_path / "m.json", {"paid": (replay(tmp_path / "r.jsonl", N), 1000.0)})
    cost = make_run(db, suite(tmp_path, N), "paid", models_file=models).summary["models"][0][
        "cost_usd"
    ]
    with LiveServer(make_app(db, budget_usd=cost / 0.85)) as server:
        page = watched.page
        page.goto(server.url + "/")
        alert = page.locator(".budget-alert")
        expect(alert).to_have_count(1)
        expect(alert).to_contain_text("reached 80% of the monthly budget")
        expect(page.locator("#budget-line")).to_contain_text("(85%)")
        expect(page.locator("#budget-table")).to_contain_text("paid")
        watched.shot("budget-alert")
        page.select_option("#budget-month", index=1)  # last month: nothing spent, no alert
        expect(page.locator(".budget-alert")).to_have_count(0)
        expect(page.locator("#budget-table")).to_contain_text("Nothing was paid for")


def test_the_launch_form_says_why_a_run_cannot_start(tmp_path: Path, watched: Watched) -> None:
    db = f"sqlite:///{tmp_path / 'lab.db'}"
    with LiveServer(make_app(db, env={})) as server, httpx.Client(base_url=server.url) as client:
        page = watched.page
        page.goto(server.url + "/launch")
        page.fill("#admin-key", ADMIN_KEY)
        page.check("input[name=suites][value=rent-sycophancy]")
        page.uncheck("input[name=suites][value=quickstart]")
        page.fill("#models", "echo")
        page.fill("input[name=limit]", "2")
        page.click("#launch-button")
        error = page.locator("#launch-error")
        expect(error).to_contain_text("Not started")
        expect(error).to_contain_text("needs a judge model")
        page.fill("#judge-model", "openai/gpt-4o-mini")  # no OPENAI_API_KEY on this server
        page.click("#launch-button")
        expect(error).to_contain_text("OPENAI_API_KEY")
        watched.shot("launch-refused")
        page.fill("#judge-model", "")
        page.check("input[name=suites][value=quickstart]")
        page.uncheck("input[name=suites][value=rent-sycophancy]")
        page.select_option("#scorers", ["exact"])
        page.fill("#concurrency", "2")
        page.fill("#models", "oracle")
        page.click("#launch-button")
        expect(page.locator("#live")).to_have_attribute("data-finished", "completed")
        watched.errors.clear()  # the browser logs each 400 itself; those are expected
        runs = client.get("/api/runs").json()["items"]
        assert len(runs) == 1  # the refused launches started nothing
        detail = client.get(f"/api/runs/{runs[0]['run_id']}").json()
        assert detail["config"]["concurrency"] == 2
        assert [s["name"] for s in detail["config"]["scorers"]] == ["exact"]
