"""Compare shows each flipped case's two answers side by side, with their diff.

Over two real HumanEval runs (tests/support/answer_runs.py): A answers with the
canonical solutions, B with broken programs wrapped in hostile markdown.
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from benchlab.analysis.compare_view import compare_view
from benchlab.analysis.flip_answers import flip_answers
from benchlab.store import Store
from server.conftest import AnswerLab
from support.browser import Watched


def test_each_flip_brings_both_attempts(answer_lab: AnswerLab) -> None:
    with Store(answer_lab.db) as store:
        doc = compare_view(store, answer_lab.passing_run, answer_lab.code_run)
        flips = flip_answers(store, doc)
        assert list(flips) == ["replay/answers.jsonl"]
        pairs = flips["replay/answers.jsonl"]
        assert len(pairs) == 3 and {p.direction for p in pairs} == {"pass_to_fail"}
        for pair in pairs:
            assert pair.a is not None and pair.b is not None
            assert (pair.a.run_id, pair.b.run_id) == (answer_lab.passing_run, answer_lab.code_run)
            assert pair.a.case_id == pair.b.case_id == pair.case_id
            assert (pair.a.passed, pair.b.passed) == (True, False)
        assert len(flip_answers(store, doc, limit=1)["replay/answers.jsonl"]) == 1


def test_the_page_escapes_both_answers(answer_lab: AnswerLab) -> None:
    r = httpx.get(
        f"{answer_lab.url}/compare",
        params={"a": answer_lab.passing_run, "b": answer_lab.code_run},
        timeout=30,
    )
    assert r.status_code == 200
    assert r.text.count('<article class="flip flip-worse">') == 3
    assert "window.__pwned" in r.text and "<script>window" not in r.text
    assert 'href="javascript:' not in r.text and "<img src=x" not in r.text


@pytest.mark.slow
def test_flips_side_by_side_then_stacked_at_phone_width(
    answer_lab: AnswerLab, watched: Watched
) -> None:
    page = watched.page
    page.goto(f"{answer_lab.url}/compare?a={answer_lab.passing_run}&b={answer_lab.code_run}")
    flips = page.locator("article.flip")
    expect(flips).to_have_count(3)
    first = flips.first
    a, b = first.locator(".side-a"), first.locator(".side-b")
    expect(a.locator("h5 .chip.pass")).to_be_visible()
    expect(b.locator("h5 .chip.fail")).to_be_visible()
    assert a.locator(".answer-full pre.hl span").count() > 10  # highlighted code
    expect(b.locator(".answer-full")).to_contain_text("<script>window.__pwned = 1</script>")
    assert page.locator(".side a[href^='javascript'], .side img, .side script").count() == 0
    assert page.evaluate("window.__pwned") is None
    expect(a.locator(".scores-table")).to_contain_text("python_tests")
    expect(b.locator(".scores-table")).to_contain_text("AssertionError")  # why it failed
    diff = first.locator(".flip-diff pre.diff")
    expect(diff.locator("ins", has_text="return None  # gave up")).to_have_count(1)
    expect(diff.locator("ins", has_text="<script>window.__pwned")).to_have_count(1)  # as text
    assert diff.locator("del").count() >= 1
    box_a, box_b = a.bounding_box(), b.bounding_box()
    assert box_a and box_b and box_b["x"] > box_a["x"] + box_a["width"] - 1  # side by side
    watched.shot("compare-flips")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(flips).to_have_count(3)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the compare page scrolls sideways by {overflow}px"
    box_a, box_b = a.bounding_box(), b.bounding_box()
    assert box_a and box_b and box_b["y"] >= box_a["y"] + box_a["height"]  # stacked
    watched.shot("compare-flips-phone")


@pytest.mark.slow
def test_the_run_pickers_fit_a_375_px_phone(answer_lab: AnswerLab, watched: Watched) -> None:
    """The pickers' options name each run's suite and models (as the matrix's do, not "1
    models"): a long option must narrow the select, not push the page sideways (an iPhone
    SE/mini is 375 px wide)."""
    page = watched.page
    page.set_viewport_size({"width": 375, "height": 812})
    for query in ("", f"?a={answer_lab.passing_run}&b={answer_lab.code_run}"):
        page.goto(f"{answer_lab.url}/compare{query}")
        expect(page.locator("#run-a option").first).to_contain_text("openai/stub")  # by name
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"/compare{query} scrolls sideways by {overflow}px"
    watched.shot("compare-phone-375")
