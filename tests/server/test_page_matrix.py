"""The `/matrix` page in a real headless Chromium, over two real runs (a baseline and a worse
candidate whose replay model errors on most cases and gives one hostile answer): filters,
sorting, search, a cell opening the attempt panel, the hostile answer shown as text, and a
phone-width page that never scrolls sideways. Fails on any console error or CSP violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from support.browser import Watched
from support.lab import Seed
from support.live_server import LiveServer

pytestmark = pytest.mark.slow

CANDIDATE_REPLAY = 5  # the candidate run's replay model: the sixth column


def _cell(page: Page, case_id: str, column: int) -> str:
    return f"#matrix tbody tr[data-case='{case_id}'] td.cell >> nth={column}"


def test_the_matrix_of_two_runs(
    matrix_server: LiveServer, matrix_lab: Seed, watched: Watched
) -> None:
    page, base = watched.page, matrix_server.url
    baseline, candidate = matrix_lab.runs

    page.goto(f"{base}/runs/{candidate}")
    page.click("#matrix-link")
    expect(page.locator("#matrix thead th")).to_have_count(4)  # the case column + 3 models
    page.select_option("#run-a", baseline)
    page.select_option("#run-b", candidate)
    page.click("#matrix-form button[type=submit]")
    expect(page.locator("#matrix tbody tr")).to_have_count(12)
    expect(page.locator("#matrix thead th")).to_have_count(7)
    expect(page.locator("#matrix-count")).to_contain_text("12 cases")
    watched.shot("matrix")

    # an errored attempt shows ERROR, never FAIL; the hostile answer stays text
    errored = page.locator(_cell(page, "great-wall-from-moon", CANDIDATE_REPLAY))
    expect(errored.locator(".chip")).to_have_text("ERROR")
    hostile = page.locator(_cell(page, "capital-australia", CANDIDATE_REPLAY))
    expect(hostile.locator(".chip")).to_have_text("FAIL")
    hostile.locator("summary").click()  # the long answer is folded
    expect(hostile.locator(".md pre.hl .k").first).to_have_text("def")  # highlighted code
    expect(hostile.locator(".md")).to_contain_text("<img src=x onerror=")
    expect(hostile.locator(".md")).to_contain_text("[a link](javascript:alert(1))")
    assert page.locator("#matrix img, #matrix script, #matrix a[href^='javascript']").count() == 0
    assert page.title() != "pwned"
    watched.shot("matrix-hostile-answer")

    # flips between the two runs: the two cases the replay model got wrong this time
    page.select_option("#show", "flips")
    page.click("#matrix-form button[type=submit]")
    expect(page.locator("#matrix tbody tr")).to_have_count(2)
    expect(page.locator("#matrix tbody th .mono")).to_have_text(
        ["capital-australia", "prorated-refund"]
    )
    watched.shot("matrix-flips")

    page.select_option("#show", "failures")
    page.click("#matrix-form button[type=submit]")
    expect(page.locator("#matrix-count")).to_contain_text("11 cases with failures")

    # sort by the candidate replay column's verdict: failures first, then errors, then passes
    page.select_option("#show", "all")
    page.click("#matrix-form button[type=submit]")
    header = page.locator(f"#matrix thead th[data-column='{CANDIDATE_REPLAY}']")
    header.get_by_role("link", name="verdict").click()
    chips = page.locator(f"#matrix tbody tr td.cell:nth-of-type({CANDIDATE_REPLAY + 1}) .chip")
    expect(chips).to_have_text(["FAIL"] * 2 + ["ERROR"] * 8 + ["PASS"] * 2)
    header.get_by_role("link", name="verdict ↑").click()  # again: descending
    expect(chips.first).to_have_text("PASS")
    watched.shot("matrix-sorted")

    page.fill("#q", "sydney")
    page.click("#matrix-form button[type=submit]")
    expect(page.locator("#matrix tbody tr")).to_have_count(1)

    # a cell opens the run page's attempt panel
    page.locator(_cell(page, "capital-australia", 1)).click()
    expect(page.locator("#attempt-panel")).to_be_visible()
    expect(page.locator("#panel-title")).to_contain_text("capital-australia")
    expect(page.locator("#panel-title")).to_contain_text("echo")
    expect(page.locator("#panel-body")).to_contain_text("Prompt")
    expect(page.locator(_cell(page, "capital-australia", 1))).to_have_class("cell v-fail selected")
    watched.shot("matrix-panel")
    page.click("#panel-close")
    expect(page.locator("#attempt-panel")).to_be_hidden()


def test_phone_width_scrolls_the_table_not_the_page(
    matrix_server: LiveServer, matrix_lab: Seed, watched: Watched
) -> None:
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{matrix_server.url}/matrix?runs={','.join(matrix_lab.runs)}")
    expect(page.locator("#matrix tbody tr")).to_have_count(12)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    inner = page.evaluate(
        "() => { const w = document.querySelector('.matrix-wrap');"
        " return [w.scrollWidth, w.clientWidth]; }"
    )
    assert inner[0] > inner[1], inner  # six columns scroll inside their own box
    watched.shot("matrix-phone")
    page.locator(_cell(page, "token-bill", 0)).click()
    expect(page.locator("#attempt-panel")).to_be_visible()
    watched.shot("matrix-phone-panel")
