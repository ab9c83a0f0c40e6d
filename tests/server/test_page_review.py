"""The review queue's JSON API over real HTTP, on a suite built by a real `samples import` +
`samples build`: verdicts change the suite file (who, when, tags, the edited reference and
the original), `benchlab run` then asks only the accepted cases, and the keys, a stale
version and unknown names are refused with their documented statuses."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from playwright.sync_api import Page, expect

from benchlab.samples import suite_lock
from support.browser import Watched
from support.lab import ADMIN_KEY, auth, make_app
from support.live_server import LiveServer
from support.lock_holder import lock_held_elsewhere
from support.openapi import conforms
from support.review_suite import HOSTILE, build_review_suite, write_many_cases
from support.runs import cli

KEYS = "ana=ana-key,bo=bo-key"
HOSTILE_TAG = "<img src=x onerror=window.__pwned=3>"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_review_suite(tmp_path_factory.mktemp("review-build"))


@dataclass
class Reviewing:
    client: httpx.Client
    suite: Path  # the file the server edits

    def queue(self) -> dict[str, Any]:
        response = self.client.get("/api/review/prod")
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def document(self) -> dict[str, Any]:
        data: dict[str, Any] = yaml.safe_load(self.suite.read_text(encoding="utf-8"))
        return data

    def case(self, case_id: str) -> dict[str, Any]:
        (found,) = [c for c in self.document()["cases"] if c["id"] == case_id]
        return dict(found)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCHLAB_")}
    return {**env, "BENCHLAB_LABELER_KEYS": KEYS}


@pytest.fixture
def reviewing(built: Path, tmp_path: Path) -> Iterator[Reviewing]:
    folder = tmp_path / "suites"
    folder.mkdir()
    suite = folder / "prod.yaml"
    shutil.copy(built, suite)
    (folder / "plain.yaml").write_text("name: plain\ncases:\n  - {id: a, input: hi}\n")
    app = make_app(f"sqlite:///{tmp_path}/lab.db", suite_dir=folder, env=_env())
    with LiveServer(app) as live, httpx.Client(base_url=live.url, timeout=30) as client:
        yield Reviewing(client, suite)


def _review(r: Reviewing, key: str | None, **body: Any) -> httpx.Response:
    headers = auth(key) if key else {}
    return r.client.post("/api/review/prod", json=body, headers=headers)


def test_the_queue_and_the_list_answer_exactly_what_the_schema_documents(
    reviewing: Reviewing,
) -> None:
    """The seeded lab of test_api_read has no suite to review, so its conformance check of
    every typed route leaves these two to this module's server, which has one."""
    spec = reviewing.client.get("/openapi.json").json()
    for path, url in (("/api/review", "/api/review"), ("/api/review/{suite}", "/api/review/prod")):
        schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        response = reviewing.client.get(url)
        assert response.status_code == 200, response.text
        assert conforms(spec, schema["schema"], response.json(), path) == []
    assert reviewing.queue()["cases"], "an empty queue would check nothing of a case"


