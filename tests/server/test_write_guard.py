"""Keys and body caps are checked before a write route reads its body, over a raw socket.

A raw socket shows what the server reads: a request that declares a 200 MB body
but sends none is answered at once (the server needed none of it), and a
chunked body that never ends is cut off near the cap while the process' memory
stays flat.
"""

from __future__ import annotations

import json
import re
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from server.conftest import Seed
from support.lab import ADMIN_KEY, make_app
from support.live_server import LiveServer

HUGE = 200 * 1024 * 1024
CAP = 64 * 1024


@pytest.fixture(scope="module")
def guarded(seed: Seed) -> Iterator[LiveServer]:
    env = {"BENCHLAB_LABEL_KEY": "label-key"}
    app = make_app(
        seed.url, env=env, max_body_bytes=CAP, max_upload_bytes=4 * CAP, wrong_key_limit=1000
    )
    with LiveServer(app) as live:
        yield live


def _open(live: LiveServer) -> socket.socket:
    parts = urlsplit(live.url)
    sock = socket.create_connection((parts.hostname or "", parts.port or 80), timeout=10)
    return sock


def _head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _response(sock: socket.socket, timeout: float = 10.0) -> tuple[int, dict[str, object]]:
    """The status and JSON body of the answer (the server closes after it)."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    parsed: dict[str, object] = json.loads(body)
    return status, parsed


def _write_routes(seed: Seed) -> list[tuple[str, str]]:
    run = seed.runs[1]
    return [
        ("POST", "/api/runs"),
        ("POST", "/api/results"),
        ("POST", f"/api/runs/{run}/labels"),
        ("DELETE", f"/api/runs/{run}/labels/1?labeler=ana"),
    ]


def test_every_write_operation_of_the_schema_is_guarded(guarded: LiveServer) -> None:
    """Not only the routes listed here: each operation the schema documents that is not a
    read answers 401 to a keyless request that declares a huge body and sends none."""
    import httpx

    spec = httpx.get(f"{guarded.url}/openapi.json").json()
    writes = [
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path))
        for path, item in spec["paths"].items()
        for method in item
        if method not in ("get", "head", "options")
    ]
    assert len(writes) >= 4
    for method, path in writes:
        with _open(guarded) as sock:
            sock.sendall(_head(method, path, {"Content-Length": str(HUGE)}))
            status, _ = _response(sock)
        assert status == 401, (method, path)


@pytest.mark.parametrize("route", range(4))
@pytest.mark.parametrize("key", [None, "wrong"])
def test_no_key_is_refused_before_a_byte_of_the_body_is_sent(
    guarded: LiveServer, seed: Seed, route: int, key: str | None
) -> None:
    method, path = _write_routes(seed)[route]
    headers = {"Content-Type": "application/json", "Content-Length": str(HUGE)}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    with _open(guarded) as sock:
        sock.sendall(_head(method, path, headers))  # the 200 MB body is never sent
        status, body = _response(sock)
    assert status == 401
    assert body["status"] == 401 and "key" in str(body["error"])


@pytest.mark.parametrize("route", range(4))
def test_a_declared_body_past_the_cap_is_413_before_it_is_sent(
    guarded: LiveServer, seed: Seed, route: int
) -> None:
    method, path = _write_routes(seed)[route]
    key = "label-key" if "labels" in path else ADMIN_KEY
    headers = {
        "Content-Type": "application/json",
        "Content-Length": str(HUGE),
        "Authorization": f"Bearer {key}",
    }
    with _open(guarded) as sock:
        sock.sendall(_head(method, path, headers))
        status, body = _response(sock)
    assert status == 413
    cap = 4 * CAP if path == "/api/results" else CAP
    assert body == {"error": f"request body larger than {cap} bytes", "status": 413}


def _rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


@pytest.mark.parametrize("path", ["/api/runs", "/api/results"])
def test_a_chunked_body_is_cut_off_at_the_cap_and_memory_stays_flat(
    guarded: LiveServer, path: str
) -> None:
    total = 96 * 1024 * 1024
    piece = b"[" + b" " * (64 * 1024 - 2) + b"]"
    chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    headers = {
        "Content-Type": "application/json",
        "Transfer-Encoding": "chunked",
        "Authorization": f"Bearer {ADMIN_KEY}",
    }
    before = peak = _rss()
    sent = 0
    with _open(guarded) as sock:
        sock.sendall(_head("POST", path, headers))
        started = time.monotonic()
        while sent < total and time.monotonic() - started < 60:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break  # the server has answered
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
            if sent % (4 * 1024 * 1024) == 0:
                peak = max(peak, _rss())
        status, body = _response(sock)
    assert status == 413, body
    # the server read at most the cap and what the sockets' buffers held, never the 96 MB
    assert sent < 32 * 1024 * 1024
    assert peak - before < 32 * 1024 * 1024


def test_bodies_within_the_caps_still_work(guarded: LiveServer) -> None:
    import httpx

    launch = {"suites": ["nope"], "models": ["oracle"]}
    response = httpx.post(
        f"{guarded.url}/api/runs", json=launch, headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    )
    assert response.status_code == 400 and "not launchable" in response.json()["error"]
    # a GET with a body is bounded too, and a read needs no key
    big = httpx.request("GET", f"{guarded.url}/api/runs", content=b"x" * (2 * CAP))
    assert big.status_code == 413
    assert httpx.get(f"{guarded.url}/api/runs").status_code == 200
