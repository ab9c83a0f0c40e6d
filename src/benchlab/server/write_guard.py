"""The ASGI layer that checks a write request's key and size before its body is read.

FastAPI reads and parses a route's body before it runs the route's
dependencies, so a key check written as a dependency comes too late: an
anonymous client could make the server swallow a 200 MB body just to be told
401. This middleware sits in front of the routes and sees only the method,
the path and the headers first:

1. a request that needs a key (any API request but a read: `rule_for`) is
   authenticated here, from the headers alone (auth.py), and refused
   (401/403/429) without a byte of its body read;
2. a body declared larger than the route's cap (`Content-Length`) is refused
   with 413 at once;
3. a body without a length (chunked) is counted as it streams, and the request
   is answered 413 as soon as the count passes the cap, so the server never
   holds more than the cap plus one chunk of it.

Caps: `max_upload_bytes` for POST /api/results (a whole exported run),
`max_body_bytes` for every other request. The routes still depend on
`require_admin` / `require_labeler`, which find the caller this layer
verified in the request's scope (so a request is counted against its limit
once) and hand it to the handler (a labeler's key names its labeler).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import HTTPException
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from benchlab.server.auth import Need, authenticate
from benchlab.server.errors import error_response

__all__ = ["BodyTooLarge", "GuardRule", "WriteGuard", "rule_for"]


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes its cap (the app answers 413)."""

    def __init__(self, limit: int) -> None:
        # close after answering: the rest of the body is not worth reading off the socket
        super().__init__(
            413, f"request body larger than {limit} bytes", headers={"Connection": "close"}
        )


_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_LABELS = re.compile(r"^/api/runs/[^/]+/labels(?:/[^/]+)?/?$")
_REVIEWS = re.compile(r"^/api/review/[^/]+/?$")  # a reviewer's verdict (page_review.py)
_UPLOADS = frozenset({"/api/results"})


@dataclass(frozen=True)
class GuardRule:
    """What one request needs before its body may be read."""

    need: Need | None  # a key (admin, or one that may label), or none (a read)
    limit: int  # bytes of body it may send


def rule_for(method: str, path: str, body_limit: int, upload_limit: int) -> GuardRule:
    """Deny by default: every request that may change something (any method but GET, HEAD,
    OPTIONS) under /api needs the admin key, except writing and withdrawing labels and
    reviewing a production suite's cases, which a label key may do; so a write route added
    later is guarded without being listed here.
    (tests/server/test_write_guard.py holds every write operation of the schema to this.)"""
    limit = upload_limit if path in _UPLOADS else body_limit
    if method in _SAFE or not (path == "/api" or path.startswith("/api/")):
        return GuardRule(None, limit)
    labeling = _LABELS.match(path) or _REVIEWS.match(path)
    return GuardRule("label" if labeling else "admin", limit)


class WriteGuard:
    """Pure ASGI middleware (see the module's docstring); what it asks for: `rule_for`."""

    def __init__(self, app: ASGIApp, body_limit: int, upload_limit: int) -> None:
        self.app = app
        self.body_limit = body_limit
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rule = rule_for(scope["method"], scope["path"], self.body_limit, self.upload_limit)
        limit = rule.limit
        if rule.need is not None:
            try:
                authenticate(HTTPConnection(scope), rule.need)
            except HTTPException as exc:
                await _refuse(scope, receive, send, exc.status_code, str(exc.detail), exc.headers)
                return
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, receive, send, 413, f"request body larger than {limit} bytes")
            return
        await self.app(scope, _counting(receive, limit), send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


def _counting(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return counted


async def _refuse(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    message: str,
    headers: Mapping[str, str] | None = None,
) -> None:
    # Connection: close, so the server does not wait to read the unread body off the socket.
    response = error_response(status, message, headers={**(headers or {}), "Connection": "close"})
    await response(scope, receive, send)
