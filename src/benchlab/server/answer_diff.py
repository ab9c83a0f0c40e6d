"""Two answers' differences as safe HTML (`<del>`/`<ins>` in a `<pre class="diff">`).

Computed on the server with `difflib`, so the compare page shows its diffs
without JavaScript and the attempt panel gets them in the same fragment as the
highlighted answer. Prose differs by words, code and other multi-line text by
lines (a word diff of two programs is noise). Every piece of text is escaped;
very long texts are not diffed at all (the alignment is quadratic) and say so;
within the limit, difflib's autojunk keeps a repetitive text's diff fast.
"""

from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

__all__ = ["MAX_DIFF_CHARS", "diff_html", "diff_mode"]

MAX_DIFF_CHARS = 20_000
_WORDS = re.compile(r"\S+\s*|\s+")  # a word with the space after it: few repeated tokens


def diff_mode(old: str, new: str) -> str:
    """`lines` when either side spans several lines (code, lists), else `words`."""
    return "lines" if old.count("\n") >= 2 or new.count("\n") >= 2 else "words"


def _pieces(text: str, mode: str) -> list[str]:
    return text.splitlines(keepends=True) if mode == "lines" else _WORDS.findall(text)


def diff_html(old: str | None, new: str | None) -> Markup:
    """`new` against `old`: what only `old` has is `<del>`, what only `new` has is `<ins>`."""
    old, new = old or "", new or ""
    if len(old) + len(new) > 2 * MAX_DIFF_CHARS:
        note = escape(f"too long to diff ({len(old):,} and {len(new):,} characters)")
        return Markup(f'<p class="muted diff-skipped">{note}</p>')
    mode = diff_mode(old, new)
    a, b = _pieces(old, mode), _pieces(new, mode)
    out: list[str] = []
    # autojunk (difflib's default) ignores tokens that fill over 1% of a long answer: it is
    # what keeps a repetitive answer's diff fast (without it, `the ` x 4000 takes minutes).
    matcher = difflib.SequenceMatcher(None, a, b)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup(f'<pre class="diff diff-{mode}">{"".join(out)}</pre>')
