"""A built report rendered in the format asked for (`report --format md|html`).

Apart from `report`, because the HTML renderer reuses the markdown one's rows:
choosing between them here keeps the import graph one-way (report_html ->
report), with no cycle.
"""

from __future__ import annotations

from typing import Any

from benchlab.analysis.report import FORMATS, report_markdown
from benchlab.analysis.report_html import report_html
from benchlab.errors import ConfigError


def render_report(report: dict[str, Any], fmt: str) -> str:
    if fmt not in FORMATS:
        raise ConfigError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    if fmt == "md":
        return report_markdown(report)
    return report_html(report)
