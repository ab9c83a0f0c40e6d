"""Every response carries the security headers; the pages hold to a CSP without inline script."""

from __future__ import annotations

import re

import httpx

from benchlab.server.security_headers import CSP
from server.conftest import WriteEnv
from support.browser import Watched
from support.lab import Seed
from support.live_server import LiveServer


def _pages(seed: Seed) -> list[str]:
    run = seed.runs[1]
    return [
        "/",
        "/runs",
        f"/runs/{run}",
        f"/runs/{run}/label",
        f"/compare?a={seed.runs[0]}&b={run}",
        "/suites",
        "/suites/quickstart",
        "/launch",
        "/runs/nope",  # an error page too
        "/api/runs",
        "/api/health",
        "/static/app.js",
        "/openapi.json",
    ]


def test_every_response_carries_the_security_headers(client: httpx.Client, seed: Seed) -> None:
    for path in _pages(seed):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        headers = response.headers
        assert headers["x-frame-options"] == "DENY", path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "same-origin", path
        parts = (p.strip().partition(" ") for p in headers["content-security-policy"].split(";"))
        policy = {name: value for name, _, value in parts}
        assert policy["script-src"] == "'self'", path  # no inline script, no eval, no CDN
        assert policy["frame-ancestors"] == "'none'", path
        assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'", path


def test_the_pages_carry_no_inline_script(client: httpx.Client, seed: Seed) -> None:

    for path in _pages(seed)[:9]:
        html = client.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), path  # onclick=, onload=, ...
        assert "javascript:" not in html, path


def test_the_api_docs_are_under_the_same_policy(client: httpx.Client) -> None:
    """/docs used to load Swagger UI from a CDN with an inline script and a looser policy."""
    docs = client.get("/docs")
    assert docs.headers["content-security-policy"] == CSP
    assert docs.headers["x-frame-options"] == "DENY"
    for tag in re.findall(r"<script\b[^>]*>", docs.text):
        assert 'src="/' in tag, tag  # from this server, never inline


def test_the_browser_enforces_the_policy_and_the_test_sees_a_violation(
    server: LiveServer, watched: Watched
) -> None:
    """An injected inline script does not run on a dashboard page, and the browser tests'
    watcher reports the violation (so every browser test fails on one)."""
    page = watched.page
    page.goto(server.url + "/runs")
    ran = page.evaluate(
        """() => new Promise((done) => {
            window.injected = false;
            const s = document.createElement("script");
            s.textContent = "window.injected = true";
            document.addEventListener("securitypolicyviolation", () => done(window.injected));
            document.body.append(s);
            setTimeout(() => done(window.injected), 2000);
        })"""
    )
    assert ran is False
    assert any("CSP violation: script-src" in e for e in watched.errors), watched.errors
    watched.errors.clear()


def test_the_dashboard_runs_under_the_policy(write_env: WriteEnv, watched: Watched) -> None:
    """Every page, charts and live parts included, loads with no CSP violation."""
    page, base = watched.page, write_env.server.url
    for path in _pages(write_env.seed)[:8]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    assert watched.errors == []
