"""Model answers and test code as safe HTML: markdown without raw HTML, code highlighted.

Answers are untrusted text written by a model (or by whoever controls its
endpoint), so the renderer never passes HTML through: markdown-it's
`commonmark` preset with `html` off escapes every tag, and its link validator
refuses `javascript:`, `vbscript:`, `file:` and non-image `data:` URLs. Code
blocks are highlighted on the server by Pygments with CSS classes (no inline
styles, no script), so the page stays under the strict Content-Security-Policy
and works without JavaScript. Long answers are cut at `MAX_CHARS` with a note
rather than shipped whole into a table cell.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup, escape
from pygments import highlight as _pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.util import ClassNotFound

__all__ = ["MAX_CHARS", "highlight", "highlight_css", "highlight_file", "render_markdown"]

MAX_CHARS = 200_000
_FORMATTER = HtmlFormatter(nowrap=True)  # the <pre> is ours: one shape for both paths


def _lexer_for(language: str | None) -> Lexer | None:
    if not language:
        return None
    try:
        return get_lexer_by_name(language.strip().split()[0].lower(), stripall=False)
    except ClassNotFound:
        return None


def highlight(code: str, language: str | None = "python") -> Markup:
    """`code` as a highlighted `<pre class="hl">` (escaped plain text for an unknown language)."""
    return Markup(_block(code, language))  # Pygments and escape() escape the code


def highlight_file(code: str, filename: str, language: str | None = None) -> Markup:
    """A source file highlighted by its name (`test_lru.py`, `tests.rs`), else as `language`."""
    try:
        lexer: Lexer | None = get_lexer_for_filename(filename, code, stripall=False)
    except ClassNotFound:
        lexer = _lexer_for(language)
    return Markup(_render(code, lexer))


def _block(code: str, language: str | None) -> str:
    return _render(code, _lexer_for(language))


def _render(code: str, lexer: Lexer | None) -> str:
    body = escape(code) if lexer is None else _pygments_highlight(code, lexer, _FORMATTER)
    return f'<pre class="hl"><code>{body}</code></pre>'


def _fence(code: str, language: str, _attrs: str) -> str:
    """markdown-it's highlight hook; a result starting with `<pre` is used as the whole block."""
    return _block(code, language or None)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "highlight": _fence}).enable(
        "table"
    )


def render_markdown(text: str | None) -> Markup:
    """`text` as safe HTML; None and empty text render as nothing."""
    if not text:
        return Markup("")
    cut = len(text) > MAX_CHARS
    html = _parser().render(text[:MAX_CHARS] if cut else text)
    if cut:
        note = escape(f"… {len(text) - MAX_CHARS:,} more characters not shown")
        html += f'<p class="muted">{note}</p>'
    return Markup(html)  # markdown-it escapes every tag (html off)


@lru_cache(maxsize=1)
def highlight_css() -> str:
    """The highlighting classes for both themes (served as /static/highlight.css)."""
    light = HtmlFormatter(style="default").get_style_defs(".hl")  # type: ignore[no-untyped-call]
    dark = HtmlFormatter(style="monokai").get_style_defs('[data-theme="dark"] .hl')  # type: ignore[no-untyped-call]
    return f"{light}\n{dark}\n"
