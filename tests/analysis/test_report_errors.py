"""The report (markdown and HTML) says how many attempts errored, by kind, and how to finish."""

from __future__ import annotations

from pathlib import Path

from benchlab.analysis.render.formats import render_report
from benchlab.analysis.report import build_report
from benchlab.store import Store
from support.lab import make_seed


def test_report_has_an_errors_section_beside_the_rates(tmp_path: Path) -> None:
    seed = make_seed(tmp_path)
    with Store(seed.url) as store:
        report = build_report(store, seed.runs[1])
    md = render_report(report, "md")
    assert "## Errors" in md
    assert "8 of 36 attempts errored and have no verdict" in md
    assert f"benchlab resume {seed.runs[1]} --retry-errors" in md
    assert "| replay/answers.jsonl | not_found | 8 | no recorded answer for case" in md
    assert "| replay/answers.jsonl | 50.0% |" in md  # 2 of the 4 judged, not 2 of 12
    html = render_report(report, "html")
    assert "<h2>Errors</h2>" in html and "no recorded answer for case" in html
    (replay,) = [h for h in report["history"] if h["model"] == "replay/answers.jsonl"]
    assert [p["errors"] for p in replay["points"]] == [8, 8]
