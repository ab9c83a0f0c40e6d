"""The labels API over real HTTP: keys, writing and undoing labels, the queue, agreement,
and the `human` score showing up wherever the API shows scores."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from server.conftest import Seed
from support.lab import ADMIN_KEY, auth, make_app
from support.live_server import LiveServer
from support.openapi import conforms

LABEL_KEY = "label-only-key"


@dataclass
class Env:
    client: httpx.Client
    run_id: str  # the candidate run of the seed: quickstart on oracle, echo, replay


def _app(seed: Seed, **options: object) -> object:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCHLAB_")}
    return make_app(seed.url, env={**env, "BENCHLAB_LABEL_KEY": LABEL_KEY}, **options)


@pytest.fixture
def env(seed_copy: Seed) -> Iterator[Env]:
    with LiveServer(_app(seed_copy)) as live, httpx.Client(base_url=live.url, timeout=30) as c:
        yield Env(c, seed_copy.runs[1])


def _queue(env: Env, **params: str | int) -> dict[str, Any]:
    response = env.client.get(f"/api/runs/{env.run_id}/labels/queue", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _label(
    env: Env, attempt: str, label: str, who: str = "ana", key: str = LABEL_KEY
) -> httpx.Response:
    return env.client.post(
        f"/api/runs/{env.run_id}/labels",
        json={"attempt_id": attempt, "labeler": who, "label": label},
        headers=auth(key),
    )


def test_labeling_is_off_without_a_key_but_reading_is_not(seed: Seed) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCHLAB_")}
    with LiveServer(make_app(seed.url, admin_key="", env=env)) as live:
        run_id = seed.runs[1]
        queue = httpx.get(f"{live.url}/api/runs/{run_id}/labels/queue", params={"limit": 1})
        attempt = queue.json()["items"][0]["attempt_id"]
        body = {"attempt_id": attempt, "labeler": "ana", "label": "pass"}
        response = httpx.post(f"{live.url}/api/runs/{run_id}/labels", json=body, headers=auth())
        assert response.status_code == 403
        assert "BENCHLAB_LABEL_KEY" in response.json()["error"]
        assert httpx.get(f"{live.url}/api/runs/{run_id}/agreement").status_code == 200
        page = httpx.get(f"{live.url}/runs/{run_id}/label")
        assert page.status_code == 200 and "Labeling is off on this server" in page.text


def test_keys_label_but_the_label_key_cannot_administer(env: Env) -> None:
    items = _queue(env, limit=3)["items"]
    assert isinstance(items, list)
    first, second, third = (i["attempt_id"] for i in items)
    assert _label(env, first, "pass").status_code == 201
    assert _label(env, second, "fail", key=ADMIN_KEY).status_code == 201  # the admin key too
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {LABEL_KEY}"}):
        response = env.client.post(
            f"/api/runs/{env.run_id}/labels",
            json={"attempt_id": third, "labeler": "ana", "label": "pass"},
            headers=headers,
        )
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    launch = env.client.post(
        "/api/runs", json={"suites": ["quickstart"], "models": ["oracle"]}, headers=auth(LABEL_KEY)
    )
    assert launch.status_code == 401  # a labeler's key is no admin key


def test_a_wrong_key_here_counts_against_the_admin_guessing_limit(seed_copy: Seed) -> None:
    with LiveServer(_app(seed_copy, rate_limit=2)) as live:
        url = f"{live.url}/api/runs/{seed_copy.runs[1]}/labels"
        body = {"attempt_id": "1", "labeler": "ana", "label": "pass"}
        codes = [httpx.post(url, json=body, headers=auth("guess")).status_code for _ in range(3)]
        assert codes == [401, 401, 429]
        # the right key is not slowed by someone else's guessing, nor by the admin budget
        for _ in range(4):
            assert httpx.post(url, json=body, headers=auth(LABEL_KEY)).status_code == 404


def test_label_relabel_undo_and_the_queue(env: Env) -> None:
    before = _queue(env, labeler="ana", limit=200)
    assert before["kind"] == {
        "kind": "pass_fail",
        "title": "pass / fail",
        "level": "nominal",
        "choices": [
            {"label": "pass", "value": 1.0, "title": "pass"},
            {"label": "fail", "value": 0.0, "title": "fail"},
        ],
        "fixed": False,
    }
    assert before["attempts"] == before["remaining"] == 28  # 36, less 8 replay errors
    first = before["items"][0]["attempt_id"]

    created = _label(env, first, "fail")
    assert created.status_code == 201
    assert created.json() == {
        "run_id": env.run_id,
        "attempt_id": first,
        "labeler": "ana",
        "kind": "pass_fail",
        "label": "fail",
        "value": 0.0,
        "passed": False,
        "note": None,
        "replaced": False,
    }
    again = _label(env, first, "pass")
    assert again.status_code == 200 and again.json()["replaced"] is True
    after = _queue(env, labeler="ana", limit=200)
    assert (after["labeled_by_you"], after["remaining"]) == (1, 27)
    assert first not in [i["attempt_id"] for i in after["items"]]
    assert after["kind"]["fixed"] is True
    listed = env.client.get(f"/api/runs/{env.run_id}/labels", params={"labeler": "ana"}).json()
    assert [(x["attempt_id"], x["label"]) for x in listed["items"]] == [(first, "pass")]

    url = f"/api/runs/{env.run_id}/labels/{first}"
    undone = env.client.delete(url, params={"labeler": "ana"}, headers=auth(LABEL_KEY))
    assert undone.status_code == 200 and undone.json()["deleted"] is True
    gone = env.client.delete(url, params={"labeler": "ana"}, headers=auth(LABEL_KEY))
    assert gone.status_code == 404
    assert _queue(env, labeler="ana", limit=1)["items"][0]["attempt_id"] == first  # back in line

    stratified = _queue(env, mode="stratified", by="model", labeler="bo", limit=3)
    # blind (issue 11): models are aliases in the queue, and items carry no model name
    assert sorted(i["stratum"] for i in stratified["items"]) == ["model 1", "model 2", "model 3"]
    assert [lv["level"] for lv in stratified["levels"]] == ["model 1", "model 2", "model 3"]
    assert all("model" not in i for i in stratified["items"])
    assert _queue(env, mode="disagreement", limit=2)["mode"] == "disagreement"
    _documented(env, "/labels/queue", stratified)
    _documented(env, "/labels", listed)


def _documented(env: Env, route: str, body: Any) -> None:
    """`body` has exactly the fields the route's OpenAPI schema documents, recursively."""
    spec = env.client.get("/openapi.json").json()
    ok = spec["paths"]["/api/runs/{run_id}" + route]["get"]["responses"]["200"]
    assert conforms(spec, ok["content"]["application/json"]["schema"], body, route) == []


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({"label": "maybe"}, 400, "label 'maybe'"),
        ({"labeler": "a/b"}, 400, "labeler 'a/b'"),
        ({"attempt_id": "12x"}, 400, "attempt id '12x'"),
        ({"attempt_id": str(2**64)}, 400, "attempt id"),
        ({"attempt_id": "1"}, 404, "no attempt 1 in run"),
        ({"kind": "stance"}, 400, "expected one of neg neu pos"),
        ({"label": None}, 422, "label"),
        ({"extra": 1}, 422, "extra"),
    ],
)
def test_bad_labels_are_4xx_with_one_message(
    env: Env, body: dict[str, object], status: int, needle: str
) -> None:
    attempt = _queue(env, limit=1)["items"][0]["attempt_id"]
    payload = {"attempt_id": attempt, "labeler": "ana", "label": "pass", **body}
    response = env.client.post(
        f"/api/runs/{env.run_id}/labels", json=payload, headers=auth(LABEL_KEY)
    )
    assert response.status_code == status, response.text
    assert needle in response.json()["error"]


