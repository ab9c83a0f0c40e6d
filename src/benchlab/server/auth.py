"""Who a write request comes from: the admin key, the label keys, and the rate limits on both.

Keys are bearer tokens compared in constant time (`hmac.compare_digest`), each
against every configured key, so timing says nothing about which one matched.
Without a configured key a write route is off (403), rather than open.

Two budgets, each named in its 429 so a client knows which one it hit:

- a *wrong key* (or none) counts against the client address that sent it
  (`wrong_key_limit` per window), so guessing is slow; it never counts against
  a key, so someone else's guessing cannot lock a key holder out, and reads
  are never limited at all;
- a *right key* counts against that key (the admin key: `rate_limit` per
  window) or, for labeling, against the key and the client together.

`authenticate` is called by the write guard (server/write_guard.py) before the
request body is read; it leaves the `Caller` in the request's scope, where
the routes' dependencies (`require_admin`, `require_labeler`) find it, so a
request is counted once.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Literal

from fastapi import HTTPException
from starlette.requests import HTTPConnection

from benchlab.server.deps import server_state

__all__ = [
    "LABELS_PER_MINUTE",
    "LABEL_KEY_ENV",
    "Caller",
    "RateLimiter",
    "authenticate",
    "bearer",
    "require_admin",
    "require_labeler",
]

LABEL_KEY_ENV = "BENCHLAB_LABEL_KEY"
LABELS_PER_MINUTE = 600  # per key and client address: one every 0.1 s, beyond any human
Need = Literal["admin", "label"]
_SCOPE_KEY = "benchlab.caller"


@dataclass(frozen=True)
class Caller:
    """A request's verified key: the admin's, the shared label key, or one labeler's own."""

    role: Literal["admin", "label", "labeler"]
    labeler: str | None = None  # role "labeler": the only name this key may label as


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
            if len(self._hits) > 10_000:  # a flood from many addresses: forget the idle ones
                horizon = now - self.window
                self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > horizon}
            hits = self._hits.setdefault(who, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return hits[0] + self.window - now
            hits.append(now)
            return None


def bearer(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _limited(limiter: RateLimiter, who: str, what: str) -> None:
    wait = limiter.check(who)
    if wait is not None:
        seconds = max(1, math.ceil(wait))
        raise HTTPException(
            429,
            f"{what}: at most {limiter.limit} per {limiter.window:g} s; retry in {seconds} s",
            headers={"Retry-After": str(seconds)},
        )


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def authenticate(connection: HTTPConnection, need: Need) -> Caller:
    """The caller a write request's key names, within its budget, or an HTTP error (403 off,
    401 missing or wrong, 429 over a limit). Reads headers only, never the body."""
    state = connection.scope.setdefault("state", {})
    known = state.get(_SCOPE_KEY)
    if isinstance(known, Caller) and (need == "label" or known.role == "admin"):
        return known
    server = server_state(connection)
    settings = server.settings
    keys: list[tuple[str, Caller]] = []
    if settings.admin_key:
        keys.append((settings.admin_key, Caller("admin")))
    if need == "label":
        shared = settings.env.get(LABEL_KEY_ENV)
        if shared:
            keys.append((shared, Caller("label")))
        for name, key in (settings.labeler_keys or {}).items():
            keys.append((key, Caller("labeler", name)))
    if not keys:
        if need == "admin":
            raise HTTPException(
                403, "the write API is off: start the server with BENCHLAB_ADMIN_KEY"
            )
        raise HTTPException(
            403,
            f"labeling is off: start the server with {LABEL_KEY_ENV} (labeling only), "
            "BENCHLAB_LABELER_KEYS (one key per labeler) or BENCHLAB_ADMIN_KEY",
        )
    token = bearer(connection)
    presented = (token or "").encode()
    # compare against every key (no early exit), so timing says nothing about which matched
    matched = [caller for key, caller in keys if hmac.compare_digest(presented, key.encode())]
    client = connection.client.host if connection.client else "unknown"
    if token is None or not matched:
        _limited(server.rate_limiter, f"addr:{client}", f"too many wrong keys from {client}")
        wanted = "the admin key" if need == "admin" else f"a label key ({LABEL_KEY_ENV}, ...)"
        raise HTTPException(
            401,
            f"missing or wrong key: send {wanted} as a bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    caller = matched[0]
    if need == "admin":
        _limited(server.admin_limiter, "key:" + _digest(token), "the admin key's request limit")
    else:
        _limited(
            server.label_limiter,
            f"label:{client}:{_digest(token)}",
            "the labeling limit of this key from this client",
        )
    state[_SCOPE_KEY] = caller
    return caller


def require_admin(connection: HTTPConnection) -> Caller:
    """FastAPI dependency: a valid admin key within its rate limit, or an HTTP error."""
    return authenticate(connection, "admin")


def require_labeler(connection: HTTPConnection) -> Caller:
    """FastAPI dependency: a label key (shared or a labeler's own) or the admin key."""
    return authenticate(connection, "label")
