"""The live WebSocket refuses pages of other sites (their browser sends their Origin)."""

from __future__ import annotations

from typing import Any

import pytest
from websockets.exceptions import InvalidStatus

from server.conftest import Seed
from support.lab import make_app
from support.live_server import LiveServer, finished_stream


def _first(url: str, origin: str | None) -> dict[str, Any]:
    return finished_stream(url, origin)[0]


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1.evil.example"],
)
def test_a_foreign_origin_is_refused_at_the_handshake(
    server: LiveServer, seed: Seed, origin: str
) -> None:
    with pytest.raises(InvalidStatus) as refused:
        _first(f"{server.ws_url}/api/runs/{seed.runs[0]}/events", origin)
    assert refused.value.response.status_code == 403
    assert b"snapshot" not in (refused.value.response.body or b"")


def test_the_server_s_own_pages_and_non_browsers_are_let_in(server: LiveServer, seed: Seed) -> None:
    url = f"{server.ws_url}/api/runs/{seed.runs[0]}/events"
    assert _first(url, server.url)["type"] == "snapshot"  # a page of the dashboard itself
    assert _first(url, None)["type"] == "snapshot"  # the CLI, a script: no Origin at all


def test_an_allowed_origin_is_let_in(seed: Seed) -> None:
    app = make_app(seed.url, allowed_origins=["https://dash.example.org"])
    with LiveServer(app) as live:
        url = f"{live.ws_url}/api/runs/{seed.runs[0]}/events"
        assert _first(url, "https://dash.example.org")["type"] == "snapshot"
        with pytest.raises(InvalidStatus):
            _first(url, "https://other.example.org")