@pytest.mark.slow
def test_verdicts_are_written_to_the_file_and_run_asks_only_the_accepted_cases(
    reviewing: Reviewing, tmp_path: Path
) -> None:
    listed = reviewing.client.get("/api/review").json()["suites"]
    assert [s["name"] for s in listed] == ["prod"]  # plain.yaml needs no review
    assert listed[0]["counts"] == {"accepted": 0, "rejected": 0, "unreviewed": 7}
    queue = reviewing.queue()
    first, second, third, fourth = (c["id"] for c in queue["cases"][:4])
    original = queue["cases"][1]["expected"]
    assert queue["cases"][0]["production"]["dedupe_count"] == 1
    assert queue["cases"][0]["production"]["source"].endswith("app.jsonl")

    version = queue["version"]
    done = _review(reviewing, "ana-key", case_id=first, status="accepted", version=version)
    assert done.status_code == 200, done.text
    assert done.json()["counts"] == {"accepted": 1, "rejected": 0, "unreviewed": 6}
    review = reviewing.case(first)["metadata"]["review"]
    assert review["status"] == "accepted" and review["by"] == "ana" and review["at"].endswith("Z")

    version = done.json()["version"]
    edited = _review(
        reviewing,
        "bo-key",
        case_id=second,
        status="accepted",
        expected="Open Settings > Billing and edit the address.",
        version=version,
    )
    assert edited.status_code == 200, edited.text
    case = reviewing.case(second)
    assert case["expected"] == "Open Settings > Billing and edit the address."
    assert case["metadata"]["review"]["original"] == original
    assert case["metadata"]["review"]["by"] == "bo"

    version = edited.json()["version"]
    rejected = _review(reviewing, "ana-key", case_id=third, status="rejected", version=version)
    version = rejected.json()["version"]
    tags = ["tone ", "tone", "pii?"]
    tagged = _review(reviewing, "ana-key", case_id=fourth, tags=tags, version=version)
    assert tagged.status_code == 200, tagged.text
    review = reviewing.case(fourth)["metadata"]["review"]
    assert review == {**review, "status": "unreviewed", "tags": ["tone", "pii?"]}
    assert reviewing.case(third)["metadata"]["review"]["status"] == "rejected"
    document = reviewing.document()
    # the cases a run asks changed, so did the suite's version (date + content hash)
    assert document["version"] == tagged.json()["suite_version"] != queue["suite_version"]
    assert document["metadata"]["review_required"] is True

    db = str(tmp_path / "runs.db")
    ran = cli("run", str(reviewing.suite), "-m", "oracle", "--db", db, "--json", "-q")
    assert ran.returncode == 0, ran.stderr
    (model,) = json.loads(ran.stdout)["models"]
    assert model["attempts"] == 2 and model["pass_rate"] == 1.0
    exported = cli("export", json.loads(ran.stdout)["run_id"], "--format", "json", "--db", db)
    attempts = json.loads(exported.stdout)["attempts"]
    assert sorted(a["case_id"] for a in attempts) == sorted([first, second])
    answer = next(a for a in attempts if a["case_id"] == second)
    assert answer["output"] == "Open Settings > Billing and edit the address."


def _ids(r: Reviewing, query: str) -> set[str]:
    response = r.client.get(f"/api/review/prod?{query}")
    assert response.status_code == 200, response.text
    return {c["id"] for c in response.json()["cases"]}


def test_decisions_can_be_changed_reopened_and_filtered_and_none_is_lost(
    reviewing: Reviewing,
) -> None:
    queue = reviewing.queue()
    first, second, third = (c["id"] for c in queue["cases"][:3])
    production = queue["cases"][1]["expected"]
    version = queue["version"]

    def review(key: str, case_id: str, **change: Any) -> dict[str, Any]:
        nonlocal version
        done = _review(reviewing, key, case_id=case_id, version=version, **change)
        assert done.status_code == 200, done.text
        version = done.json()["version"]
        return dict(done.json())

    review("ana-key", first, status="accepted")
    review("bo-key", first, status="rejected")  # a decision changed
    review("ana-key", second, status="accepted", expected="Billing > Address.", tags=["tone"])
    review("bo-key", second, expected="Settings > Billing > Address.")
    review("bo-key", third, status="rejected", tags=["pii?"])
    reopened = review("ana-key", first, status="unreviewed")["case"]
    assert reopened["review"]["status"] == "unreviewed" and reopened["review"]["by"] == "ana"
    assert [(p["status"], p["by"]) for p in reopened["review"]["history"]] == [
        ("accepted", "ana"),
        ("rejected", "bo"),
    ]
    assert reviewing.queue()["cases"][0]["id"] == first  # back in the queue, unreviewed first

    edited = reviewing.case(second)
    assert edited["expected"] == "Settings > Billing > Address."
    assert edited["metadata"]["review"]["original"] == production
    (past,) = edited["metadata"]["review"]["history"]
    assert past == {**past, "by": "ana", "status": "accepted", "expected": "Billing > Address."}

    assert _ids(reviewing, "decision=reviewed") == {second, third}
    assert _ids(reviewing, "decision=accepted") == {second}
    assert _ids(reviewing, "decision=rejected") == {third}
    assert _ids(reviewing, "decision=edited") == {second}
    assert first in _ids(reviewing, "decision=unreviewed") and second not in _ids(
        reviewing, "decision=unreviewed"
    )
    assert _ids(reviewing, "tag=tone") == {second}
    assert _ids(reviewing, "tag=tone&decision=rejected") == set()
    filtered = reviewing.client.get("/api/review/prod?decision=rejected").json()
    assert filtered["tags"] == ["pii?", "tone"]  # every tag of the suite, for the filter
    assert filtered["counts"] == {"accepted": 1, "rejected": 1, "unreviewed": 5}  # the suite's
    spec = reviewing.client.get("/openapi.json").json()
    schema = spec["paths"]["/api/review/{suite}"]["get"]["responses"]["200"]["content"]
    assert conforms(spec, schema["application/json"]["schema"], filtered, "/api/review") == []
    bad = reviewing.client.get("/api/review/prod?decision=maybe")
    assert bad.status_code == 422 and bad.json()["problems"][0]["loc"] == ["query", "decision"]


