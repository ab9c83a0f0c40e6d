"""`GET /api/attempts/{id}/artifacts/{name}` over real HTTP: files served, nothing else.

The artifacts are written the way `benchlab show RUN --attempt CASE` writes
them, into the folder beside a copy of the seeded database. Traversal attempts
go out through `http.client`, which sends the path byte for byte (httpx and
browsers would resolve `..` before sending).
"""

from __future__ import annotations

import http.client
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import expect

from benchlab import api
from support.browser import Watched
from support.lab import Seed, make_app
from support.live_server import LiveServer


@dataclass
class Served:
    url: str
    folder: Path  # the oracle attempt's artifacts folder
    attempt_id: str
    bare_attempt_id: str  # an attempt of the same run without artifacts


@pytest.fixture
def served(seed_copy: Seed) -> Iterator[Served]:
    run = seed_copy.runs[1]
    (shown,) = api.show_attempt(run, "capital-australia", db=seed_copy.url, model="oracle")
    (bare,) = api.show_attempt(run, "capital-australia", db=seed_copy.url, model="echo")
    # show_attempt wrote the echo attempt's files too: empty that folder again.
    for path in Path(bare["folder"]).iterdir():
        path.unlink()
    with LiveServer(make_app(seed_copy.url)) as live:
        yield Served(live.url, Path(shown["folder"]), shown["attempt_id"], bare["attempt_id"])


def _raw_get(base: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """GET a path exactly as written (no dot-segment removal, no re-encoding)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_each_listed_artifact_is_served_as_text(served: Served) -> None:
    with httpx.Client(base_url=served.url, timeout=10) as client:
        listed = client.get(f"/api/attempts/{served.attempt_id}").json()["artifacts"]
        assert listed == ["prompt.txt", "response.txt", "stderr.log", "stdout.log"]
        for name in listed:
            response = client.get(f"/api/attempts/{served.attempt_id}/artifacts/{name}")
            assert response.status_code == 200, name
            assert response.headers["content-type"] == "text/plain; charset=utf-8"
            assert response.headers["content-disposition"] == f'inline; filename="{name}"'
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.content == (served.folder / name).read_bytes()
        answer = client.get(f"/api/attempts/{served.attempt_id}/artifacts/response.txt")
        assert answer.text == "Canberra"
        saved = client.get(
            f"/api/attempts/{served.attempt_id}/artifacts/prompt.txt", params={"download": 1}
        )
        assert saved.headers["content-disposition"] == 'attachment; filename="prompt.txt"'
        assert "Canberra" not in saved.text and "capital" in saved.text.lower()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/attempts/{id}/artifacts/nope.txt", 404),
        ("/api/attempts/{bare}/artifacts/prompt.txt", 404),
        ("/api/attempts/1/artifacts/prompt.txt", 404),
        ("/api/attempts/abc/artifacts/prompt.txt", 422),
        ("/api/attempts/{id}/artifacts/..", 404),
        ("/api/attempts/{id}/artifacts/.", 404),
        ("/api/attempts/{id}/artifacts/%2e%2e", 404),
        ("/api/attempts/{id}/artifacts/..%2F..%2F..%2Flab.db", 404),
        ("/api/attempts/{id}/artifacts/..%5C..%5C..%5Clab.db", 404),
        ("/api/attempts/{id}/artifacts/%2Fetc%2Fpasswd", 404),
        ("/api/attempts/{id}/artifacts/prompt.txt%00.log", 404),
        ("/api/attempts/{id}/artifacts/../../../lab.db", 404),
        ("/api/attempts/{id}/artifacts/../{bare}/prompt.txt", 404),
        ("/api/attempts/{id}/artifacts/outside.txt", 404),
        ("/api/attempts/{id}/artifacts/link.txt", 404),
    ],
)
def test_unknown_names_and_traversal_are_json_404s(served: Served, path: str, status: int) -> None:
    (served.folder.parent / "outside.txt").write_text("one level up: never served")
    os.symlink(served.folder.parent.parent.parent / "lab.db", served.folder / "link.txt")
    code, headers, body = _raw_get(
        served.url, path.format(id=served.attempt_id, bare=served.bare_attempt_id)
    )
    assert code == status
    assert headers["content-type"] == "application/json"
    answer = json.loads(body)
    assert answer["status"] == status and answer["error"]
    assert b"SQLite" not in body and b"never served" not in body


def test_artifact_route_is_in_the_openapi_schema(served: Served) -> None:
    paths = httpx.get(f"{served.url}/openapi.json").json()["paths"]
    assert "/api/attempts/{attempt_id}/artifacts/{name}" in paths


@pytest.mark.slow
def test_the_attempt_panel_links_each_artifact(served: Served, watched: Watched) -> None:
    page = watched.page
    run = httpx.get(f"{served.url}/api/attempts/{served.attempt_id}").json()["run_id"]
    page.goto(f"{served.url}/runs/{run}#attempt-{served.attempt_id}")
    links = page.locator("#attempt-panel ul.artifacts a[target=_blank]")
    expect(links).to_have_count(4)
    links.first.scroll_into_view_if_needed()
    page.screenshot(path=str(watched.shots / "artifacts.png"))  # the panel is fixed
    for index in range(4):
        link = links.nth(index)
        name = link.inner_text()
        href = link.get_attribute("href")
        assert href == f"/api/attempts/{served.attempt_id}/artifacts/{name}"
        answer = page.request.get(served.url + href)
        assert answer.status == 200 and answer.body() == (served.folder / name).read_bytes()
    saver = page.locator("#attempt-panel ul.artifacts a[download='stdout.log']")
    saved = page.request.get(served.url + (saver.get_attribute("href") or ""))
    assert saved.headers["content-disposition"] == 'attachment; filename="stdout.log"'
    with page.context.expect_page() as opened:
        page.click("#attempt-panel ul.artifacts a:text-is('response.txt')")
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.locator("body").inner_text().strip() == "Canberra"
    tab.close()
