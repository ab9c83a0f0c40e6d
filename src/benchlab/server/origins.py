"""Whether a browser page may open the server's WebSocket: its `Origin` is the server's own.

Browsers do not apply the same-origin policy to WebSockets: any page the user
visits could open `ws://lab:8000/api/runs/ID/events` and read run progress
unless the server checks the `Origin` header the browser always sends. A
page of the server itself has an Origin whose host and port equal the request's
`Host`; others are allowed only when named in `Settings.allowed_origins`.
Clients that are not browsers (the CLI, scripts) send no Origin and are let in,
as for every other read of the API.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

__all__ = ["origin_allowed"]

_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _host_port(netloc: str, scheme: str) -> tuple[str, int] | None:
    try:
        parts = urlsplit(f"{scheme}://{netloc}")
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host:
        return None
    return host.lower(), port if port is not None else _PORTS.get(scheme, 80)


def origin_allowed(connection: HTTPConnection, allowed: list[str]) -> bool:
    origin = connection.headers.get("origin")
    if origin is None:
        return True
    if origin.rstrip("/") in {a.rstrip("/") for a in allowed}:
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https"):
        return False  # "null" (a sandboxed frame, a file://), or anything stranger
    host = connection.headers.get("host")
    if host is None:
        return False
    # the Host the browser addressed (behind a TLS proxy too: no port means the scheme's default)
    own = _host_port(host, parts.scheme)
    return own is not None and own == _host_port(parts.netloc, parts.scheme)
