"""Diffs of two answers: words for prose, lines for code, every piece escaped."""

from __future__ import annotations

from benchlab.server.answer_diff import MAX_DIFF_CHARS, diff_html, diff_mode


def test_prose_differs_by_words() -> None:
    html = str(diff_html("The capital is Canberra.", "The capital is Sydney."))
    assert html.startswith('<pre class="diff diff-words">')
    assert "<del>Canberra.</del><ins>Sydney.</ins>" in html
    assert "The capital is " in html


def test_code_differs_by_whole_lines() -> None:
    old = "def f(x):\n    y = x + 1\n    return y\n"
    new = "def f(x):\n    y = x - 1\n    return y\n"
    assert diff_mode(old, new) == "lines"
    html = str(diff_html(old, new))
    assert "<del>    y = x + 1\n</del><ins>    y = x - 1\n</ins>" in html
    assert "def f(x):\n" in html and "<del>def" not in html


def test_markup_in_answers_is_escaped() -> None:
    html = str(diff_html("<b>ok</b>", "<script>alert(1)</script>"))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_very_long_answers_are_not_diffed() -> None:
    html = str(diff_html("a " * MAX_DIFF_CHARS, "b " * MAX_DIFF_CHARS))
    assert "too long to diff" in html and "<del>" not in html


def test_a_repetitive_answer_diffs_fast() -> None:
    import time

    start = time.perf_counter()
    html = str(diff_html("the " * 4000, "the a " * 2000))
    assert time.perf_counter() - start < 2.0  # minutes when every `the ` is aligned
    assert "<ins>" in html and "too long" not in html
