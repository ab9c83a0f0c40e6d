"""The report page (`/runs/{id}/report`) and its downloads, over the seeded lab's real
runs: the page holds the sections, tables and notes `benchlab report` writes, and
reads on a phone without sideways scroll."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from playwright.sync_api import expect

from server.conftest import WriteEnv
from support.browser import Watched
from support.lab import Seed
from support.runs import cli

GENERATED = re.compile(r"<sub>Generated .*</sub>")


def _markdown(seed: Seed, run_id: str) -> str:
    done = cli("report", run_id, "--db", str(seed.db))
    assert done.returncode == 0, done.stderr
    return done.stdout


def _md_sections(text: str) -> dict[str, list[list[str]]]:
    """Each `## title` of a markdown report with its table's rows (head first)."""
    sections: dict[str, list[list[str]]] = {}
    rows: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("## "):
            rows = sections.setdefault(line[3:], [])
        elif line.startswith("| ") and not line.startswith("| ---"):
            cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
            rows.append([c.strip().replace("\\|", "|") for c in cells])
    return sections


def _page_sections(page: str) -> dict[str, list[list[str]]]:
    found: dict[str, list[list[str]]] = {}
    for block in re.findall(r'<section class="report-section".*?</section>', page, re.S):
        title = html.unescape(re.search(r"<h2>(.*?)</h2>", block, re.S).group(1))  # type: ignore[union-attr]
        tables = re.findall(r"<table[^>]*>(.*?)</table>", block, re.S)
        rows = re.findall(r"<tr>(.*?)</tr>", tables[-1], re.S) if tables else []
        found[title] = [
            [html.unescape(c).strip() for c in re.findall(r"<t[hd]>(.*?)</t[hd]>", r, re.S)]
            for r in rows
        ]
    return found


def test_page_holds_what_benchlab_report_writes(seed: Seed, client: httpx.Client) -> None:
    run_id = seed.runs[1]
    text = _markdown(seed, run_id)
    expected = _md_sections(text)
    assert {"Summary", "Alerts"} <= set(expected) and any(t.startswith("History") for t in expected)
    got = client.get(f"/runs/{run_id}/report")
    assert got.status_code == 200
    assert _page_sections(got.text) == expected
    meta = text.splitlines()[2]
    assert html.unescape(got.text).count(meta) == 1  # suites, status, seed, version, tags
    for line in (ln[2:] for ln in text.splitlines() if ln.startswith("- ")):
        assert line in html.unescape(got.text)  # the alerts, word for word


def test_downloads_are_the_cli_report(seed: Seed, client: httpx.Client) -> None:
    run_id = seed.runs[1]
    md = client.get(f"/runs/{run_id}/report.md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert f'filename="benchlab-report-{run_id}.md"' in md.headers["content-disposition"]
    assert GENERATED.sub("", md.text) == GENERATED.sub("", _markdown(seed, run_id))
    page = client.get(f"/runs/{run_id}/report.html?last=1")
    assert page.status_code == 200 and page.text.startswith("<!DOCTYPE html>")
    assert "<h2>Summary</h2>" in page.text and "<script" not in page.text


def test_bad_requests(seed: Seed, client: httpx.Client) -> None:
    assert client.get("/runs/nope/report").status_code == 404
    assert client.get("/runs/nope/report.md").status_code == 404
    bad = client.get(f"/runs/{seed.runs[1]}/report.pdf")
    assert bad.status_code == 400 and "md or html" in html.unescape(bad.text)


@pytest.mark.slow
def test_report_page_in_the_browser(write_env: WriteEnv, watched: Watched) -> None:
    page, run_id = watched.page, write_env.seed.runs[1]
    page.goto(f"{write_env.server.url}/runs/{run_id}")
    expect(page.locator("#grid-summary")).to_have_count(0)  # quickstart is no grid
    page.click("#report-link")
    expect(page.locator("h1")).to_contain_text(run_id)
    expect(page.locator(".plot:has(.main-svg)")).to_have_count(2)  # pass rates, history
    titles = page.locator(".report-section h2").all_inner_texts()
    assert titles[0] == "Summary" and "Alerts" in titles
    watched.shot("report")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator(".plot:has(.main-svg)")).to_have_count(2)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the report page scrolls sideways by {overflow}px"
    watched.shot("report-phone")


def test_the_history_says_its_times_are_utc(seed: Seed, client: httpx.Client) -> None:
    """The dashboard shows one time zone, labelled: the history's dates too (as in the CLI's)."""
    got = client.get(f"/runs/{seed.runs[1]}/report")
    history = [rows for title, rows in _page_sections(got.text).items() if "History" in title]
    assert history and all(rows[0][1] == "date (UTC)" for rows in history)
    assert "run created (UTC)" in html.unescape(got.text)  # the history chart's time axis
    assert "| run | date (UTC) |" in _markdown(seed, seed.runs[1])
