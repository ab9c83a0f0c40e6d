"""A built report rendered in the format asked for (`report --format md|html`).

Apart from `markdown`, because the HTML renderer reuses the markdown one's rows:
choosing between them here keeps the import graph one-way (html -> markdown),
with no cycle.
"""

from __future__ import annotations

from typing import Any

from benchlab.analysis.render.html import report_html
from benchlab.analysis.render.markdown import report_markdown
from benchlab.errors import ConfigError

FORMATS = ("md", "html")


def render_report(report: dict[str, Any], fmt: str) -> str:
    if fmt not in FORMATS:
        raise ConfigError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    if fmt == "md":
        return report_markdown(report)
    return report_html(report)
