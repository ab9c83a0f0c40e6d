"""Answers are untrusted: the markdown renderer must never let HTML or script URLs through."""

from __future__ import annotations

import httpx
import pytest

from benchlab.server.markdown import MAX_CHARS, highlight, highlight_css, render_markdown


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=//evil></iframe>",
    ],
)
def test_raw_html_is_escaped(hostile: str) -> None:
    html = str(render_markdown(f"before {hostile} after"))
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "<a " not in html
    assert "&lt;" in html


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:x", "data:text/html,<b>"]
)
def test_script_links_are_not_links(url: str) -> None:
    html = str(render_markdown(f"[click]({url}) and ![i]({url})"))
    assert "href=" not in html and "src=" not in html


def test_safe_links_and_markdown_render() -> None:
    text = "**bold** and [docs](https://example.org/a?b=1&c=2)\n\n- one\n- two"
    html = str(render_markdown(text))
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
    assert html.count("<li>") == 2


def test_fenced_code_is_highlighted_and_escaped() -> None:
    html = str(render_markdown('```python\nprint("<b>")\n```'))
    assert html.startswith('<pre class="hl"><code>')
    assert '<span class="nb">print</span>' in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_unknown_language_is_plain_escaped_code() -> None:
    html = str(render_markdown("```nosuchlang\n<i>x</i>\n```"))
    assert '<pre class="hl"><code>&lt;i&gt;x&lt;/i&gt;' in html


def test_highlight_python_source() -> None:
    html = str(highlight("def f(x):\n    return x < 1\n"))
    assert '<span class="k">def</span>' in html and "&lt;" in html


def test_long_text_is_cut_with_a_note() -> None:
    html = str(render_markdown("a" * (MAX_CHARS + 5000)))
    assert "5,000 more characters not shown" in html
    assert html.count("a") < MAX_CHARS + 200


def test_empty_renders_nothing() -> None:
    assert str(render_markdown(None)) == "" and str(render_markdown("")) == ""


def test_highlight_css_has_both_themes(client: httpx.Client) -> None:
    assert '[data-theme="dark"] .hl' in highlight_css()
    response = client.get("/static/highlight.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert ".hl .k" in response.text
