"""The label page in a real headless Chromium: label five answers with the keyboard (with
a skip and an undo on the way), blind (no model name, no verdict, no agreement panel while
labeling), and see the agreement panel once nothing is left to label.

The database is the seeded lab (real `benchlab run`s on offline models); a
second labeler labels the same five answers over the API first, so alpha and
kappa have two labelers to compare. Any console error or uncaught exception
fails the test; screenshots land in the test's tmp folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, Route, expect

from server.conftest import Seed
from support.browser import Watched
from support.lab import auth, make_app
from support.live_server import LiveServer

pytestmark = pytest.mark.slow
LABEL_KEY = "colleagues-label-key"
DASH = "\u2013"  # what the page shows for an undefined statistic


@pytest.fixture
def server(seed_copy: Seed) -> Iterator[LiveServer]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCHLAB_")}
    with LiveServer(make_app(seed_copy.url, env={**env, "BENCHLAB_LABEL_KEY": LABEL_KEY})) as live:
        yield live


def _current(page: Page) -> str:
    return str(page.locator("#item-body").get_attribute("data-attempt"))


def _press(page: Page, key: str, *, moves: bool = True) -> None:
    """Press a key and wait until the page shows another answer."""
    before = _current(page)
    page.keyboard.press(key)
    if moves:
        expect(page.locator("#item-body")).not_to_have_attribute("data-attempt", before)


def _assert_blind(page: Page, api: httpx.Client, run_id: str, attempt_id: str) -> None:
    """Issue 11: the page showed the model's name and the scorer-vs-human matrix while one
    labeled. No model name outside the answer itself, no verdict, no agreement panel."""
    models = api.get(f"/api/runs/{run_id}").json()["models"]
    names = [m if isinstance(m, str) else m["model"] for m in models]
    shown = api.get(f"/api/attempts/{attempt_id}").json()
    own_text = " ".join(str(shown.get(k) or "") for k in ("prompt", "output", "expected"))
    assert names
    for name in names:
        for where in ("#item-title", "#label-status", "#item-progress", "#key-help"):
            assert name not in page.locator(where).inner_text(), (name, where)
        if name not in own_text:
            assert name not in page.locator("#label-card").inner_text(), name
    expect(page.locator("#agreement")).to_be_hidden()
    expect(page.locator("#confusion")).to_have_count(0)
    card = page.locator("#label-card").inner_text().lower()
    assert "kappa" not in card and "verdict" not in card


def test_label_five_answers_with_the_keyboard(
    server: LiveServer, seed_copy: Seed, watched: Watched
) -> None:
    page, base, run_id = watched.page, server.url, seed_copy.runs[1]
    with httpx.Client(base_url=base, timeout=30) as api:
        _label_five(page, api, base, run_id, watched)


def _label_five(page: Page, api: httpx.Client, base: str, run_id: str, watched: Watched) -> None:
    queue = api.get(f"/api/runs/{run_id}/labels/queue", params={"limit": 5}).json()["items"]
    verdict = {
        i["attempt_id"]: api.get(f"/api/attempts/{i['attempt_id']}").json()["passed"] for i in queue
    }
    first_five = [i["attempt_id"] for i in queue]
    for aid in first_five:  # bo labels like the run's own verdict
        body = {"attempt_id": aid, "labeler": "bo", "label": "pass" if verdict[aid] else "fail"}
        assert api.post(f"/api/runs/{run_id}/labels", json=body, headers=auth(LABEL_KEY)).is_success

    page.goto(f"{base}/runs/{run_id}")
    page.click("#label-link")
    expect(page.locator("h1")).to_contain_text(run_id)
    expect(page.locator("#item-title")).to_have_text("Who is labeling?")
    expect(page.locator("#agreement")).to_be_hidden()  # blind: no agreement while labeling
    watched.shot("label-empty")

    page.fill("#label-key", LABEL_KEY)
    page.fill("#labeler", "ana")
    page.press("#labeler", "Enter")
    expect(page.locator("#item-body")).to_have_attribute("data-attempt", first_five[0])
    expect(page.locator("#choices button[data-label=pass]")).to_be_visible()
    expect(page.locator("#key-help")).to_contain_text("p pass · f fail · k / n skip")
    expect(page.locator("#item-body")).to_contain_text("Rubric")
    _assert_blind(page, api, run_id, first_five[0])
    watched.shot("label-first")

    def agree(aid: str) -> str:
        return "p" if verdict[aid] else "f"

    _press(page, agree(first_five[0]))  # 1
    _press(page, agree(first_five[1]))  # 2
    _press(page, "k")  # skip the third ...
    assert _current(page) == first_five[3]
    _press(page, "u")  # ... and come back to it
    assert _current(page) == first_five[2]
    _press(page, agree(first_five[2]))  # 3
    _press(page, "f" if verdict[first_five[3]] else "p")  # a slip on the fourth ...
    _press(page, "Backspace")  # ... undone: the label is withdrawn, the answer shown again
    assert _current(page) == first_five[3]
    expect(page.locator("#label-status")).to_contain_text("label withdrawn")
    _press(page, agree(first_five[3]))  # 4
    _press(page, "f" if verdict[first_five[4]] else "p")  # 5: ana and bo disagree here
    expect(page.locator("#item-progress")).to_contain_text("5 labeled by you")
    _assert_blind(page, api, run_id, _current(page))

    labels = api.get(f"/api/runs/{run_id}/labels", params={"labeler": "ana"}).json()["items"]
    assert sorted(x["attempt_id"] for x in labels) == sorted(first_five)
    report = api.get(f"/api/runs/{run_id}/agreement").json()
    alpha = report["between_labelers"]["alpha"]
    assert report["between_labelers"]["n_units"] == 5 and alpha is not None

    # Everything but one answer labeled (over the API); the last by keyboard ends the queue,
    # and only then does the agreement panel appear.
    rest = api.get(f"/api/runs/{run_id}/labels/queue", params={"labeler": "ana", "limit": 200})
    left = [i["attempt_id"] for i in rest.json()["items"]]
    for aid in left[:-1]:
        body = {"attempt_id": aid, "labeler": "ana", "label": "pass"}
        assert api.post(f"/api/runs/{run_id}/labels", json=body, headers=auth(LABEL_KEY)).is_success
    page.reload()
    expect(page.locator("#item-body")).to_have_attribute("data-attempt", left[-1])
    expect(page.locator("#agreement")).to_be_hidden()
    page.keyboard.press("p")
    expect(page.locator("#item-title")).to_have_text("Nothing left to label")
    expect(page.locator("#agreement")).to_be_visible()
    report = api.get(f"/api/runs/{run_id}/agreement").json()
    alpha = report["between_labelers"]["alpha"]
    expect(page.locator("#alpha-value")).to_have_text(f"{alpha:.3f}")
    expect(page.locator("#alpha-n")).to_contain_text("5 answers labeled twice or more · 80% agree")
    row = page.locator("#agreement-scorers tr[data-scorer=verdict]")
    (verdict_row,) = [s for s in report["scorers"] if s["scorer"] == "verdict"]
    expect(row.locator("td").nth(1)).to_have_text(str(verdict_row["n"]))  # ties left out
    kappa = verdict_row["kappa"]["kappa"]
    expect(row.locator("td.kappa")).to_have_text(DASH if kappa is None else f"{kappa:.3f}")
    expect(page.locator("#confusion")).to_contain_text("humans (rows) \u00d7 verdict")
    watched.shot("label-agreement")

    page.reload()  # the name is remembered; labeled answers stay out of the queue
    expect(page.locator("#labeler")).to_have_value("ana")
    expect(page.locator("#item-progress")).to_contain_text(f"{5 + len(left)} labeled by you")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: one column, no sideways
    expect(page.locator("#alpha-value")).to_have_text(f"{alpha:.3f}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the label page scrolls sideways by {overflow}px"
    watched.shot("label-phone")


def test_a_key_typed_before_the_page_script_runs_is_kept(
    server: LiveServer, seed_copy: Seed, watched: Watched
) -> None:
    """The script is a deferred module: a labeler who types on a slow load keeps what they
    typed (the script once replaced it with what storage held: nothing, so labels got 401)."""
    page, run_id = watched.page, seed_copy.runs[1]
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)  # the script waits until the test says

    page.route("**/static/label.js", hold)
    page.goto(f"{server.url}/runs/{run_id}/label", wait_until="commit")
    page.fill("#label-key", LABEL_KEY)
    page.fill("#labeler", "ana")
    assert held, "the page should have asked for its script by now"
    held[0].continue_()
    # the queue loads for the name typed before the script ran, without asking again
    expect(page.locator("#item-body")).to_have_attribute("data-attempt", re.compile(r"\d+"))
    expect(page.locator("#label-key")).to_have_value(LABEL_KEY)  # the script has run by now
    expect(page.locator("#labeler")).to_have_value("ana")
    page.press("#labeler", "Enter")  # hands the keyboard back to labeling
    first = _current(page)
    _press(page, "p")
    with httpx.Client(base_url=server.url, timeout=30) as api:
        labels = api.get(f"/api/runs/{run_id}/labels", params={"labeler": "ana"}).json()["items"]
    assert [(str(x["attempt_id"]), x["label"]) for x in labels] == [(first, "pass")]