def test_keys_names_versions_and_unknowns_are_refused(reviewing: Reviewing) -> None:
    queue = reviewing.queue()
    case_id, version = queue["cases"][0]["id"], queue["version"]
    before = reviewing.suite.read_bytes()
    body = {"case_id": case_id, "status": "accepted", "version": version}
    assert _review(reviewing, None, **body).status_code == 401
    assert _review(reviewing, "not-a-key", **body).status_code == 401
    speaking_for_bo = _review(reviewing, "ana-key", **body, reviewer="bo")
    assert speaking_for_bo.status_code == 403, speaking_for_bo.text
    nameless = _review(reviewing, ADMIN_KEY, **body)
    assert nameless.status_code == 400 and "reviewer" in nameless.json()["error"]
    assert _review(reviewing, "ana-key", **{**body, "case_id": "p-nope"}).status_code == 404
    missing = reviewing.client.post("/api/review/other", json=body, headers=auth("ana-key"))
    assert missing.status_code == 404
    assert reviewing.client.get("/api/review/plain").status_code == 404
    assert _review(reviewing, "ana-key", case_id=case_id, version=version).status_code == 400
    huge = _review(reviewing, "ana-key", **body, expected="x" * (1024 * 1024 + 1))
    assert huge.status_code == 413
    assert reviewing.suite.read_bytes() == before  # nothing written by a refused request

    by_admin = _review(reviewing, ADMIN_KEY, **body, reviewer="carla")
    assert by_admin.status_code == 200, by_admin.text
    assert reviewing.case(case_id)["metadata"]["review"]["by"] == "carla"
    after = reviewing.suite.read_bytes()
    stale = _review(reviewing, "ana-key", **{**body, "status": "rejected"})  # the old version
    assert stale.status_code == 409 and "changed since" in stale.json()["error"]
    assert reviewing.suite.read_bytes() == after
    # A change made outside the dashboard (an editor, a rebuild) is caught the same way.
    fresh = reviewing.queue()["version"]
    reviewing.suite.write_text(reviewing.suite.read_text() + "\n", encoding="utf-8")
    outside = _review(reviewing, "ana-key", **{**body, "version": fresh})
    assert outside.status_code == 409
    hidden = [p.name for p in reviewing.suite.parent.iterdir() if p.name.startswith(".")]
    assert hidden == [".prod.yaml.lock"]  # no temporary file; the lock file stays (suite_lock)


