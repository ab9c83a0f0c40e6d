"""The dashboard in a real headless Chromium (Debian's), driven by Playwright.

Opens every page over a database seeded by real CLI runs, clicks through run
-> attempt -> compare -> launch (watching the launched run finish live), and
fails on any console error or uncaught exception. Screenshots of every page
land in the test's tmp folder.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from benchlab.format import money
from benchlab.server.rendering import templates
from server.conftest import WriteEnv
from support.browser import Watched
from support.lab import ADMIN_KEY

pytestmark = pytest.mark.slow


def _charts_drawn(page: Page, count: int) -> None:
    expect(page.locator(".plot .main-svg").first).to_be_visible()
    assert page.locator(".plot .main-svg").count() >= count


def test_click_through_every_page(write_env: WriteEnv, watched: Watched) -> None:
    page, base = watched.page, write_env.server.url
    baseline, candidate = write_env.seed.runs

    page.goto(base + "/")
    expect(page.locator(".card")).to_have_count(2)  # quickstart + spend
    _charts_drawn(page, 1)
    expect(page.locator("#leaderboard tbody tr")).to_have_count(3)
    watched.shot("overview")

    page.click("#theme-toggle")
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    _charts_drawn(page, 1)
    watched.shot("overview-light")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")  # remembered
    page.click("#theme-toggle")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")

    page.locator("details.numbers summary").first.click()
    expect(page.locator("details.numbers table").first).to_be_visible()

    page.click(f"a[href='/runs/{candidate}']")
    expect(page.locator("h1")).to_contain_text(candidate)
    expect(page.locator("#summary tbody tr")).to_have_count(3)
    expect(page.locator("#attempts tbody tr")).to_have_count(36)
    watched.shot("run")

    page.select_option("select[name=passed]", "false")
    page.fill("input[name=q]", "Sydney")
    page.click("form.filters button[type=submit]")
    expect(page.locator("#attempts tbody tr")).to_have_count(1)
    expect(page.locator("#attempts .chip.fail")).to_have_count(1)

    page.locator("#attempts tbody tr").first.click()
    panel = page.locator("#attempt-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".answer-full")).to_have_text("Sydney")
    expect(panel).to_contain_text("Canberra")
    expect(panel.locator("pre.diff del")).to_have_text("Canberra")
    expect(panel.locator("pre.diff ins")).to_have_text("Sydney")
    page.select_option("#diff-against", label="oracle's answer")
    expect(panel.locator("pre.diff del")).to_have_text("Canberra")
    page.screenshot(path=str(watched.shots / "attempt.png"))  # the panel is fixed: no full page
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()

    page.click("a:has-text('Compare with')")
    page.select_option("#run-a", baseline)
    page.select_option("#run-b", candidate)
    page.click("form.filters button[type=submit]")
    expect(page.locator("#verdict")).to_be_visible()
    expect(page.locator("#compare-table tbody tr")).to_have_count(3)
    expect(page.locator("ul.flips").first).to_contain_text("capital-australia")
    watched.shot("compare")

    page.click("nav >> text=Suites")
    expect(page.locator("#suites tbody tr:has-text('quickstart')")).to_have_count(1)
    watched.shot("suites")
    page.click("#suites a:has-text('quickstart')")
    expect(page.locator("#cases tbody tr")).to_have_count(12)
    _charts_drawn(page, 1)
    watched.shot("suite")

    page.click("nav >> text=Runs")
    expect(page.locator("table.data tbody tr")).to_have_count(2)
    watched.shot("runs")


def test_launch_a_run_and_watch_it_finish(write_env: WriteEnv, watched: Watched) -> None:
    page = watched.page
    page.goto(write_env.server.url + "/launch")
    page.fill("#admin-key", "wrong")
    page.click("#launch-button")
    expect(page.locator("#launch-error")).to_contain_text("admin key")
    watched.errors.clear()  # the browser logs the 401 itself; that one is expected
    page.fill("#admin-key", ADMIN_KEY)
    page.fill("input[name=samples]", "20")
    page.click("#launch-button")
    live = page.locator("#live")
    expect(live).to_be_visible()
    expect(live).to_have_attribute("data-finished", "completed", timeout=60_000)
    expect(page.locator("#live-text")).to_contain_text("480 / 480")
    expect(page.locator("#live-attempts tr").first).to_be_visible()
    expect(page.locator("#live-bar")).to_have_attribute("style", re.compile(r"width: 100(\.0)?%"))
    page.wait_for_timeout(400)  # the bar's CSS transition
    watched.shot("launch")
    page.click("#live-run")
    expect(page.locator("#run-status")).to_contain_text("completed")
    expect(page.locator("#summary tbody tr")).to_have_count(2)


def test_phone_width_is_usable(write_env: WriteEnv, watched: Watched) -> None:
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    for path, name in (("/", "phone-overview"), (f"/runs/{write_env.seed.runs[1]}", "phone-run")):
        page.goto(write_env.server.url + path)
        _charts_drawn(page, 1)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
        watched.shot(name)
    page.locator("#attempts tbody tr").first.click()
    expect(page.locator("#attempt-panel")).to_be_visible()
    page.screenshot(path=str(watched.shots / "phone-attempt.png"))


def test_unknown_pages_render_an_error(write_env: WriteEnv, watched: Watched) -> None:
    response = watched.page.goto(write_env.server.url + "/runs/nope")
    assert response is not None and response.status == 404
    expect(watched.page.locator(".notice.bad")).to_contain_text("nope")
    watched.errors.clear()  # Chromium logs the 404 of the document itself


def test_the_pages_spell_money_as_the_python_formatter_does(
    write_env: WriteEnv, watched: Watched
) -> None:
    """run.js (an attempt's cost) and live.js (a run's spend) format in the browser with
    dom.js's `money`; it must read exactly as benchlab.format.money on the server's pages."""
    page, base = watched.page, write_env.server.url
    page.goto(base + "/")
    amounts = [0.0, 0.499, 0.12345678, 0.0000123, 0.00004999, 0.99996, 1.0, 12.344, 1234.5]
    shown = page.evaluate(
        "async (amounts) => { const { money } = await import('/static/dom.js');"
        " return [money(null), ...amounts.map(money)]; }",
        amounts,
    )
    assert shown == [money(None), *map(money, amounts)]


def test_the_live_duration_reads_as_the_server_spells_it(
    write_env: WriteEnv, watched: Watched
) -> None:
    """run.js counts a running run's duration on with dom.js's `seconds`; when the run ends
    the server's `secs` filter takes over, and the two must read alike."""
    page = watched.page
    page.goto(write_env.server.url + "/")
    durations = [0.0, 0.04, 5.55, 59.96, 119.94, 119.96, 120.0, 754.3, 7321.0]
    shown = page.evaluate(
        "async (durations) => { const { seconds } = await import('/static/dom.js');"
        " return [seconds(null), ...durations.map(seconds)]; }",
        durations,
    )
    secs = templates.env.filters["secs"]
    assert shown == [secs(None), *map(secs, durations)]