def test_unknown_runs_and_bad_queries(env: Env) -> None:
    assert env.client.get("/api/runs/nope/labels/queue").status_code == 404
    assert env.client.get("/api/runs/nope/agreement").status_code == 404
    body = {"attempt_id": "1", "labeler": "ana", "label": "pass"}
    assert (
        env.client.post("/api/runs/nope/labels", json=body, headers=auth(LABEL_KEY)).status_code
        == 404
    )
    bad_by = env.client.get(
        f"/api/runs/{env.run_id}/labels/queue", params={"mode": "stratified", "by": "colour"}
    )
    assert bad_by.status_code == 400 and "known: category, model, suite" in bad_by.json()["error"]
    assert (
        env.client.get(f"/api/runs/{env.run_id}/labels/queue", params={"mode": "x"}).status_code
        == 422
    )
    assert (
        env.client.get(f"/api/runs/{env.run_id}/labels/queue", params={"limit": 0}).status_code
        == 422
    )
    scorer = env.client.get(f"/api/runs/{env.run_id}/agreement", params={"scorer": "judge"})
    assert scorer.status_code == 400 and "scorer 'judge'" in scorer.json()["error"]
    assert env.client.get("/runs/nope/label").status_code == 404


def test_agreement_and_the_human_score_follow_the_labels(env: Env) -> None:
    items = _queue(env, limit=4)["items"]
    assert isinstance(items, list)
    ids = [i["attempt_id"] for i in items]
    for aid in ids:
        assert _label(env, aid, "pass", "ana").status_code == 201
    for aid, label in zip(ids, ("pass", "pass", "fail", "fail"), strict=True):
        assert _label(env, aid, label, "bo").status_code == 201
    report = env.client.get(f"/api/runs/{env.run_id}/agreement").json()
    assert report["labels"] == 8 and report["attempts_labeled"] == 4
    assert report["between_labelers"]["percent_agreement"] == 0.5
    assert report["between_labelers"]["n_units"] == 4
    assert report["scorers"][0]["scorer"] == "verdict" and report["scorers"][0]["ties"] == 2
    _documented(env, "/agreement", report)

    detail = env.client.get(f"/api/attempts/{ids[2]}").json()
    human = [s for s in detail["scores"] if s["scorer"] == "human"]
    assert human and human[0]["value"] == 0.5 and human[0]["passed"] is None
    assert human[0]["explanation"] == "2 labels: ana pass, bo fail"
    summary = env.client.get(f"/api/runs/{env.run_id}").json()
    n_human = sum(m["scores"].get("human", {}).get("n", 0) for m in summary["models"])
    assert n_human == 4
    page = env.client.get(f"/api/runs/{env.run_id}/attempts", params={"limit": 500}).json()
    assert sum(1 for row in page["items"] if "human" in row["scores"]) == 4