def test_a_write_another_process_holds_up_is_a_409_not_a_hang(
    reviewing: Reviewing, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second server, or a `samples build`, in the middle of writing the same file."""
    monkeypatch.setattr(suite_lock, "LOCK_TIMEOUT", 0.3)
    queue = reviewing.queue()
    body = {"case_id": queue["cases"][0]["id"], "status": "accepted", "version": queue["version"]}
    before = reviewing.suite.read_bytes()
    with lock_held_elsewhere(reviewing.suite):
        busy = _review(reviewing, "ana-key", **body)
    assert busy.status_code == 409 and "another process" in busy.json()["error"], busy.text
    assert str(reviewing.suite.parent) not in busy.text  # the file's name, not the folder's
    assert "prod.yaml" in busy.json()["error"]
    assert reviewing.suite.read_bytes() == before
    assert _review(reviewing, "ana-key", **body).status_code == 200  # free again: it goes through


@dataclass
class Racing:
    client: httpx.Client
    suite: Path  # big.yaml: c0 ... c39, unreviewed

    def versions(self) -> dict[str, str]:
        response = self.client.get("/api/review/big")
        assert response.status_code == 200, response.text
        return {c["id"]: c["version"] for c in response.json()["cases"]}

    def reviews(self) -> dict[str, dict[str, Any]]:
        cases = yaml.safe_load(self.suite.read_text(encoding="utf-8"))["cases"]
        return {c["id"]: c["metadata"]["review"] for c in cases}


@pytest.fixture
def racing(tmp_path: Path) -> Iterator[Racing]:
    folder = tmp_path / "suites"
    folder.mkdir()
    suite = write_many_cases(folder / "big.yaml", 40)
    app = make_app(f"sqlite:///{tmp_path}/lab.db", suite_dir=folder, env=_env())
    with LiveServer(app) as live, httpx.Client(base_url=live.url, timeout=60) as client:
        yield Racing(client, suite)


def _at_once(*work: Any) -> list[Any]:
    """Run each callable in its own thread, all released together; their results in order."""
    start = threading.Barrier(len(work))
    results: list[Any] = [None] * len(work)

    def run(i: int) -> None:
        start.wait()
        results[i] = work[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.slow
def test_two_reviewers_on_different_cases_at_once_never_conflict_and_lose_nothing(
    racing: Racing,
) -> None:
    """ana takes the even cases, bo the odd ones, each from one reading of the queue and each
    on its own connection, at the same time. With a version of the whole file, every write
    after the first would be a 409; per case, none is, and the file keeps all forty."""
    read = racing.versions()
    spans: dict[str, list[tuple[float, float]]] = {"ana": [], "bo": []}

    def review(name: str, parity: int) -> list[int]:
        statuses = []
        with httpx.Client(base_url=str(racing.client.base_url), timeout=60) as own:
            for i in range(parity, 40, 2):
                body: dict[str, Any] = {"case_id": f"c{i}", "case_version": read[f"c{i}"]}
                body |= {"status": "accepted", "tags": [name]} if i % 4 < 2 else {}
                body |= {} if i % 4 < 2 else {"status": "rejected", "expected": f"{i}!"}
                began = time.monotonic()
                response = own.post("/api/review/big", json=body, headers=auth(f"{name}-key"))
                spans[name].append((began, time.monotonic()))
                statuses.append(response.status_code)
                assert response.status_code != 200 or response.json()["case"]["version"]
        return statuses

    ana, bo = _at_once(lambda: review("ana", 0), lambda: review("bo", 1))
    assert ana == bo == [200] * 20
    overlapping = [(a, b) for a in spans["ana"] for b in spans["bo"] if a[0] < b[1] and b[0] < a[1]]
    assert overlapping, "the two reviewers never wrote at the same time: nothing was raced"

    reviews = racing.reviews()
    cases = {c["id"]: c for c in yaml.safe_load(racing.suite.read_text())["cases"]}
    for i in range(40):
        who = "ana" if i % 2 == 0 else "bo"
        verdict = reviews[f"c{i}"]
        assert (verdict["status"], verdict["by"]) == (
            ("accepted", who) if i % 4 < 2 else ("rejected", who)
        ), i
        assert cases[f"c{i}"]["expected"] == (str(i) if i % 4 < 2 else f"{i}!")
    after = racing.versions()
    assert all(after[c] != read[c] for c in read)  # every case changed, so did its version


@pytest.mark.slow
def test_two_reviewers_on_the_same_case_at_once_one_gets_a_409_naming_the_other(
    racing: Racing,
) -> None:
    read = racing.versions()
    spec = racing.client.get("/openapi.json").json()

    def review(name: str, status: str) -> httpx.Response:
        body = {"case_id": "c7", "case_version": read["c7"], "status": status}
        with httpx.Client(base_url=str(racing.client.base_url), timeout=60) as own:
            return own.post("/api/review/big", json=body, headers=auth(f"{name}-key"))

    ana, bo = _at_once(lambda: review("ana", "accepted"), lambda: review("bo", "rejected"))
    assert sorted([ana.status_code, bo.status_code]) == [200, 409], (ana.text, bo.text)
    won, lost = (ana, bo) if ana.status_code == 200 else (bo, ana)
    winner = won.json()["case"]["review"]
    conflict = lost.json()
    assert conflict["case_id"] == "c7" and conflict["status"] == 409
    assert (conflict["changed_by"], conflict["changed_at"]) == (winner["by"], winner["at"])
    assert f"{winner['by']} changed it at {winner['at']} ({winner['status']})" in conflict["error"]
    responses = spec["paths"]["/api/review/{suite}"]["post"]["responses"]
    schema = responses["409"]["content"]["application/json"]["schema"]
    assert conforms(spec, schema, conflict, "/api/review/{suite}") == []
    assert racing.reviews()["c7"] == {
        "status": winner["status"],
        "by": winner["by"],
        "at": winner["at"],
    }  # the loser's verdict left no trace
    # The loser reloads and decides again on what the winner left: that goes through.
    again = racing.client.post(
        "/api/review/big",
        json={"case_id": "c7", "case_version": racing.versions()["c7"], "status": "accepted"},
        headers=auth("bo-key" if winner["by"] == "ana" else "ana-key"),
    )
    assert again.status_code == 200, again.text
    assert again.json()["case"]["review"]["history"][0]["by"] == winner["by"]


def test_pages_list_the_suites_and_escape_what_they_show(reviewing: Reviewing) -> None:
    listing = reviewing.client.get("/review")
    assert listing.status_code == 200
    assert 'href="/review/prod"' in listing.text and "plain" not in listing.text
    page = reviewing.client.get("/review/prod")
    assert page.status_code == 200 and 'data-suite="prod"' in page.text
    assert reviewing.client.get("/review/plain").status_code == 404
    reviewed = reviewing.client.get("/review/prod/reviewed?decision=bogus&tag=%3Cscript%3E")
    assert reviewed.status_code == 200 and 'data-suite="prod"' in reviewed.text
    assert '<option value="reviewed" selected>' in reviewed.text  # unknown: the default
    assert "<script>" not in reviewed.text and "&lt;script&gt;" not in reviewed.text
    assert reviewing.client.get("/review/plain/reviewed").status_code == 404
    hostile = [c for c in reviewing.queue()["cases"] if c["input"] == HOSTILE]
    assert len(hostile) == 1  # delivered as JSON text; the page's script shows it as text
    assert HOSTILE not in page.text
    # a hand-edited file's odd provenance is left out of the view, not a server error
    document = reviewing.document()
    document["cases"][0]["metadata"]["production"]["dedupe_count"] = "many"
    reviewing.suite.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    shown = reviewing.queue()["cases"][0]["production"]
    assert shown["dedupe_count"] is None and shown["source"].endswith("app.jsonl")


def _press(page: Page, key: str) -> None:
    """Press a key that moves the queue on, and wait until the page shows another case."""
    before = str(page.locator("#item-body").get_attribute("data-case"))
    page.keyboard.press(key)
    expect(page.locator("#item-body")).not_to_have_attribute("data-case", before)


def _edit_and_accept(page: Page, reference: str) -> None:
    """e, type a new reference, Ctrl+Enter: accepted with it, and the next case is shown."""
    page.keyboard.press("e")
    expect(page.locator("#reference-edit")).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type(reference)
    _press(page, "Control+Enter")
    expect(page.locator("#review-status")).to_contain_text("with an edited reference")


def test_a_key_typed_before_the_page_script_runs_is_kept(
    reviewing: Reviewing, watched: Watched
) -> None:
    """The page's script is a deferred module: on a slow load the reviewer can type the key
    first, and the script once blanked it from (empty) storage, so the verdict went out
    without a key and came back 401."""
    from playwright.sync_api import Route

    page = watched.page
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)  # the script waits until the test says

    page.route("**/static/review.js", hold)
    page.goto(f"{reviewing.client.base_url}/review/prod", wait_until="commit")
    page.fill("#review-key", "ana-key")
    page.fill("#reviewer", "ana")
    assert held, "the page should have asked for its script by now"
    held[0].continue_()
    first = reviewing.queue()["cases"][0]["id"]
    expect(page.locator("#item-body")).to_have_attribute("data-case", first)
    expect(page.locator("#review-key")).to_have_value("ana-key")
    page.locator("#item-body").click()
    _press(page, "a")
    review = reviewing.case(first)["metadata"]["review"]
    assert review["status"] == "accepted" and review["by"] == "ana"


@pytest.mark.slow
def test_review_a_suite_with_the_keyboard(reviewing: Reviewing, watched: Watched) -> None:
    page = watched.page
    cases = reviewing.queue()["cases"]
    ids = [c["id"] for c in cases]
    page.goto(f"{reviewing.client.base_url}/review")
    expect(page.locator("#review-suites tr[data-suite=prod]")).to_contain_text("7")
    watched.shot("review-list")
    page.click("#review-suites a[href='/review/prod']")
    page.fill("#review-key", "ana-key")
    page.press("#review-key", "Enter")  # hands the keyboard back to reviewing
    expect(page.locator("#item-body")).to_have_attribute("data-case", ids[0])
    expect(page.locator("#candidate")).to_have_text(cases[0]["expected"])
    expect(page.locator("#provenance")).to_contain_text("app.jsonl:")
    watched.shot("review-first-case")

    _press(page, "a")
    expect(page.locator("#review-status")).to_contain_text(f"accepted {ids[0]}")
    _press(page, "r")
    expect(page.locator("#item-body")).to_have_attribute("data-case", ids[2])
    _edit_and_accept(page, "Ask the desk to check the parcel.")
    page.keyboard.press("t")
    page.keyboard.type("tone, follow-up")
    page.keyboard.press("Enter")
    expect(page.locator("#review-status")).to_contain_text("tagged")
    _press(page, "k")
    _press(page, "u")  # back from the skip
    expect(page.locator("#item-body")).to_have_attribute("data-case", ids[3])
    _press(page, "a")
    watched.shot("review-after-four")

    hostile = next(c["id"] for c in cases if c["input"] == HOSTILE)
    while page.locator("#item-body").get_attribute("data-case") != hostile:
        _press(page, "k")
    expect(page.locator("#input")).to_have_text(HOSTILE)
    expect(page.locator("#candidate")).to_have_text("<b>not bold</b>")
    assert page.locator("#item-body img, #item-body script, #item-body b").count() == 0
    assert page.evaluate("window.__pwned") is None
    watched.shot("review-hostile-case")

    document = {c["id"]: c for c in reviewing.document()["cases"]}
    reviews = [document[i]["metadata"]["review"] for i in ids[:4]]
    assert [r["status"] for r in reviews] == ["accepted", "rejected", "accepted", "accepted"]
    assert {r["by"] for r in reviews} == {"ana"}
    assert document[ids[2]]["expected"] == "Ask the desk to check the parcel."
    assert reviews[2]["original"] == cases[2]["expected"]
    assert reviews[3]["tags"] == ["tone", "follow-up"]
    assert document[hostile]["metadata"]["review"] == "unreviewed"

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()  # the skipped cases come back: the first unreviewed one is shown
    expect(page.locator("#item-body")).to_have_attribute("data-case", ids[4])
    watched.shot("review-phone")
    width = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    assert page.evaluate(width)


@pytest.mark.slow
def test_the_page_goes_on_past_other_reviewers_and_says_who_changed_its_case(
    reviewing: Reviewing, watched: Watched
) -> None:
    """ana's page read the queue; bo then decides two of its cases from another client. A
    verdict of ana's on a case bo did not touch goes through; one on a case bo decided is
    refused with who and when on the status line, and the page reloads past that case."""
    page = watched.page
    cases = reviewing.queue()["cases"]
    ids = [c["id"] for c in cases]
    page.goto(f"{reviewing.client.base_url}/review/prod")
    page.fill("#review-key", "ana-key")
    page.press("#review-key", "Enter")
    expect(page.locator("#item-body")).to_have_attribute("data-case", ids[0])
    decided = {}
    for case in cases[1:3]:
        body = {"case_id": case["id"], "case_version": case["version"], "status": "rejected"}
        done = _review(reviewing, "bo-key", **body)
        assert done.status_code == 200, done.text
        decided[case["id"]] = done.json()["case"]["review"]["at"]

    _press(page, "a")  # ids[0]: bo did not touch it
    expect(page.locator("#review-status")).to_contain_text(f"accepted {ids[0]} by ana")
    expect(page.locator("#review-status")).not_to_have_class("bad")
    expect(page.locator("#item-body")).to_have_attribute("data-case", ids[1])  # as read
    _press(page, "a")  # bo rejected it meanwhile: refused, and the reload leaves out bo's two
    status = page.locator("#review-status")
    expect(status).to_contain_text(f"bo changed {ids[1]} at {decided[ids[1]]} after this page")
    expect(status).to_contain_text("your verdict was not saved")
    expect(status).to_have_class("muted bad")
    expect(page.locator("#item-progress")).to_contain_text("1 accepted · 2 rejected")
    watched.shot("review-conflict")
    # It goes on from a random place in what is left, away from where bo is working, and
    # still comes round every case left.
    seen = [str(page.locator("#item-body").get_attribute("data-case"))]
    for _ in ids[4:]:
        _press(page, "k")
        seen.append(str(page.locator("#item-body").get_attribute("data-case")))
    assert sorted(seen) == sorted(ids[3:])
    assert [e for e in watched.errors if "409 (Conflict)" not in e] == []
    watched.errors.clear()  # the browser logs the refused POST itself; that one is expected
    reviews = {c["id"]: c["metadata"]["review"] for c in reviewing.document()["cases"]}
    assert (reviews[ids[0]]["status"], reviews[ids[0]]["by"]) == ("accepted", "ana")
    assert (reviews[ids[1]]["status"], reviews[ids[1]]["by"]) == ("rejected", "bo")
    assert "history" not in reviews[ids[1]]  # ana's refused verdict was never written


def _rows(page: Page) -> list[str]:
    return [
        str(row.get_attribute("data-case"))
        for row in page.locator("#reviewed-list tr[data-case]").all()
    ]


@pytest.mark.slow
def test_change_and_reopen_reviewed_cases_with_the_keyboard(
    reviewing: Reviewing, watched: Watched
) -> None:
    """The reviewed cases of a suite a real `samples build` wrote: filtered by decision and
    tag, a decision changed, withdrawn and reopened with the queue's keys; the file keeps
    every verdict, and the reopened case is back in the queue."""
    page = watched.page
    cases = reviewing.queue()["cases"]
    ids = [c["id"] for c in cases]
    version = reviewing.queue()["version"]
    for key, case_id, change in (
        ("ana-key", ids[0], {"status": "accepted"}),
        ("bo-key", ids[1], {"status": "rejected", "tags": ["tone", HOSTILE_TAG]}),
        ("ana-key", ids[2], {"status": "accepted", "expected": "Ask the desk."}),
    ):
        done = _review(reviewing, key, case_id=case_id, version=version, **change)
        assert done.status_code == 200, done.text
        version = done.json()["version"]

    page.goto(f"{reviewing.client.base_url}/review/prod")
    page.fill("#review-key", "ana-key")
    page.press("#review-key", "Enter")
    page.click("#reviewed-link")
    expect(page.locator("#reviewed-list tr[data-case]")).to_have_count(3)
    assert set(_rows(page)) == set(ids[:3])
    expect(page.locator("#reviewed-list tr[aria-current=true]")).to_have_count(1)
    expect(page.locator("#decision-now")).to_be_visible()
    assert "null" not in page.locator("#item-body").inner_text()  # a part the case lacks
    watched.shot("reviewed-all")

    page.select_option("#decision", "rejected")
    expect(page.locator("#reviewed-list tr[data-case]")).to_have_count(1)
    assert "decision=rejected" in page.url
    expect(page.locator("#item-body")).to_have_attribute("data-case", ids[1])
    expect(page.locator("#decision-now")).to_contain_text("bo")
    expect(page.locator("#reviewed-list tr[data-case]")).to_contain_text(HOSTILE_TAG)
    assert page.locator("#reviewed-list img, #tag img").count() == 0
    assert page.evaluate("window.__pwned") is None
    _press(page, "a")  # bo's rejection becomes ana's acceptance; the list keeps the row
    expect(page.locator("#review-status")).to_contain_text(f"accepted {ids[1]} by ana")
    expect(page.locator(f"#reviewed-list tr[data-case='{ids[1]}']")).to_contain_text("accepted")
    _press(page, "u")  # withdrawn: rejected again, recorded as ana's
    expect(page.locator("#item-body")).to_have_attribute("data-case", ids[1])
    expect(page.locator("#review-history li")).to_have_count(2)
    watched.shot("reviewed-history")
    _press(page, "o")  # reopened: back into the queue
    expect(page.locator("#review-status")).to_contain_text(f"reopened {ids[1]}")
    verdict = reviewing.case(ids[1])["metadata"]["review"]
    assert (verdict["status"], verdict["by"]) == ("unreviewed", "ana")
    assert verdict["tags"] == ["tone", HOSTILE_TAG]
    assert [(p["status"], p["by"]) for p in verdict["history"]] == [
        ("rejected", "bo"),
        ("accepted", "ana"),
        ("rejected", "ana"),
    ]

    page.select_option("#decision", "edited")
    expect(page.locator("#reviewed-list tr[data-case]")).to_have_count(1)
    expect(page.locator("#item-body")).to_have_attribute("data-case", ids[2])
    expect(page.locator("#reference")).to_have_text("Ask the desk.")
    expect(page.locator("#original")).to_have_text(cases[2]["expected"])
    _edit_and_accept(page, "Ask the front desk.")
    _press(page, "p")
    expect(page.locator("#review-history li")).to_have_count(1)
    expect(page.locator("#review-history")).to_contain_text("accepted by ana")
    case = reviewing.case(ids[2])
    assert case["expected"] == "Ask the front desk."
    assert case["metadata"]["review"]["history"][0]["expected"] == "Ask the desk."

    page.select_option("#decision", "reviewed")
    page.select_option("#tag", "tone")  # its one case was reopened: none is left
    expect(page.locator("#reviewed-list .empty")).to_be_visible()
    page.goto(f"{reviewing.client.base_url}/review/prod")
    expect(page.locator("#item-body")).to_have_attribute("data-case", ids[1])
    expect(page.locator("#reopened")).to_contain_text("unreviewed by ana")
    expect(page.locator("#review-history li")).to_have_count(3)
    assert "null" not in page.locator("#item-body").inner_text()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{reviewing.client.base_url}/review/prod/reviewed?decision=edited")
    expect(page.locator("#item-body")).to_have_attribute("data-case", ids[2])
    watched.shot("reviewed-phone")
    width = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    assert page.evaluate(width)


def test_the_samples_section_counts_what_samples_stats_counts(built: Path) -> None:
    store = built.parent.parent / "samples.db"
    with LiveServer(make_app(f"sqlite:///{store}")) as live:
        quick = httpx.get(f"{live.url}/samples", timeout=30)
        full = httpx.get(f"{live.url}/samples?pii=1&near=1&period=week", timeout=30)
    assert quick.status_code == full.status_code == 200
    assert '<span class="big" id="samples-total">7</span>' in quick.text
    assert '<span class="big" id="samples-pii">\u2013</span>' in quick.text  # not scanned
    assert '<span class="big" id="samples-pii">1</span>' in full.text
    assert "2026-W45" in full.text and "2026-11-02" in quick.text
    for label in ("account", "billing", "other", "up", "down"):
        assert f"<td>{label}</td>" in quick.text
    assert "<td>email</td>" in full.text
