"""The two budgets of the write API over real HTTP, from two client addresses: wrong keys
are limited per address, right keys per key, and neither locks out reads or other clients."""

from __future__ import annotations

import httpx

from server.conftest import Seed
from support.lab import auth, make_app
from support.live_server import LiveServer


def _client(live: LiveServer, address: str) -> httpx.Client:
    """A client whose connections leave from `address` (any 127.x.y.z is this machine)."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=live.url, transport=transport, timeout=30)


def test_a_flood_of_wrong_keys_locks_out_only_its_own_address(seed: Seed) -> None:
    with (
        LiveServer(make_app(seed.url, rate_limit=3, wrong_key_limit=5, rate_window=60)) as live,
        _client(live, "127.0.0.1") as guesser,
        _client(live, "127.0.0.2") as colleague,
    ):
        codes = [
            guesser.post("/api/results", content=b"{}", headers=auth(f"guess-{i}")).status_code
            for i in range(8)
        ]
        assert codes == [401] * 5 + [429] * 3
        limited = guesser.post("/api/runs", json={}, headers=auth("guess"))
        assert limited.status_code == 429
        assert "too many wrong keys from 127.0.0.1" in limited.json()["error"]
        assert "at most 5 per 60 s" in limited.json()["error"]
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        # reads stay open, for the guesser too
        assert guesser.get("/api/runs").status_code == 200
        assert guesser.get("/").status_code == 200
        # another client guessing is told 401, not punished for the flood
        assert colleague.post("/api/results", headers=auth("typo")).status_code == 401
        # the right key works from either address: its budget is the key's own
        assert guesser.post("/api/results", content=b"{}", headers=auth()).status_code == 422
        assert colleague.post("/api/results", content=b"{}", headers=auth()).status_code == 422
        assert colleague.post("/api/results", content=b"{}", headers=auth()).status_code == 422
        spent = colleague.post("/api/results", content=b"{}", headers=auth())
        assert spent.status_code == 429
        assert "the admin key's request limit: at most 3 per 60 s" in spent.json()["error"]
