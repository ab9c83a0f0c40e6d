"""The tracker's dashboard: the runs list, the overview's tag filter, window and suite-change
mark, the cost chart's unpriced models, the run page's chart height and compressed plotly.

The lab is made by real `benchlab run`s (`--tag` as a daily job passes them) of a
JSONL suite that grows between two runs, on a priced replay model and an OpenAI-compatible
stub server whose model has no known price and answers some cases with errors; a
pull-request run comes last, and a run from sixty days ago arrives as an imported export
(`benchlab export --format json`, its `created_at` moved back, as `benchlab push` from
an old CI job would bring it).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Response, expect

from benchlab.store import Store
from benchlab.store.ingest import RunDocument, import_run
from support.browser import Watched
from support.lab import make_app
from support.live_server import LiveServer
from support.runs import cli, priced_models, replay, suite
from support.servers import Status, StubServer, every_nth

pytestmark = pytest.mark.slow

STUB = "openai/tracked-x"  # no price is known for it: its cost is unknown, not zero


@dataclass
class Tracker:
    url: str
    old: str  # 60 days ago, branch=main, imported
    a: str  # branch=main, the suite's first content (4 cases)
    b: str  # branch=main, after the suite grew to 6 cases
    pr: str  # branch=pr-7, the newest run, every answer wrong


def _run(folder: Path, db: Path, env: dict[str, str], *args: str) -> str:
    done = cli(
        "run",
        str(folder / "track.jsonl"),
        "--scorer",
        "numeric",
        "--no-cache",
        "--retries",
        "0",
        "--json",
        "--db",
        str(db),
        *args,
        env=env,
        cwd=folder,
    )
    assert done.returncode in (0, 3), done.stderr  # 3: some attempts are errors
    run_id: str = json.loads(done.stdout)["run_id"]
    return run_id


def _import_dated(folder: Path, db: Path, env: dict[str, str], days_ago: int) -> str:
    """A run made elsewhere, exported and imported with its creation moved back."""
    scratch = folder / "old.db"
    run_id = _run(
        folder, scratch, env, "-m", "priced", "--models", "models.json", "--tag", "branch=main"
    )
    out = folder / "old.json"
    done = cli("export", run_id, "--format", "json", "--db", str(scratch), "-o", str(out))
    assert done.returncode == 0, done.stderr
    doc = json.loads(out.read_text())
    created = datetime.fromisoformat(doc["run"]["created_at"]) - timedelta(days=days_ago)
    doc["run"]["created_at"] = created.isoformat()
    with Store(f"sqlite:///{db}") as store:
        assert import_run(store, RunDocument.model_validate(doc))
    return run_id


@pytest.fixture(scope="module")
def tracker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tracker]:
    folder = tmp_path_factory.mktemp("tracker")
    db = folder / "lab.db"
    with StubServer(answer=lambda _: "1") as stub:
        stub.behave = every_nth(2, Status(400))  # c0, c2, c4: errors, not failures
        env = {"OPENAI_BASE_URL": stub.openai_base_url, "OPENAI_API_KEY": "sk-test"}
        suite(folder, 4, name="track")
        priced_models(folder / "models.json", {"priced": (replay(folder / "good.jsonl", 6), 2.0)})
        old = _import_dated(folder, db, env, days_ago=60)
        daily = ("--tag", "branch=main", "--tag", "schedule=daily")
        models = ("-m", "priced", "-m", STUB, "--models", "models.json")
        a = _run(folder, db, env, *models, *daily)
        suite(folder, 6, name="track")  # the data file grows: the suite's content changes
        b = _run(folder, db, env, *models, *daily)
        wrong = replay(folder / "pr.jsonl", 6, failing=range(6))
        pr = _run(folder, db, env, "-m", wrong, "--tag", "branch=pr-7")
    with LiveServer(make_app(f"sqlite:///{db}")) as live:
        yield Tracker(live.url, old, a, b, pr)


def _figure(html: str, chart: str) -> dict[str, Any]:
    found = re.search(rf'<script type="application/json" id="{chart}-data">(.*?)</script>', html)
    assert found is not None, f"no {chart} on the page"
    figure: dict[str, Any] = json.loads(found.group(1))
    return figure


def test_the_runs_list_names_models_shows_tags_and_sorts_in_the_database(
    tracker: Tracker, watched: Watched
) -> None:
    page = watched.page
    page.goto(tracker.url + "/runs")
    rows = page.locator("table.runs-table tbody tr")
    expect(rows).to_have_count(4)
    newest_first = [tracker.pr, tracker.b, tracker.a, tracker.old]
    assert [rows.nth(i).get_attribute("data-run") for i in range(4)] == newest_first
    a = page.locator(f"tr[data-run='{tracker.a}']")
    expect(a.locator(".run-models .model-name")).to_have_text(["priced", STUB])
    expect(a.locator(".run-tags .chip")).to_have_text(["branch=main", "schedule=daily"])
    # 4 of 4 and 1 of 2 judged: 5/6; the two errors are apart, not failures (5/8 = 62.5%)
    expect(a.locator(".run-rate")).to_contain_text("83.3%")
    expect(a.locator(".run-errors")).to_have_text("2")
    watched.shot("runs-list")

    page.click("th a.sort:has-text('pass rate')")  # highest first
    expect(page).to_have_url(re.compile(r"sort=-pass_rate"))
    best_first = [tracker.old, tracker.a, tracker.b, tracker.pr]  # 100%, 83.3%, 77.8%, 0%
    expect(rows.first).to_have_attribute("data-run", tracker.old)
    assert [rows.nth(i).get_attribute("data-run") for i in range(4)] == best_first
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("pass rate")
    page.click("th a.sort:has-text('pass rate')")  # again: lowest first
    expect(rows.first).to_have_attribute("data-run", tracker.pr)
    watched.shot("runs-list-sorted")

    # The sort is the query's, before the page is cut: page 2 of one goes on where 1 ended.
    with httpx.Client(base_url=tracker.url) as client:
        for sort, order in (("-pass_rate", best_first), ("errors", [])):
            pages = [
                client.get("/api/runs", params={"sort": sort, "limit": 1, "offset": i}).json()
                for i in range(4)
            ]
            ids = [p["items"][0]["run_id"] for p in pages]
            assert sorted(ids) == sorted(newest_first)
            if order:
                assert ids == order
        by_errors = client.get("/api/runs", params={"sort": "-errors"}).json()["items"]
        assert [r["errors"] for r in by_errors] == [3, 2, 0, 0]
        assert client.get("/api/runs", params={"sort": "bogus"}).status_code == 422
        assert client.get("/runs", params={"sort": "bogus"}).status_code == 400


def test_a_tag_filter_keeps_the_pull_request_run_off_the_score_card(
    tracker: Tracker, watched: Watched
) -> None:
    page = watched.page
    page.goto(tracker.url + "/")
    card = page.locator("a.score-card")
    expect(card).to_have_attribute("data-run", tracker.pr)  # unfiltered: the PR's 0% leads
    expect(card.locator(".big")).to_have_text("0.0%")
    expect(page.locator("#recent-runs")).to_contain_text(tracker.pr)

    page.fill("#overview-filter input[name=tag]", "branch=main schedule=daily")
    page.click("#overview-filter button[type=submit]")
    expect(card).to_have_attribute("data-run", tracker.b)
    expect(page.locator("#tag-filter-note")).to_contain_text("branch=main")
    expect(page.locator("#trend-table")).not_to_contain_text(tracker.pr)
    expect(page.locator("#recent-runs")).not_to_contain_text(tracker.pr)
    expect(page.locator("#recent-runs")).to_contain_text(tracker.b)
    watched.shot("overview-branch-main")
    with httpx.Client(base_url=tracker.url) as client:
        assert client.get("/", params={"tag": "nokey"}).status_code == 400


def test_the_trend_window_leaves_out_an_old_run_and_marks_where_the_suite_changed(
    tracker: Tracker, watched: Watched
) -> None:
    page = watched.page
    page.goto(tracker.url + "/?tag=branch=main")
    expect(page.locator("#overview-filter select[name=days]")).to_have_value("30")
    trend = page.locator("#trend-table")
    expect(trend).to_contain_text(tracker.a)
    expect(trend).not_to_contain_text(tracker.old)  # 60 days old: outside the default month
    expect(trend.locator("tbody tr").first).to_contain_text("UTC")  # one time zone, named
    change = page.locator(f".suite-change[data-run='{tracker.b}']")
    expect(change).to_contain_text("4 → 6 cases")
    expect(page.locator("#trend-chart .annotation-text")).to_have_text(
        "suite changed (4 → 6 cases)"
    )
    expect(page.locator("#trend-chart .shapelayer path")).to_have_count(1)
    expect(page.locator("#trend-chart .xtitle")).to_have_text("run created (UTC)")
    # each model's line has its band of intervals: two fills for two models
    expect(page.locator("#trend-chart .scatterlayer .js-fill")).to_have_count(2)
    watched.shot("overview-window-30")

    page.select_option("#overview-filter select[name=days]", "0")
    page.click("#overview-filter button[type=submit]")
    expect(trend).to_contain_text(tracker.old)
    # the old run had the suite's first content too: still one change, at b
    expect(page.locator(".suite-change")).to_have_count(1)
    watched.shot("overview-every-run")


def test_the_cost_chart_shows_the_model_without_a_price(tracker: Tracker, watched: Watched) -> None:
    with httpx.Client(base_url=tracker.url) as client:
        html = client.get("/", params={"tag": "branch=main"}).text
    figure = _figure(html, "scatter-chart")
    apart = [t for t in figure["data"] if t.get("xaxis") == "x2"]
    assert [(t["text"], t["x"]) for t in apart] == [([STUB], ["no known price"])]
    assert [t["text"] for t in figure["data"] if "xaxis" not in t] == [["priced"]]

    page = watched.page
    page.goto(tracker.url + "/?tag=branch=main")
    expect(page.locator("#unpriced-note")).to_contain_text(STUB)
    expect(page.locator("#scatter-chart .x2tick text")).to_contain_text(["no known price"])
    watched.shot("overview-cost-chart")


def test_the_run_pages_chart_is_as_tall_as_its_bars_and_plotly_comes_gzipped(
    tracker: Tracker, watched: Watched
) -> None:
    page = watched.page
    encodings: list[str | None] = []

    def seen(response: Response) -> None:
        if response.url.endswith("/static/vendor/plotly.min.js"):
            encodings.append(response.headers.get("content-encoding"))

    page.on("response", seen)
    page.goto(f"{tracker.url}/runs/{tracker.a}")
    chart = page.locator("#rate-chart")
    expect(chart.locator(".main-svg").first).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["height"] < 200  # two bars, not the 320 px of other charts
    assert encodings == ["gzip"]  # Chromium accepts gzip, so it was sent compressed
    watched.shot("run-page-two-bars")


def test_plotly_is_gzipped_only_for_a_client_that_asks(tracker: Tracker) -> None:
    path = "/static/vendor/plotly.min.js"
    with httpx.Client(base_url=tracker.url) as client:
        plain = client.get(path, headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200 and "content-encoding" not in plain.headers
        refused = client.get(path, headers={"Accept-Encoding": "gzip;q=0, identity"})
        assert "content-encoding" not in refused.headers
        with client.stream("GET", path, headers={"Accept-Encoding": "br, gzip"}) as packed:
            assert packed.headers["content-encoding"] == "gzip"
            assert packed.headers["vary"] == "Accept-Encoding"
            raw = b"".join(packed.iter_raw())
    assert gzip.decompress(raw) == plain.content
    assert len(raw) < len(plain.content) / 2  # about 1.5 MB instead of 4.8 MB


def test_the_json_api_filters_by_tag_and_names_the_suite_changes(tracker: Tracker) -> None:
    with httpx.Client(base_url=tracker.url) as client:
        main = client.get("/api/trends", params={"suite": "track", "tag": "branch=main"}).json()
        runs = {p["run_id"] for s in main["series"] for p in s["points"]}
        assert runs == {tracker.old, tracker.a, tracker.b}  # not the pull request's
        (change,) = main["suite_changes"]
        assert (change["run_id"], change["previous_cases"], change["cases"]) == (tracker.b, 4, 6)
        assert change["previous_hash"] != change["suite_hash"]
        board = client.get("/api/leaderboard", params={"tag": ["branch=pr-7"]}).json()
        (track,) = board["suites"]
        assert [m["run_id"] for m in track["models"]] == [tracker.pr]
        assert client.get("/api/trends", params={"suite": "track", "tag": "x"}).status_code == 400


def test_many_models_fold_behind_a_count_and_tags_are_escaped() -> None:
    from benchlab.server.rendering import templates

    macros = templates.env.get_template("macros.html").module
    few = str(macros.model_names(["a", "b", "c"]))  # type: ignore[attr-defined]
    assert "<details" not in few and few.count('class="model-name"') == 3
    many = str(macros.model_names([f"m{i}" for i in range(8)]))  # type: ignore[attr-defined]
    assert '<details class="models">' in many and "+6 more" in many
    assert many.count('class="model-name"') == 8  # every name is there, folded, none dropped
    chips = str(macros.tag_chips({"b": "<x>", "a": "1"}))  # type: ignore[attr-defined]
    assert chips.index("a=1") < chips.index("b=&lt;x&gt;") and "<x>" not in chips
