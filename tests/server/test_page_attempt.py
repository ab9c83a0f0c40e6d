"""One attempt rendered on the server: the panel's fragment, its own page, in Chromium.

Over real runs (tests/support/answer_runs.py): a HumanEval run whose broken programs
fail in the sandbox, wrapped in hostile markdown, and a run of the stub OpenAI server
answering with tool calls after one rate-limited try.
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from benchlab.suites.humaneval import problems
from server.conftest import AnswerLab as Lab
from support.browser import Watched


def _raw_test(case_id: str) -> str:
    return str(next(p["test"] for p in problems() if p["task_id"] == case_id))


def test_the_panel_fragment_escapes_the_answer_and_highlights_the_tests(answer_lab: Lab) -> None:
    attempt = answer_lab.attempts(answer_lab.code_run)[0]
    r = httpx.get(f"{answer_lab.url}/attempts/{attempt['id']}/panel", timeout=30)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "<html" not in html and html.lstrip().startswith('<div class="attempt"')
    assert "<script" not in html and "<img" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert 'class="panel-section code-tests"' in html and '<span class="k">def</span>' in html
    assert "no diff: the answer is checked by running tests" in html
    page = httpx.get(f"{answer_lab.url}/attempts/{attempt['id']}", timeout=30)
    assert page.status_code == 200 and "<html" in page.text and str(attempt["case_id"]) in page.text


@pytest.mark.parametrize("bad", ["12345", "abc", "9" * 30])
def test_unknown_attempts_are_404(answer_lab: Lab, bad: str) -> None:
    fragment = httpx.get(f"{answer_lab.url}/attempts/{bad}/panel", timeout=30)
    assert fragment.status_code == 404 and "attempt-missing" in fragment.text
    page = httpx.get(f"{answer_lab.url}/attempts/{bad}", timeout=30)
    assert page.status_code == 404 and "no attempt" in page.text


@pytest.mark.slow
def test_a_code_attempt_shows_tests_program_and_sandbox(answer_lab: Lab, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{answer_lab.url}/runs/{answer_lab.code_run}")
    page.locator("#attempts tbody tr").first.click()
    panel = page.locator("#attempt-panel")
    expect(panel.locator(".code-tests")).to_be_visible()
    case_id = page.locator("#panel-title .mono").inner_text()
    test_part = panel.locator(".code-tests .expected-part", has_text="check(candidate)")
    tests = test_part.locator("pre.hl")
    assert tests.locator("span").count() > 20  # Pygments tokens, not one string
    shown = tests.inner_text()
    assert "def check(candidate):\n" in shown
    assert ("\\n" in shown) == ("\\n" in _raw_test(case_id))  # no JSON escapes added
    expect(panel.locator(".code-program pre.hl")).to_contain_text("return None  # gave up")
    expect(panel.locator(".sandbox .chip.fail")).to_be_visible()
    expect(panel.locator(".sandbox dl.kv")).to_contain_text("outcome")
    expect(panel.locator(".no-diff")).to_contain_text("running tests")
    assert panel.locator("pre.diff").count() == 0  # one model, and tests are not a text to diff

    answer = panel.locator(".answer-full")
    expect(answer).to_contain_text("<script>window.__pwned = 1</script>")  # shown as text
    assert answer.locator("a, img, script").count() == 0
    assert page.evaluate("window.__pwned") is None
    watched.shot("code-attempt-panel")

    entries = panel.locator(".log-entry")
    total = entries.count()
    assert panel.locator(".log-entry[data-level=error]").count() >= 1  # the program's stderr
    for level in ("warning", "info", "debug"):
        panel.locator(f".log-filter input[value={level}]").uncheck()
    visible = panel.locator(".log-entry:visible")
    assert 1 <= visible.count() < total
    assert {e.get_attribute("data-level") for e in visible.all()} == {"error"}
    expect(panel.locator(".log-entry[data-level=error] pre").first).to_contain_text("Error")
    panel.locator(".log-filter input[value=debug]").check()
    assert panel.locator(".log-entry[data-level=debug]:visible").count() >= 1


@pytest.mark.slow
def test_tool_calls_read_as_a_timeline_and_the_log_filters_by_level(
    answer_lab: Lab, watched: Watched
) -> None:
    (attempt,) = answer_lab.attempts(answer_lab.tool_run)
    page = watched.page
    page.goto(f"{answer_lab.url}/attempts/{attempt['id']}")
    steps = page.locator(".tool-step")
    expect(steps).to_have_count(2)
    assert steps.locator(".tool-name").all_inner_texts() == ["get_weather", "search"]
    args = steps.nth(0).locator(".tool-args pre.hl")
    assert args.inner_text().splitlines()[1:3] == ['  "city": "Paris",', '  "unit": "C"']
    assert args.locator("span").count() > 4
    expect(steps.nth(1).locator(".tool-args")).to_contain_text('"<img src=x onerror=1>"')
    assert page.locator(".tool-step img").count() == 0
    expect(page.locator(".tool-no-result")).to_have_count(2)
    watched.shot("tool-calls")

    retry = page.locator(".log-entry[data-level=warning]", has_text="answered after 1 retry")
    expect(retry).to_be_visible()
    page.locator(".log-filter input[value=warning]").uncheck()
    expect(retry).to_be_hidden()
    assert page.locator(".log-entry[data-level=debug]:visible").count() >= 1
    page.locator(".log-filter input[value=warning]").check()
    expect(retry).to_be_visible()

    code = answer_lab.attempts(answer_lab.code_run)[0]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{answer_lab.url}/attempts/{code['id']}")
    expect(page.locator(".code-tests pre.hl").first).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"an attempt's page scrolls sideways by {overflow}px at phone width"
    watched.shot("code-attempt-phone")
