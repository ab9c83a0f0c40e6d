"""The factor view of grid and stance runs (`/runs/{id}/factors`, `/api/runs/{id}/factors`)
over runs made by real CLI runs (tests/support/grid_runs.py): the numbers are what
`benchlab show --by/--paired-by` prints, the pivot's cells are known, and the page
reads on a phone without sideways scroll."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from benchlab.format import percent, signed, signed_interval
from support.browser import Watched
from support.grid_runs import PERSPECTIVE_MEANS, GridLab, make_grid_lab
from support.lab import Seed, make_app
from support.live_server import LiveServer

pytestmark = pytest.mark.slow  # two real CLI runs, once for the module


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> GridLab:
    return make_grid_lab(tmp_path_factory.mktemp("grid"))


@pytest.fixture(scope="module")
def live(lab: GridLab) -> Iterator[LiveServer]:
    with LiveServer(make_app(lab.url)) as server:
        yield server


@pytest.fixture
def http(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30) as c:
        yield c


def _level_cells(row: dict[str, Any], sided: bool) -> list[str]:
    """A level row as `show --by` spells it in its table."""
    method = row["ci_method"] if row["ci95"] is not None else "-"
    cells = [str(row["level"]), str(row["n"]), signed(row["mean"]), signed_interval(row["ci95"])]
    cells.append(method)
    if sided:
        cells += [percent(row["bins"][b]) for b in ("neg", "neu", "pos")]
    return cells


def _table(page: Page, selector: str) -> list[list[str]]:
    rows = page.locator(f"{selector} tbody tr")
    return [
        [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_api_answers_what_show_prints(lab: GridLab, http: httpx.Client) -> None:
    run = lab.stance_run
    got = http.get(f"/api/runs/{run}/factors", params={"by": "rent", "paired_by": "perspective"})
    assert got.status_code == 200, got.text
    body = got.json()
    shown = lab.show(run, "--by", "rent", "--paired-by", "perspective")
    assert (body["by"], body["paired_by"], body["scorer"]) == ("rent", "perspective", "stance")
    assert body["scores_from"] == shown["scores_from"]
    (model,) = body["models"]
    assert model["levels"] == shown["models"][0]["levels"]
    assert {u["pair"]: u["mean"] for u in model["uplift"]} == {
        pair: u["mean"] for pair, u in shown["models"][0]["uplift"].items()
    }
    assert body["pivot"]["rows"] == "rent" and body["pivot"]["cols"] == "quality"

    pivot = http.get(f"/api/runs/{run}/factors", params={"pivot": "perspective,rent"}).json()
    assert pivot["by"] == "rent"  # the first factor when none is asked
    rows = dict(
        zip(pivot["pivot"]["row_levels"], pivot["pivot"]["models"][0]["cells"], strict=True)
    )
    for level, mean in PERSPECTIVE_MEANS.items():
        means = [c["mean"] for c in rows[level] if c["n"]]
        assert means and means == pytest.approx([mean] * len(means))


@pytest.mark.parametrize(
    ("query", "status", "needle"),
    [
        ({"by": "mood"}, 400, "unknown factor 'mood'"),
        ({"paired_by": "mood"}, 400, "--paired-by"),
        ({"pivot": "rent"}, 400, "A,B"),
        ({"pivot": "rent,rent"}, 400, "two different factors"),
        ({"pass": "7"}, 400, "pass"),
    ],
)
def test_api_refuses_what_the_run_has_not(
    lab: GridLab, http: httpx.Client, query: dict[str, str], status: int, needle: str
) -> None:
    got = http.get(f"/api/runs/{lab.stance_run}/factors", params=query)
    assert got.status_code == status and needle in got.json()["error"], got.text
    page = http.get(f"/runs/{lab.stance_run}/factors", params=query)
    assert page.status_code == status and needle in html.unescape(page.text)


def test_a_run_without_a_grid_has_an_empty_view(seed: Seed, client: httpx.Client) -> None:
    """Nothing to group is no error (the empty document); a factor of it is one (400)."""
    run_id = seed.runs[0]
    body = client.get(f"/api/runs/{run_id}/factors").json()
    assert (body["factors"], body["by"], body["models"], body["pivot"]) == ({}, None, [], None)
    page = client.get(f"/runs/{run_id}/factors")
    assert page.status_code == 200 and 'id="no-grid"' in page.text
    assert 'id="grid-summary"' not in client.get(f"/runs/{run_id}").text
    for query in ({"by": "rent"}, {"pivot": "rent,quality"}):
        refused = client.get(f"/api/runs/{run_id}/factors", params=query)
        assert refused.status_code == 400 and "no grid suite" in refused.json()["error"]


def test_unknown_run_is_404(http: httpx.Client) -> None:
    assert http.get("/api/runs/nope/factors").status_code == 404
    assert http.get("/runs/nope/factors").status_code == 404


def test_run_page_of_a_grid_links_the_factor_view(lab: GridLab, http: httpx.Client) -> None:
    page = http.get(f"/runs/{lab.grid_run}").text
    assert 'id="grid-summary"' in page
    assert f'href="/runs/{lab.grid_run}/factors"' in page
    assert f'href="/runs/{lab.grid_run}/factors?by=who&amp;paired_by=who"' in page
    scores = re.search(r'<table class="data" id="grid-scores">(.*?)</table>', page, re.S)
    assert scores is not None and "regex" in scores.group(1) and "+0.500" in scores.group(1)


def test_stance_run_in_the_browser(lab: GridLab, live: LiveServer, watched: Watched) -> None:
    page, run = watched.page, lab.stance_run
    page.goto(f"{live.url}/runs/{run}")
    page.click("#factors-link")
    expect(page.locator("h1")).to_contain_text(run)
    page.select_option("select[name=by]", "perspective")
    page.select_option("select[name=paired_by]", "perspective")
    page.select_option("select[name=pivot]", "perspective,quality")
    page.click("#factor-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"by=perspective&paired_by=perspective&pivot="))
    expect(page.locator(".plot:has(.main-svg)")).to_have_count(3)  # means, bins, uplift
    watched.shot("factors-stance")

    shown = lab.show(run, "--by", "perspective", "--paired-by", "perspective")["models"][0]
    assert _table(page, "#levels-1") == [_level_cells(r, True) for r in shown["levels"]]
    assert _table(page, "#uplift-1") == [
        [pair, str(u["n"]), signed(u["mean"]), signed_interval(u["ci95"]), "t"]
        for pair, u in shown["uplift"].items()
    ]
    assert _table(page, "#uplift-1")[0][2] == "+1.200"  # landlord-tenant, as the CLI says

    printed = lab.show(run, "--pivot", "perspective,quality")["models"][0]["cells"]
    pivot = page.locator("#pivot-1")
    for level, cells in zip(PERSPECTIVE_MEANS, printed, strict=True):  # as `show --pivot` says
        texts = pivot.locator(f"tr[data-row={level}] td").all_inner_texts()
        assert [" ".join(t.split()) for t in texts] == [
            f"{signed(c['mean'])} n={c['n']}"
            + (f" {signed_interval(c['ci95'])}" if c["ci95"] else "")
            if c["n"]
            else "\u2013"
            for c in cells
        ]
    expect(pivot.locator("thead th")).to_have_text(
        ["perspective \\ quality", "good", "fair", "poor"]
    )
    for level, mean in PERSPECTIVE_MEANS.items():
        means = pivot.locator(f"tr[data-row={level}] .cell-mean").all_inner_texts()
        counts = pivot.locator(f"tr[data-row={level}] .cell-n").all_inner_texts()
        assert means and set(means) == {signed(mean)}
        level_n = next(r["n"] for r in shown["levels"] if r["level"] == level)
        assert sum(int(c.removeprefix("n=")) for c in counts) == level_n

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator(".plot:has(.main-svg)")).to_have_count(3)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the factor view scrolls sideways by {overflow}px"
    watched.shot("factors-stance-phone")


def test_regex_grid_in_the_browser(lab: GridLab, live: LiveServer, watched: Watched) -> None:
    page, run = watched.page, lab.grid_run
    page.goto(f"{live.url}/runs/{run}/factors?by=drink&paired_by=drink&pivot=who,drink")
    expect(page.locator(".plot:has(.main-svg)")).to_have_count(2)  # no bins: regex has no sides
    shown = lab.show(run, "--by", "drink", "--paired-by", "drink")["models"][0]
    assert _table(page, "#levels-1") == [_level_cells(r, False) for r in shown["levels"]]
    assert _table(page, "#uplift-1") == [
        ["green-tea-coffee", "3", "+1.000", "[+1.000, +1.000]", "t"]
    ]
    for who in ("me", "you", "one-sided"):
        cells = page.locator(f"#pivot-1 tr[data-row={who}] td")
        expect(cells).to_have_text(["+1.000 n=1", "+0.000 n=1"])
    watched.shot("factors-grid")