def test_label_page_renders_with_strata_and_a_link_from_the_run(env: Env) -> None:
    page = env.client.get(f"/runs/{env.run_id}/label")
    assert page.status_code == 200
    assert 'id="label-setup"' in page.text and 'data-kind="pass_fail"' in page.text
    assert '<option value="difficulty">difficulty</option>' in page.text
    run_page = env.client.get(f"/runs/{env.run_id}")
    assert f'href="/runs/{env.run_id}/label"' in run_page.text


def test_a_labeler_s_own_key_labels_under_that_name_only(seed_copy: Seed) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCHLAB_")}
    env |= {"BENCHLAB_LABEL_KEY": LABEL_KEY, "BENCHLAB_LABELER_KEYS": "ana=ana-key, bo=bo-key"}
    with (
        LiveServer(make_app(seed_copy.url, env=env)) as live,
        httpx.Client(base_url=live.url, timeout=30) as c,
    ):
        run = seed_copy.runs[1]
        first, second = (
            i["attempt_id"]
            for i in c.get(f"/api/runs/{run}/labels/queue", params={"limit": 2}).json()["items"]
        )

        def label(attempt: str, who: str, key: str) -> httpx.Response:
            body = {"attempt_id": attempt, "labeler": who, "label": "pass"}
            return c.post(f"/api/runs/{run}/labels", json=body, headers=auth(key))

        def withdraw(attempt: str, who: str, key: str) -> httpx.Response:
            url = f"/api/runs/{run}/labels/{attempt}"
            return c.delete(url, params={"labeler": who}, headers=auth(key))

        assert label(first, "ana", "ana-key").status_code == 201
        assert label(first, "bo", "bo-key").status_code == 201
        forged = label(second, "bo", "ana-key")  # ana writing as bo
        assert forged.status_code == 403
        assert forged.json()["error"] == "this key labels as 'ana' only, not as 'bo'"
        assert withdraw(first, "bo", "ana-key").status_code == 403  # nor undo bo's label
        # the shared key and the admin key may not speak for a labeler with a key either
        for key in (LABEL_KEY, ADMIN_KEY):
            assert label(second, "ana", key).status_code == 403
            assert withdraw(first, "ana", key).status_code == 403
        # ... but still label under names no labeler owns (the team's shared flow)
        assert label(second, "cy", LABEL_KEY).status_code == 201
        labels = c.get(f"/api/runs/{run}/labels").json()["items"]
        assert sorted((x["attempt_id"], x["labeler"]) for x in labels) == sorted(
            [(first, "ana"), (first, "bo"), (second, "cy")]
        )
        assert withdraw(first, "bo", "bo-key").status_code == 200  # one's own undo works
        spec = c.get("/openapi.json").json()
        assert "403" in spec["paths"]["/api/runs/{run_id}/labels"]["post"]["responses"]


def test_a_labeler_name_that_is_none_is_a_documented_400(env: Env) -> None:
    """Reading and withdrawing labels refuse a name no labeler can have with 400, and the
    schema says so (schemathesis' undocumented-status check found both)."""
    spec = env.client.get("/openapi.json").json()
    read = env.client.get(f"/api/runs/{env.run_id}/labels", params={"labeler": "~x"})
    # an empty name is none either: the queue took it for "nobody" (schemathesis ST201)
    empty = env.client.get(f"/api/runs/{env.run_id}/labels/queue", params={"labeler": ""})
    assert empty.status_code == 400 and "labeler ''" in empty.json()["error"]
    withdraw = env.client.delete(
        f"/api/runs/{env.run_id}/labels/1", params={"labeler": "~x"}, headers=auth(LABEL_KEY)
    )
    for answer, route, method in (
        (read, "/labels", "get"),
        (withdraw, "/labels/{attempt_id}", "delete"),
    ):
        assert answer.status_code == 400 and "labeler '~x'" in answer.json()["error"]
        assert "400" in spec["paths"]["/api/runs/{run_id}" + route][method]["responses"]
