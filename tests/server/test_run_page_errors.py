"""The dashboard's run page shows errors beside the pass rate, by kind, with how to finish."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from support.browser import Watched
from support.lab import Seed, make_app
from support.live_server import LiveServer
from support.runs import cli


def test_run_page_counts_errors_beside_the_pass_rate(client: httpx.Client, seed: Seed) -> None:
    page = client.get(f"/runs/{seed.runs[1]}")
    assert page.status_code == 200
    html = page.text
    # the replay model answers 4 of 12 cases: 8 errors, a rate over the 4 judged
    assert "· 8 errors</span>" in html
    assert 'id="errors-note"' in html and "8 of 36 attempts errored" in html
    assert "<b>not_found</b>: 8 — first: no recorded answer for case" in html
    assert f"benchlab resume {seed.runs[1]} --retry-errors" in html


def test_the_attempt_filter_keeps_errors_apart_from_fails(client: httpx.Client, seed: Seed) -> None:
    chip = '<span class="score bad">not_found</span>'
    base = f"/runs/{seed.runs[1]}?model=replay/answers.jsonl"
    errors = client.get(base + "&passed=error").text
    assert errors.count(chip) == 8
    fails = client.get(base + "&passed=false").text
    assert chip not in fails and "capital-australia" in fails  # the judged wrong answers


def test_a_long_unbroken_error_message_does_not_widen_the_page_on_a_phone(
    tmp_path: Path, watched: Watched
) -> None:
    """An error's first message holds whatever the case id is (here 160 characters with no
    space): at phone width it wraps inside its notice instead of scrolling the page."""
    long_id = "case-" + "x" * 155
    suite = tmp_path / "long.jsonl"
    suite.write_text(json.dumps({"id": long_id, "input": "anything"}) + "\n")  # no answer
    db = f"sqlite:///{tmp_path}/long.db"
    done = cli("run", str(suite), "-m", "oracle", "--scorer", "exact", "--db", db, "-q", "--json")
    assert done.returncode == 3, done.stderr  # the oracle's attempt is an error
    run_id = json.loads(done.stdout)["run_id"]
    with LiveServer(make_app(db)) as live:
        page = watched.page
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live.url}/runs/{run_id}")
        assert long_id in page.locator("#errors-note").inner_text()
        watched.shot("long-error-phone")
        width = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        assert page.evaluate(width)
