"""The public read API over real HTTP, on a database seeded by real CLI runs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from benchlab.domain import RUN_STATUSES
from benchlab.store.db import SCHEMA_HEAD
from support.lab import Seed, make_app
from support.live_server import LiveServer
from support.openapi import conforms
from support.runs import make_run, priced_models, replay, suite


def test_health_reports_schema_and_write_api(client: httpx.Client) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["schema"] == SCHEMA_HEAD
    assert body["write_api"] is True


def test_runs_newest_first_with_per_model_rates(client: httpx.Client, seed: Seed) -> None:
    body = client.get("/api/runs").json()
    assert body["total"] == 2
    assert [r["run_id"] for r in body["items"]] == seed.runs[::-1]
    newest = body["items"][0]
    assert newest["status"] == "completed"
    assert newest["attempts"] == 36
    rates = {m["model"]: m["pass_rate"] for m in newest["per_model"]}
    assert rates["oracle"] == 1.0
    assert rates["replay/answers.jsonl"] == pytest.approx(2 / 4)  # 8 errors are not fails
    assert newest["duration_s"] is not None and newest["duration_s"] >= 0


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tag": "env=ci"}, [1]),
        ({"suite": "quickstart"}, [1, 0]),
        ({"suite": "nope"}, []),
        ({"model": "echo", "limit": 1}, [1]),
        ({"model": "echo", "limit": 1, "offset": 1}, [0]),
        ({"status": "failed"}, []),
        ({"since": "2000-01-01T00:00:00"}, [1, 0]),
        ({"until": "2000-01-01"}, []),
    ],
)
def test_runs_filters_and_pages(
    client: httpx.Client, seed: Seed, params: dict[str, Any], expected: list[int]
) -> None:
    body = client.get("/api/runs", params=params).json()
    assert [r["run_id"] for r in body["items"]] == [seed.runs[i] for i in expected]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-created", [1, 0]),
        ("created", [0, 1]),
        ("-pass_rate", [0, 1]),  # the baseline's answers were better
        ("pass_rate", [1, 0]),
        ("status", [1, 0]),  # a tie: newest first
    ],
)
def test_runs_sort_by_a_column(
    client: httpx.Client, seed: Seed, sort: str, expected: list[int]
) -> None:
    body = client.get("/api/runs", params={"sort": sort}).json()
    assert [r["run_id"] for r in body["items"]] == [seed.runs[i] for i in expected]
    rates = [r["pass_rate"] for r in body["items"]]
    if sort.endswith("pass_rate"):
        assert rates == sorted(rates, reverse=sort.startswith("-"))


def test_run_summary_has_intervals_and_progress(client: httpx.Client, seed: Seed) -> None:
    body = client.get(f"/api/runs/{seed.runs[0][:-1]}").json()  # a unique prefix works
    assert body["run_id"] == seed.runs[0]
    oracle = next(m for m in body["models"] if m["model"] == "oracle")
    assert oracle["pass_rate"] == 1.0 and oracle["ci95"][1] == 1.0
    assert body["planned_total"] == body["done"] == 36
    assert "replay/answers.jsonl" in body["facets"]["model"]


def test_attempts_filters_search_and_paging(client: httpx.Client, seed: Seed) -> None:
    run = seed.runs[1]
    everything = client.get(f"/api/runs/{run}/attempts", params={"limit": 500}).json()
    assert everything["total"] == 36
    assert all(isinstance(a["id"], str) for a in everything["items"])
    failed = client.get(
        f"/api/runs/{run}/attempts", params={"model": "replay/answers.jsonl", "passed": False}
    ).json()
    assert failed["total"] == 2  # judged and wrong; the 8 errors are not fails (status=error)
    errors = client.get(f"/api/runs/{run}/attempts", params={"status": "error"}).json()
    assert errors["total"] == 8 and {a["error_type"] for a in errors["items"]} == {
        errors["items"][0]["error_type"]
    }
    search = client.get(f"/api/runs/{run}/attempts", params={"q": "Sydney"}).json()
    assert [a["case_id"] for a in search["items"]] == ["capital-australia"]
    cat = client.get(f"/api/runs/{run}/attempts", params={"category": "math"}).json()
    assert cat["total"] == 6
    page = client.get(f"/api/runs/{run}/attempts", params={"limit": 5, "offset": 34}).json()
    assert len(page["items"]) == 2 and page["total"] == 36
    like = client.get(f"/api/runs/{run}/attempts", params={"q": "%"}).json()
    assert like["total"] < 36  # LIKE wildcards are escaped, not interpreted


def test_attempt_detail_has_everything_for_the_panel(client: httpx.Client, seed: Seed) -> None:
    run = seed.runs[1]
    found = client.get(
        f"/api/runs/{run}/attempts",
        params={"case": "capital-australia", "model": "replay/answers.jsonl"},
    ).json()["items"][0]
    body = client.get(f"/api/attempts/{found['id']}").json()
    assert body["id"] == found["id"]
    assert body["output"] == "Sydney" and body["expected"] == "Canberra"
    assert body["passed"] is False
    assert body["prompt"][-1]["role"] == "user"
    assert body["scores"][0]["scorer"] == "exact" and body["scores"][0]["explanation"]
    assert body["case"]["metadata"]["category"] == "factoid"
    assert {o["model"] for o in body["others"]} == {"oracle", "echo"}
    assert body["logs"]["finish_reason"] == "stop"


def test_models_suites_and_cases(client: httpx.Client) -> None:
    models = client.get("/api/models").json()["items"]
    assert {m["name"] for m in models} == {"oracle", "echo", "replay/answers.jsonl"}
    assert all(m["runs"] == 2 for m in models)
    suites = client.get("/api/suites").json()["items"]
    quick = next(s for s in suites if s["name"] == "quickstart")
    assert quick["stored"] and quick["cases"] == 12 and quick["runs"] == 2
    cases = client.get("/api/suites/quickstart/cases", params={"category": "math"}).json()
    assert cases["total"] == 2 and cases["categories"]["math"] == 2
    assert sum(cases["categories"].values()) == 12


def test_leaderboard_keeps_each_models_best_run(client: httpx.Client, seed: Seed) -> None:
    board = client.get("/api/leaderboard").json()["suites"]
    rows = {r["model"]: r for r in board[0]["models"]}
    assert rows["oracle"]["rank"] == 1
    replay = rows["replay/answers.jsonl"]
    assert replay["run_id"] == seed.runs[0] and replay["pass_rate"] == pytest.approx(4 / 4)
    assert replay["runs"] == 2 and replay["duration_s"] is not None
    assert client.get("/api/leaderboard", params={"suite": "nope"}).json() == {"suites": []}


def test_trends_one_point_per_run(client: httpx.Client, seed: Seed) -> None:
    body = client.get(
        "/api/trends", params={"suite": "quickstart", "model": "replay/answers.jsonl"}
    ).json()
    points = body["series"][0]["points"]
    assert [p["run_id"] for p in points] == seed.runs
    assert [p["value"] for p in points] == pytest.approx([4 / 4, 2 / 4])  # over judged only
    cost = client.get("/api/trends", params={"suite": "quickstart", "metric": "attempts"}).json()
    assert {s["model"] for s in cost["series"]} == {"oracle", "echo", "replay/answers.jsonl"}


def test_compare_finds_the_flips(client: httpx.Client, seed: Seed) -> None:
    body = client.get("/api/compare", params={"a": seed.runs[0], "b": seed.runs[1]}).json()
    replay = next(m for m in body["models"] if m["model"] == "replay/answers.jsonl")
    # the 8 cases the replay file has no answer for are errors on both sides, not fails
    assert replay["n_paired"] == 4 and replay["errors"] == {"a": 8, "b": 8}
    assert replay["delta"] == pytest.approx(-2 / 4)
    assert {f["case_id"] for f in replay["flips"]["pass_to_fail"]} == {
        "capital-australia",
        "prorated-refund",
    }
    assert replay["verdict"] in ("regression", "no_change")


def test_spend_this_month(client: httpx.Client) -> None:
    body = client.get("/api/spend").json()
    assert body["runs"] == 2 and body["requests"] > 0
    assert body["total_usd"] == 0.0 and body["unpriced_requests"] == 0  # offline models are free


BAD_REQUESTS: list[tuple[str, int]] = [
    ("/api/runs/nope", 404),
    ("/api/runs/nope/attempts", 404),
    ("/api/attempts/1", 404),
    ("/api/attempts/abc", 422),
    ("/api/attempts/99999999999999999999999", 422),
    ("/api/runs?limit=0", 422),
    ("/api/runs?limit=100000", 422),
    ("/api/runs?status=bogus", 422),
    ("/api/runs?since=yesterday", 422),
    ("/api/runs?until=0.5", 422),  # a number is no date-time (pydantic alone took it as 1970)
    ("/api/trends?suite=quickstart&since=1700000000", 422),
    ("/api/runs?tag=novalue", 400),
    ("/api/runs?tag=a%00b=1", 400),  # a NUL in a tag once reached SQLite's JSON path: 500
    ("/api/trends", 422),
    ("/api/trends?suite=quickstart&metric=bogus", 422),
    ("/api/compare?a=nope&b=nope", 404),
    ("/api/suites/nope/cases", 404),
    ("/api/runs?offset=-1", 422),
    ("/api/runs?sort=models", 422),
    ("/api/spend?month=2020-13", 400),
    ("/api/matrix?runs=nope", 404),
    ("/api/matrix?runs=,", 400),
    ("/api/matrix?runs=nope&sort=bogus", 422),
]


@pytest.mark.parametrize(("path", "status"), BAD_REQUESTS)
def test_bad_requests_are_json_4xx(client: httpx.Client, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    body = response.json()
    assert body["status"] == status and body["error"]


def test_openapi_docs_are_served(client: httpx.Client) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/runs", "/api/results", "/api/compare", "/api/leaderboard"):
        assert path in paths


def test_runs_filter_by_every_status_a_run_can_have(tmp_path: Path) -> None:
    """The server kept its own copy of the status list, without `stopped_budget` (it
    answered 422); now the status filter is the domain's `RunStatus`, as the store's."""
    db = f"sqlite:///{tmp_path}/budget.db"
    s = suite(tmp_path, 20)
    models = priced_models(tmp_path / "m.json", {"paid": (replay(tmp_path / "r.jsonl", 20), 1e3)})
    stopped = make_run(db, s, "paid", models_file=models, max_cost=0.02, concurrency=1)
    assert stopped.status == "stopped_budget"
    done = make_run(db, s, "paid", models_file=models)
    with LiveServer(make_app(db)) as live, httpx.Client(base_url=live.url, timeout=30) as c:
        body = c.get("/api/runs", params={"status": "stopped_budget"}).json()
        assert [r["run_id"] for r in body["items"]] == [stopped.run_id] and body["total"] == 1
        assert body["items"][0]["status"] == "stopped_budget"
        for status in RUN_STATUSES:
            assert c.get("/api/runs", params={"status": status}).status_code == 200, status
        page = c.get("/runs", params={"status": "stopped_budget"})
        assert page.status_code == 200
        assert stopped.run_id in page.text and done.run_id not in page.text
        assert "<option selected>stopped_budget</option>" in page.text  # the drop-down offers it


def _schema(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node` itself, or the component schema its `$ref` names."""
    ref = node.get("$ref")
    if ref is None:
        return node
    found: dict[str, Any] = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return found


