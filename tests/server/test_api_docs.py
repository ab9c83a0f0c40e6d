"""/docs: Swagger UI from its wheel, working offline under the dashboard's strict policy."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Request, expect

from support.browser import Watched
from support.live_server import LiveServer


def test_the_bundle_is_served_gzipped_and_only_what_the_page_needs(client: httpx.Client) -> None:
    packed = client.get("/docs/assets/swagger-ui-bundle.js", headers={"Accept-Encoding": "gzip"})
    assert packed.status_code == 200 and packed.headers["content-encoding"] == "gzip"
    raw = client.get("/docs/assets/swagger-ui-bundle.js", headers={"Accept-Encoding": "identity"})
    assert "SwaggerUIBundle" in raw.text
    assert int(packed.headers["content-length"]) < len(raw.content) / 2
    assert packed.content == raw.content  # httpx unpacks it
    assert client.get("/docs/assets/swagger-ui.css").headers["content-type"].startswith("text/css")
    for name in ("index.html", "swagger-editor.js", "..%2Fcore.py", "oauth2-redirect.html"):
        assert client.get(f"/docs/assets/{name}").status_code == 404, name


@pytest.mark.slow
def test_the_reference_renders_every_route_offline(server: LiveServer, watched: Watched) -> None:
    """FastAPI's /docs was blank without internet (its CDN) and needed inline script; this
    one renders the schema's operations and runs one, asking nothing of another host, and
    the watcher fails the test on any console error or CSP violation."""
    page = watched.page
    elsewhere: list[str] = []

    def note(request: Request) -> None:
        if not request.url.startswith(server.url):
            elsewhere.append(request.url)

    page.on("request", note)
    page.goto(server.url + "/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    spec = httpx.get(server.url + "/openapi.json").json()
    operations = sum(len(item) for item in spec["paths"].values())
    expect(page.locator(".opblock")).to_have_count(operations)
    health = page.locator(".opblock", has_text="/api/health")
    health.locator(".opblock-summary").click()
    health.locator("button.try-out__btn").click()
    health.locator("button.execute").click()
    expect(health.locator(".live-responses-table")).to_contain_text('"status": "ok"')
    assert elsewhere == []
    watched.shot("api-docs")
