"""The Overview's Schedules card in a real headless Chromium: next run times in the
schedule's own zone, how far off they are, and a link to the last scheduled run."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from server.test_schedules import TRACKER, _finished, _until, _utc
from support.browser import Watched
from support.clock import FakeClock
from support.lab import make_app
from support.live_server import LiveServer

pytestmark = pytest.mark.slow


def test_the_schedules_card_shows_next_and_last_runs(tmp_path: Path, watched: Watched) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text(TRACKER.replace("timezone: UTC", "timezone: Europe/Paris"))
    clock = FakeClock(_utc(2025, 1, 6, 4, 59, 30))  # 05:59:30 in Paris
    app = make_app(f"sqlite:///{tmp_path}/lab.db", schedules=path, schedule_clock=clock)
    with LiveServer(app) as live, httpx.Client(base_url=live.url, timeout=30) as client:
        page = watched.page
        page.goto(live.url + "/")
        rows = page.locator("#schedule-table tbody tr")
        expect(rows).to_have_count(2)
        tracker = page.locator("tr[data-schedule=tracker]")
        expect(tracker.locator(".next-run time")).to_have_text("2025-01-06 06:00 CET")
        expect(tracker.locator(".next-run time")).to_have_attribute(
            "datetime", "2025-01-06T05:00:00+00:00"
        )
        expect(tracker.locator(".next-run")).to_contain_text("in under a minute")
        expect(tracker.locator(".last-run")).to_contain_text("none yet")
        expect(page.locator("tr[data-schedule=paused] .next-run")).to_have_text("paused")
        watched.shot("schedules-before")

        clock.set(_utc(2025, 1, 6, 5))
        (run,) = _until(lambda: _finished(client, "tracker", 1))
        page.reload()
        expect(tracker.locator(".next-run time")).to_have_text("2025-01-07 06:00 CET")
        expect(tracker.locator(".next-run")).to_contain_text("in 1 d")
        expect(tracker.locator(".last-run .chip")).to_have_text("completed")
        watched.shot("schedules-after")

        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        expect(page.locator(".plot .main-svg").first).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the overview scrolls sideways by {overflow}px"
        watched.shot("schedules-phone")
        page.set_viewport_size({"width": 1280, "height": 900})

        tracker.locator(f"a[href='/runs/{run['run_id']}']").click()
        expect(page.locator("h1")).to_contain_text(run["run_id"])
        expect(page.locator("#run-status")).to_contain_text("completed")

        page.goto(live.url + "/")
        page.click("tr[data-schedule=tracker] a:has-text('tracker')")
        expect(page.locator("table.data tbody tr")).to_have_count(1)
