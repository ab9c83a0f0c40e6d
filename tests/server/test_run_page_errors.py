"""The dashboard's run page shows errors beside the pass rate, by kind, with how to finish."""

from __future__ import annotations

import httpx

from support.lab import Seed


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
