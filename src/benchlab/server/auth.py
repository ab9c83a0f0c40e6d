"""The admin key and the rate limit that guard the write API.

The key is a bearer token compared in constant time (`hmac.compare_digest`)
so response timing leaks nothing about it. Without a configured key the write
API is off (403), rather than open. Each key — and each client address that
presents a wrong key, so guessing is slowed too — gets `limit` requests per
sliding window; past that, 429 with Retry-After in whole seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections import deque

from fastapi import HTTPException, Request

from benchlab.server.deps import server_state


class RateLimiter:
    """Sliding-window counts per caller, in memory (one server process)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, who: str, now: float | None = None) -> float | None:
        """Count a request; None if allowed, else seconds until the next one would be."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(who, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return hits[0] + self.window - now
            hits.append(now)
            return None


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _limited(limiter: RateLimiter, who: str) -> None:
    wait = limiter.check(who)
    if wait is not None:
        raise HTTPException(
            429,
            "rate limit exceeded for the admin API; retry later",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )


def require_admin(request: Request) -> None:
    """FastAPI dependency: a valid admin key within its rate limit, or an HTTP error."""
    state = server_state(request)
    settings, limiter = state.settings, state.rate_limiter
    if settings.admin_key is None:
        raise HTTPException(403, "the write API is off: start the server with BENCHLAB_ADMIN_KEY")
    token = _bearer(request)
    expected = settings.admin_key.encode()
    if token is None or not hmac.compare_digest(token.encode(), expected):
        client = request.client.host if request.client else "unknown"
        _limited(limiter, f"addr:{client}")
        raise HTTPException(
            401, "missing or wrong admin key", headers={"WWW-Authenticate": "Bearer"}
        )
    _limited(limiter, "key:" + hashlib.sha256(expected).hexdigest())
