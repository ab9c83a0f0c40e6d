"""The live run page, the budget alert and the launch form's refusals in headless Chromium.

A `benchlab run` in its own process (a slow stub model paces it) writes to the database
an open run page watches: its rows appear and its counts, duration, pass-rate chart,
category table and errors note move without a reload. A month
past its budget shows the alert on the overview; a launch that cannot run as configured
is refused in the form with its reason, and nothing starts.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Locator, expect

from benchlab.server.rendering import templates
from benchlab.store import Store
from support.browser import Watched
from support.lab import ADMIN_KEY, make_app
from support.live_server import LiveServer
from support.runs import make_run, priced_models, replay, suite
from support.servers import Behaviour, Status, StubServer, every_nth, last_user_text

pytestmark = pytest.mark.slow
N = 12
CLI = [sys.executable, "-m", "benchlab"]
ONE = ["-c", "1", "-q", "--db"]  # one request at a time: the stub's delay paces the run
RETRY = ["--retries", "1"]  # a failing request is an error after one retry


def _running_run(client: httpx.Client, proc: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        items = client.get("/api/runs").json()["items"]
        if items:
            return str(items[0]["run_id"])
        assert proc.poll() is None, "the CLI run ended before it was stored"
        time.sleep(0.05)
    raise AssertionError("the CLI run never appeared in the store")


def _partly_filled(rows: Locator, n: int = N) -> int:
    """Rows shown once some (not all n) attempts are on the page; 0 if that never happens."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        count = rows.count()
        if 0 < count < n:
            return count
        time.sleep(0.05)
    return rows.count()


@dataclass
class LiveRun:
    server: LiveServer
    client: httpx.Client
    run_id: str
    stub: StubServer  # its `behave` may be changed while the run runs


@contextmanager
def _slow_cli_run(
    tmp_path: Path,
    answer: Callable[[dict[str, Any]], str] | None = None,
    *,
    n: int = N,
    models: Sequence[str] = ("openai/slow",),
    behave: Callable[[dict[str, Any] | None], Behaviour | None] | None = None,
    exit_code: int = 0,
) -> Iterator[LiveRun]:
    """A `benchlab run` of n cases in its own process, paced by a slow stub model, and a
    server over its database; yields once the run is stored, and checks it ended with
    `exit_code` (3: some attempts errored, or the run failed)."""
    db = f"sqlite:///{tmp_path / 'lab.db'}"
    cases = suite(tmp_path, n)
    Store(db).close()  # the database exists before the run and the server both open it
    with StubServer(delay=0.8, answer=answer) as slow:
        slow.behave = behave
        chosen = [arg for model in models for arg in ("-m", model)]
        env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
        env.update(OPENAI_BASE_URL=slow.openai_base_url, OPENAI_API_KEY="k")
        env.pop("BENCHLAB_DB", None)
        proc = subprocess.Popen(
            [*CLI, "run", str(cases), *chosen, "--scorer", "numeric", *RETRY, *ONE, db],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            with LiveServer(make_app(db)) as server, httpx.Client(base_url=server.url) as client:
                yield LiveRun(server, client, _running_run(client, proc), slow)
        finally:
            _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == exit_code, stderr


def test_a_cli_run_fills_an_open_run_page_without_reload(tmp_path: Path, watched: Watched) -> None:
    with _slow_cli_run(tmp_path) as live:
        page = watched.page
        page.goto(f"{live.server.url}/runs/{live.run_id}", wait_until="domcontentloaded")
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


# The errors note's count and the run's duration in seconds, as the page shows them.
NOTE_ERRORS = """() => { const note = document.getElementById('errors-note');
  return note ? Number(note.textContent.match(/(\\d+) of \\d+ attempts errored/)[1]) : 0; }"""
SHOWN_SECONDS = """() => { const [, n, unit] = document.getElementById('run-duration')
  .textContent.match(/([\\d.]+) (s|min)/); return Number(n) * (unit === 'min' ? 60 : 1); }"""


def test_the_duration_and_the_first_error_show_without_reload(
    tmp_path: Path, watched: Watched
) -> None:
    """The run has no error when the page opens; then the stub fails every other case
    past the retry budget. The errors note appears while the run still runs and counts on,
    apart from the pass rate; the duration counts while running and settles on the stored
    one. At phone width, without sideways scroll."""
    n = 16  # cases enough that some are left to fail once the page is watched, even when slow
    with _slow_cli_run(tmp_path, n=n, exit_code=3) as live:
        page = watched.page
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live.server.url}/runs/{live.run_id}", wait_until="domcontentloaded")
        page.evaluate("window.sameDocument = true")
        assert 0 < _partly_filled(page.locator("#attempts tr[data-attempt]"), n) < n
        expect(page.locator("#errors-note")).to_have_count(0)
        duration = page.locator("#run-duration")
        expect(duration).to_have_text(re.compile(r"^\d+\.\d s$"))
        started = page.evaluate(SHOWN_SECONDS)
        live.stub.behave = every_nth(2, Status(500))  # from now on: c2, c4, ... error
        # The note appears while the run still runs, the duration moved meanwhile.
        page.wait_for_function(
            f"() => ({NOTE_ERRORS})() > 0"
            " && document.getElementById('run-status').textContent.includes('running')",
            timeout=30_000,
            polling=50,
        )
        first_errors = page.evaluate(NOTE_ERRORS)
        assert page.evaluate(SHOWN_SECONDS) > started
        watched.shot("live-errors-midway-phone")
        expect(page.locator("#live")).to_have_attribute(
            "data-finished", "completed", timeout=60_000
        )
        summary = live.client.get(f"/api/runs/{live.run_id}").json()
        errors = summary["errors"]
        assert 0 < first_errors < errors  # the note counted on as the errors came
        note = page.locator("#errors-note")
        expect(note).to_contain_text(f"{errors} of {n} attempts errored and have no verdict")
        expect(note).to_contain_text("HTTP 500")
        # errors apart from fails: every judged attempt passed, the errors stand beside
        row = page.locator("#summary tbody tr").first
        expect(row.locator("td").nth(1)).to_contain_text("100.0%")
        expect(row.locator(".errors-count")).to_have_text(f"· {errors} errors")
        # the duration settles on the stored one and stays there
        run = live.client.get("/api/runs").json()["items"][0]
        final = templates.env.filters["secs"](run["duration_s"])
        expect(duration).to_have_text(final)
        assert duration.get_attribute("data-elapsed") is None
        page.wait_for_timeout(600)
        expect(duration).to_have_text(final)
        assert page.evaluate(SHOWN_SECONDS) > started
        assert page.evaluate("window.sameDocument") is True
        width = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        assert page.evaluate(width)
        watched.shot("live-errors-finished-phone")


