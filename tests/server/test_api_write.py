"""The admin write API over real HTTP: the key, the rate limit, imports and launches."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from benchlab.analysis.export import export_run
from benchlab.store import Store
from server.conftest import WriteEnv
from support.lab import ADMIN_KEY, Seed, auth, make_app
from support.live_server import LiveServer


def _document(seed: Seed, run_id: str) -> dict[str, Any]:
    out = io.StringIO()
    with Store(seed.url) as store:
        export_run(store, run_id, "json", out)
    doc: dict[str, Any] = json.loads(out.getvalue())
    return doc


def test_write_api_is_off_without_a_key(seed: Seed) -> None:
    with LiveServer(make_app(seed.url, admin_key="")) as live:
        response = httpx.post(f"{live.url}/api/runs", json={}, headers=auth())
        assert response.status_code == 403
        assert "BENCHLAB_ADMIN_KEY" in response.json()["error"]
        assert httpx.get(f"{live.url}/api/health").json()["write_api"] is False


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {ADMIN_KEY}"},
        {"Authorization": "Bearer"},
    ],
)
def test_wrong_or_missing_key_is_401(client: httpx.Client, headers: dict[str, str]) -> None:
    response = client.post("/api/results", content=b"{}", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_rate_limit_answers_429_with_retry_after(seed: Seed) -> None:
    with LiveServer(make_app(seed.url, rate_limit=3, rate_window=60)) as live:
        codes = [
            httpx.post(f"{live.url}/api/results", content=b"{}", headers=auth()).status_code
            for _ in range(4)
        ]
        assert codes == [422, 422, 422, 429]
        limited = httpx.post(f"{live.url}/api/results", content=b"{}", headers=auth())
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        # guessing keys is limited per client address too
        wrong = [
            httpx.post(f"{live.url}/api/results", headers=auth("guess")).status_code
            for _ in range(4)
        ]
        assert wrong == [401, 401, 401, 429]
        # reads are never limited
        assert httpx.get(f"{live.url}/api/health").status_code == 200


def test_rate_limit_window_slides(seed: Seed) -> None:
    with LiveServer(make_app(seed.url, rate_limit=1, rate_window=0.5)) as live:
        assert httpx.post(f"{live.url}/api/results", headers=auth()).status_code == 422
        assert httpx.post(f"{live.url}/api/results", headers=auth()).status_code == 429
        time.sleep(0.6)
        assert httpx.post(f"{live.url}/api/results", headers=auth()).status_code == 422


def test_import_is_validated_stored_and_idempotent(write_env: WriteEnv, seed: Seed) -> None:
    doc = _document(seed, seed.runs[1])
    doc["run"]["id"] = "imported-run-1"
    for a in doc["attempts"]:
        a["run_id"] = "imported-run-1"
        a["id"] = a["id"] // 2  # fresh ids: the originals are in this database already
    c = write_env.client
    first = c.post("/api/results", json=doc, headers=auth())
    assert first.status_code == 201, first.text
    assert first.json() == {"run_id": "imported-run-1", "created": True, "attempts": 36}
    again = c.post("/api/results", json=doc, headers=auth())
    assert again.status_code == 200 and again.json()["created"] is False
    spec = c.get("/openapi.json").json()
    answers = spec["paths"]["/api/results"]["post"]["responses"]
    for code in ("201", "200"):  # both bodies documented, with exactly the served fields
        ref = answers[code]["content"]["application/json"]["schema"]["$ref"]
        documented = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
        assert set(documented) == set(first.json()) == set(again.json())
    assert {"409", "413", "422"} <= set(answers)
    summary = c.get("/api/runs/imported-run-1").json()
    assert summary["status"] == "completed"
    rates = {m["model"]: m["pass_rate"] for m in summary["models"]}
    assert rates["replay/answers.jsonl"] == pytest.approx(2 / 4)  # 8 errors are not fails
    detail = c.get("/api/runs/imported-run-1/attempts", params={"q": "Sydney"}).json()
    attempt = c.get(f"/api/attempts/{detail['items'][0]['id']}").json()
    assert attempt["expected"] == "Canberra" and attempt["scores"][0]["explanation"]
    assert c.get("/api/runs").json()["total"] == 3


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda d: d.update(format="other/1"), "format"),
        (lambda d: d["run"].update(status="running"), "finished"),
        (lambda d: d["attempts"][0].update(run_id="elsewhere"), "run_id"),
        (lambda d: d["attempts"][0].update(suite="missing"), "suite"),
        (lambda d: d["attempts"].append(dict(d["attempts"][0])), "second attempt"),
        (lambda d: d["attempts"][0].update(sample="x"), "sample"),
        (lambda d: d.pop("run"), "run"),
    ],
)
def test_bad_documents_are_422_and_write_nothing(
    write_env: WriteEnv, seed: Seed, mutate: Callable[[dict[str, Any]], object], needle: str
) -> None:
    doc = _document(seed, seed.runs[0])
    doc["run"]["id"] = "bad-doc"
    for a in doc["attempts"]:
        a["run_id"] = "bad-doc"
    mutate(doc)
    response = write_env.client.post("/api/results", json=doc, headers=auth())
    assert response.status_code == 422, response.text
    assert needle in response.text
    assert write_env.client.get("/api/runs/bad-doc").status_code == 404


def test_not_json_is_422(write_env: WriteEnv) -> None:
    response = write_env.client.post("/api/results", content=b"\xff{", headers=auth())
    assert response.status_code == 422


def test_too_large_upload_is_413(seed: Seed) -> None:
    with LiveServer(make_app(seed.url, max_upload_bytes=100)) as live:
        response = httpx.post(f"{live.url}/api/results", content=b"x" * 1000, headers=auth())
        assert response.status_code == 413


def test_colliding_attempt_ids_are_409(write_env: WriteEnv, seed: Seed) -> None:
    doc = _document(seed, seed.runs[0])
    doc["run"]["id"] = "collides"
    for a in doc["attempts"]:
        a["run_id"] = "collides"
    response = write_env.client.post("/api/results", json=doc, headers=auth())
    assert response.status_code == 409
    assert write_env.client.get("/api/runs/collides").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({"suites": ["nope"], "models": ["oracle"]}, 400, "not launchable"),
        ({"suites": ["quickstart"], "models": ["nosuchprovider/x"]}, 400, "nosuchprovider"),
        ({"suites": ["quickstart"], "models": ["replay/../../etc/passwd"]}, 400, "replay"),
        ({"suites": ["/etc/passwd"], "models": ["oracle"]}, 400, "not launchable"),
        ({"suites": [], "models": ["oracle"]}, 422, "suites"),
        ({"suites": ["quickstart"], "models": ["oracle"], "limit": 0}, 422, "limit"),
        ({"suites": ["quickstart"], "models": ["oracle"], "extra": 1}, 422, "extra"),
    ],
)
def test_bad_launches_are_4xx(
    client: httpx.Client, body: dict[str, object], status: int, needle: str
) -> None:
    response = client.post("/api/runs", json=body, headers=auth())
    assert response.status_code == status, response.text
    assert needle in response.json()["error"]


def test_launch_runs_in_the_server_and_finishes(write_env: WriteEnv) -> None:
    c = write_env.client
    response = c.post(
        "/api/runs",
        json={"suites": ["quickstart"], "models": ["oracle", "echo"], "limit": 5, "seed": 3},
        headers=auth(),
    )
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["planned_total"] == 10
    spec = c.get("/openapi.json").json()
    launched = spec["paths"]["/api/runs"]["post"]["responses"]
    ref = launched["202"]["content"]["application/json"]["schema"]["$ref"]
    assert set(spec["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]) == set(body)
    assert {"400", "422"} <= set(launched)
    run_id = body["run_id"]
    deadline = time.monotonic() + 30
    while c.get(f"/api/runs/{run_id}").json()["status"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    summary = c.get(f"/api/runs/{run_id}").json()
    assert summary["status"] == "completed" and summary["done"] == 10
    assert summary["tags"]["source"] == "server"


def test_suite_dir_files_can_be_launched(seed: Seed, tmp_path: Path) -> None:
    (tmp_path / "mine.jsonl").write_text(
        json.dumps({"id": "one", "input": "Say hi", "expected": "hi", "scorers": ["contains"]})
        + "\n"
    )
    with LiveServer(make_app(f"sqlite:///{tmp_path}/x.db", suite_dir=tmp_path)) as live:
        names = {s["name"] for s in httpx.get(f"{live.url}/api/suites").json()["items"]}
        assert {"mine", "quickstart"} <= names
        cases = httpx.get(f"{live.url}/api/suites/mine/cases").json()
        assert cases["total"] == 1 and cases["items"][0]["id"] == "one"
        response = httpx.post(
            f"{live.url}/api/runs", json={"suites": ["mine"], "models": ["oracle"]}, headers=auth()
        )
        assert response.status_code == 202, response.text
