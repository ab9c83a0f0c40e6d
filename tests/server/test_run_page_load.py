"""What the run page costs to open: its filters come from the run's kept parts, and in
Chromium it loads and works before plotly (4.6 MB of script) has even been fetched."""

from __future__ import annotations

import json

import httpx
import pytest
from playwright.sync_api import Route, expect
from sqlalchemy import update

from benchlab.store import Store
from benchlab.store.schema import run_summaries
from server.conftest import WriteEnv
from support.browser import Watched


def test_run_page_filters_come_from_the_kept_facets(write_env: WriteEnv) -> None:
    """Four DISTINCT scans of a 60,000-attempt run were most of its page's server time: a
    finished run's filter values are read from its kept parts, as the JSON API reads them."""
    run = write_env.seed.runs[1]
    first = write_env.client.get(f"/runs/{run}")
    assert first.status_code == 200 and "ghost-model" not in first.text
    with Store(write_env.seed.url) as store, store.engine.begin() as conn:
        kept = run_summaries.c
        body = conn.execute(
            run_summaries.select().where(kept.run_id == run, kept.part == "facets")
        ).one()
        facets = json.loads(body.body)
        facets["model"].append("ghost-model")
        conn.execute(
            update(run_summaries)
            .where(kept.run_id == run, kept.part == "facets")
            .values(body=json.dumps(facets))
        )
    again = write_env.client.get(f"/runs/{run}")
    assert ">ghost-model</option>" in again.text  # offered in the model filter
    api = httpx.get(f"{write_env.server.url}/api/runs/{run}", timeout=30).json()
    assert "ghost-model" in api["facets"]["model"]  # one kept part for both readers


@pytest.mark.slow
def test_run_page_works_before_plotly_arrives(write_env: WriteEnv, watched: Watched) -> None:
    """Plotly used to be a deferred script in the page's head: until it was compiled (2-4 s
    on a busy machine) the page had not loaded and its rows opened nothing."""
    page, run = watched.page, write_env.seed.runs[1]
    held: list[Route] = []
    page.route("**/static/vendor/plotly.min.js", lambda route: held.append(route))
    page.goto(f"{write_env.server.url}/runs/{run}", wait_until="load", timeout=10_000)
    page.locator("#attempts tbody tr").first.click()
    expect(page.locator("#attempt-panel")).to_be_visible()
    for _ in range(200):  # asked for once the page has loaded
        if held:
            break
        page.wait_for_timeout(25)
    assert len(held) == 1
    expect(page.locator("#rate-chart")).to_be_visible()
    assert page.locator(".plot .main-svg").count() == 0
    held[0].continue_()
    expect(page.locator("#rate-chart .main-svg").first).to_be_visible()