def _refuses_one_model(payload: dict[str, Any] | None) -> Behaviour | None:
    return Status(401) if payload and payload.get("model") == "refused" else None


def test_a_run_that_fails_while_watched_says_why_without_reload(
    tmp_path: Path, watched: Watched
) -> None:
    """One of two models refuses every request (a wrong key): the run goes on with the other
    and ends failed, and the page shows the reason the run stored, with no reload."""
    models = ("openai/slow", "openai/refused")
    with _slow_cli_run(tmp_path, models=models, behave=_refuses_one_model, exit_code=3) as live:
        page = watched.page
        page.goto(f"{live.server.url}/runs/{live.run_id}", wait_until="domcontentloaded")
        page.evaluate("window.sameDocument = true")
        expect(page.locator("#run-status")).to_contain_text("running")
        expect(page.locator("#run-error")).to_have_count(0)
        expect(page.locator("#live")).to_have_attribute("data-finished", "failed", timeout=60_000)
        stored = live.client.get(f"/api/runs/{live.run_id}").json()["error"]
        assert "openai/refused" in stored and "401" in stored
        expect(page.locator("#run-error")).to_have_text(stored)
        expect(page.locator("#run-status")).to_contain_text("failed")
        assert page.evaluate("window.sameDocument") is True
        watched.shot("live-run-failed")


def _every_third_wrong(payload: dict[str, Any]) -> str:
    """Cases c0, c3, c6, c9 answered wrong: each category (even, odd) ends at 4 of 6."""
    text = last_user_text(payload)
    return "wrong" if int(text.split()[-1]) % 3 == 0 else text


# The judged attempts the category table counts, from its "(passed/n)" cells.
CATEGORY_N = """() => [...document.querySelectorAll('#categories tbody td')]
  .map((td) => td.textContent.match(/\\((\\d+)\\/(\\d+)\\)/))
  .reduce((sum, m) => sum + (m ? Number(m[2]) : 0), 0)"""
# The bars plotly drew: each model's rate and its interval's arms.
DRAWN = """() => { const d = document.getElementById('rate-chart').data[0];
  return [d.x, d.error_x.array, d.error_x.arrayminus]; }"""


def test_the_pass_rate_chart_and_category_table_move_without_reload(
    tmp_path: Path, watched: Watched
) -> None:
    with _slow_cli_run(tmp_path, _every_third_wrong) as live:
        page = watched.page
        page.goto(f"{live.server.url}/runs/{live.run_id}", wait_until="domcontentloaded")
        page.evaluate("window.sameDocument = true")
        # Midway: the table counts some attempts, not all, and the chart is drawn.
        page.wait_for_function(
            f"() => {{ const n = ({CATEGORY_N})();"
            f" const plot = document.getElementById('rate-chart');"
            f" return n > 0 && n < {N} && plot && plot.data; }}",
            timeout=30_000,
            polling=50,
        )
        midway_table = page.inner_text("#categories")
        midway_n = page.evaluate(CATEGORY_N)
        midway_bars = page.evaluate(DRAWN)
        page.evaluate("document.getElementById('rate-chart').drawnMidway = true")
        expect(page.locator("#run-status")).to_contain_text("running")
        watched.shot("live-rates-midway")
        expect(page.locator("#live")).to_have_attribute(
            "data-finished", "completed", timeout=60_000
        )
        assert 0 < midway_n < N
        assert page.evaluate(CATEGORY_N) == N
        cells = page.locator("#categories tbody td")
        expect(cells.nth(1)).to_contain_text("(4/6)")
        expect(cells.nth(2)).to_contain_text("(4/6)")
        assert page.inner_text("#categories") != midway_table
        bars = page.evaluate(DRAWN)
        assert bars[0] == [pytest.approx(8 / 12)]
        assert bars != midway_bars  # the interval narrowed as the attempts came in
        # the same plot, its bars moved: not a chart drawn anew, nor a page reloaded
        assert page.evaluate("document.getElementById('rate-chart').drawnMidway") is True
        assert page.evaluate("window.sameDocument") is True
        watched.shot("live-rates-finished")


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