def _json_schema(spec: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    return _schema(spec, response["content"]["application/json"]["schema"])


def test_openapi_documents_every_field_of_the_run_list_and_a_run(
    client: httpx.Client, seed: Seed
) -> None:
    spec = client.get("/openapi.json").json()
    listing = spec["paths"]["/api/runs"]["get"]
    page = _json_schema(spec, listing["responses"]["200"])
    served = client.get("/api/runs").json()
    assert set(page["properties"]) == set(served)
    row = _schema(spec, page["properties"]["items"]["items"])
    assert set(row["properties"]) == set(served["items"][0])  # every field, no more
    per_model = _schema(spec, row["properties"]["per_model"]["items"])
    assert set(per_model["properties"]) == set(served["items"][0]["per_model"][0])
    (status,) = [p for p in listing["parameters"] if p["name"] == "status"]
    offered = {v for choice in status["schema"]["anyOf"] for v in choice.get("enum", [])}
    assert offered == set(RUN_STATUSES)
    bad_tag = listing["responses"]["400"]["content"]["application/json"]["schema"]
    assert bad_tag["$ref"].endswith("/ErrorBody")

    one = spec["paths"]["/api/runs/{run_id}"]["get"]
    detail = _json_schema(spec, one["responses"]["200"])
    shown = client.get(f"/api/runs/{seed.runs[0]}").json()
    assert set(detail["required"]) <= set(shown)  # what the schema promises is served
    assert {"planned_total", "done", "facets", "models", "config"} <= set(detail["required"])
    model = _schema(spec, detail["properties"]["models"]["items"])
    assert set(model["required"]) <= set(shown["models"][0])


def test_openapi_documents_the_errors_as_they_are_served(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    one = spec["paths"]["/api/runs/{run_id}"]["get"]["responses"]
    assert {"404", "400", "422"} <= set(one)
    error = _json_schema(spec, one["404"])
    for path, code in (("/api/runs/nope", 404), ("/api/runs?tag=novalue", 400)):
        body = client.get(path).json()
        assert set(error["required"]) <= set(body) <= set(error["properties"]), path
        assert body["status"] == code
    invalid = client.get("/api/runs?limit=0").json()  # 422 has the same shape, plus problems
    assert set(invalid) == set(error["properties"]) and invalid["problems"][0]["loc"]
    assert _json_schema(spec, one["422"]) == error


# --- every JSON route, generically --------------------------------------------------------------
# JSON GET routes that still answer an untyped dict (no named response model). The test below
# fails when one of them gains a model (take it out of here) or a new untyped one appears.
UNTYPED: set[str] = set()


def test_the_conformance_check_sees_a_missing_and_an_undocumented_field(
    client: httpx.Client,
) -> None:
    spec = client.get("/openapi.json").json()
    page = spec["paths"]["/api/runs"]["get"]["responses"]["200"]["content"]["application/json"]
    body = client.get("/api/runs").json()
    assert conforms(spec, page["schema"], body, "runs") == []
    del body["items"][0]["per_model"][0]["tokens"]["input"]
    body["items"][0]["surprise"] = 1
    assert sorted(conforms(spec, page["schema"], body, "runs")) == [
        "runs.items[0].per_model[0].tokens: input missing",
        "runs.items[0]: surprise not documented",
    ]


def _fill(path: str, seed: Seed, attempt_id: str) -> str:
    values = {"run_id": seed.runs[1], "attempt_id": attempt_id, "name": "quickstart"}
    for key, value in values.items():
        path = path.replace("{" + key + "}", value)
    return path


# Routes whose 200 needs data the seeded lab has not (a built production suite in the
# server's suite folder); their bodies are checked against the schema where they have it.
ELSEWHERE = {"/api/review/{suite}": "tests/server/test_page_review.py"}

# the query parameters a route requires, and a value that gives an answer
_REQUIRED_QUERY = {"suite": "quickstart", "a": 0, "b": 1, "run_id": 1, "runs": 1}


def test_openapi_documents_every_json_route_as_it_is_served(
    client: httpx.Client, seed: Seed
) -> None:
    """Every JSON GET route under /api names a response model (but the `UNTYPED` ones), and
    a real request answers a body whose every object has exactly the documented properties
    (every required one, none undocumented), recursively through nested models."""
    spec = client.get("/openapi.json").json()
    attempt_id = client.get(f"/api/runs/{seed.runs[1]}/attempts").json()["items"][0]["id"]
    typed, untyped = set(), set()
    for path, item in spec["paths"].items():
        get = item.get("get")
        if not path.startswith("/api/") or get is None:
            continue
        content = get["responses"]["200"].get("content", {})
        if "application/json" not in content:
            continue  # an artifact file
        schema = content["application/json"]["schema"]
        if "$ref" not in schema:
            untyped.add(path)
            continue
        typed.add(path)
        if path in ELSEWHERE:
            continue
        params: dict[str, Any] = {}
        for p in get.get("parameters", []):
            if p["in"] == "query" and p.get("required"):
                chosen = _REQUIRED_QUERY[p["name"]]
                params[p["name"]] = seed.runs[chosen] if isinstance(chosen, int) else chosen
        response = client.get(_fill(path, seed, attempt_id), params=params)
        assert response.status_code == 200, (path, response.text)
        problems = conforms(spec, schema, response.json(), path)
        assert not problems, problems[:10]
    assert untyped == UNTYPED
    assert {"/api/runs/{run_id}/attempts", "/api/attempts/{attempt_id}", "/api/compare"} <= typed


def _route(spec: dict[str, Any], url: str) -> dict[str, Any]:
    """The GET operation of the spec's path template that `url` matches."""
    path = url.split("?")[0]
    for template, item in spec["paths"].items():
        pattern = re.sub(r"\{[^}]+\}", "[^/]+", template)
        if re.fullmatch(pattern, path) and "get" in item:
            found: dict[str, Any] = item["get"]
            return found
    raise AssertionError(f"no route for {url}")


def test_openapi_declares_every_error_a_route_answers(client: httpx.Client) -> None:
    """Each 4xx of `test_bad_requests_are_json_4xx` is documented on its route, in the
    error body's shape; every route that takes a path parameter declares its 404, and every
    route with parameters its 422."""
    spec = client.get("/openapi.json").json()
    for url, status in BAD_REQUESTS:
        responses = _route(spec, url)["responses"]
        assert str(status) in responses, url
        assert _json_schema(spec, responses[str(status)])["title"] == "ErrorBody", url
    for path, item in spec["paths"].items():
        get = item.get("get")
        if not path.startswith("/api/") or get is None:
            continue
        params = get.get("parameters", [])
        if any(p["in"] == "path" for p in params):
            assert "404" in get["responses"], path
        if params:
            assert "422" in get["responses"], path


def test_refusals_that_depend_on_what_is_stored_are_documented(
    seed_copy: Seed, tmp_path: Path
) -> None:
    """A suite file in the suite folder that does not load (404: it is not offered as a
    suite) and a labeler's name that is none (400) are answered as the schema says, in the
    error body's shape (found by schemathesis' undocumented-status check against a server
    with a suite folder)."""
    folder = tmp_path / "suites"
    folder.mkdir()
    (folder / "answers.jsonl").write_text('{"case_id": "a", "output": "1"}\n')  # no suite
    with (
        LiveServer(make_app(seed_copy.url, suite_dir=folder)) as live,
        httpx.Client(base_url=live.url, timeout=30) as c,
    ):
        spec = c.get("/openapi.json").json()
        for url, status in (
            # a file that does not load as a suite is no suite of the folder (server/suites.py)
            ("/api/suites/answers/cases", "404"),
            (f"/api/runs/{seed_copy.runs[0]}/labels?labeler=-2.8e%2B16", "400"),
        ):
            answer = c.get(url)
            assert str(answer.status_code) == status, (url, answer.text)
            responses = _route(spec, url)["responses"]
            assert status in responses, url
            assert _json_schema(spec, responses[status])["title"] == "ErrorBody", url


def test_no_response_discloses_the_database_url_or_a_server_path(
    seed_copy: Seed, tmp_path: Path
) -> None:
    import time

    from support.lab import auth

    folder = tmp_path / "private-suites"
    folder.mkdir()
    (folder / "arith.yaml").write_text(
        "name: arith\nscorers: [exact]\ncases:\n  - {id: a, input: '1+1', expected: '2'}\n"
    )
    (folder / "broken.yaml").write_text("cases: [unclosed\n")
    secrets = [str(seed_copy.db), str(seed_copy.db.parent), str(folder), "sqlite:///"]
    with (
        LiveServer(make_app(seed_copy.url, suite_dir=folder)) as live,
        httpx.Client(base_url=live.url, timeout=30) as c,
    ):
        launched = c.post(
            "/api/runs", json={"suites": ["arith"], "models": ["oracle"]}, headers=auth()
        )
        assert launched.status_code == 202, launched.text
        run = launched.json()["run_id"]
        deadline = time.monotonic() + 30
        while c.get(f"/api/runs/{run}").json()["status"] == "running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        attempt = c.get(f"/api/runs/{run}/attempts").json()["items"][0]["id"]
        broken = c.post(
            "/api/runs", json={"suites": ["broken"], "models": ["oracle"]}, headers=auth()
        )
        assert broken.status_code == 400
        answers = [broken] + [
            c.get(path)
            for path in (
                "/api/health",
                "/api/runs",
                f"/api/runs/{run}",
                f"/api/runs/{run}/attempts",
                f"/api/attempts/{attempt}",
                "/api/suites",
                "/api/suites/arith/cases",
                "/api/runs/nope",
                "/",
                "/runs",
                f"/runs/{run}",
                "/suites",
                "/suites/arith",
                "/suites/broken",
                "/launch",
                "/openapi.json",
            )
        ]
        for answer in answers:
            for secret in secrets:
                assert secret not in answer.text, (answer.request.url, secret)
        assert c.get("/api/health").json()["db"] == "sqlite"
