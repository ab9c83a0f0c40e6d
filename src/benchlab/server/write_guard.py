"""The ASGI layer that checks a write request's key and size before its body is read.

FastAPI reads and parses a route's body before it runs the route's
dependencies, so a key check written as a dependency comes too late: an
anonymous client could make the server swallow a 200 MB body just to be told
401. This middleware sits in front of the routes and sees only the method,
the path and the headers first:

1. a route that needs a key (it depends on `require_admin` or `require_labeler`)
   is authenticated here, from the headers alone (auth.py), and refused
   (401/403/429) without a byte of its body read;
2. a body declared larger than the route's cap (`Content-Length`) is refused
   with 413 at once;
3. a body without a length (chunked) is counted as it streams, and the request
   is answered 413 as soon as the count passes the cap, so the server never
   holds more than the cap plus one chunk of it.

Caps: `max_upload_bytes` for the routes that take an exported run,
`max_body_bytes` for every other request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from benchlab.server.auth import Need, authenticate, require_admin, require_labeler
from benchlab.server.errors import error_response

__all__ = ["BodyTooLarge", "GuardRule", "WriteGuard", "guard_rules"]


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes its cap (the app answers 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes")


@dataclass(frozen=True)
class GuardRule:
    """What one route needs before its body may be read."""

    methods: frozenset[str]
    path: re.Pattern[str]
    need: Need | None
    limit: int


def _calls(dependant: Dependant) -> Iterable[Callable[..., Any] | None]:
    yield dependant.call
    for sub in dependant.dependencies:
        yield from _calls(sub)


def guard_rules(
    app: FastAPI, body_limit: int, upload_limit: int, uploads: Iterable[Callable[..., Any]]
) -> list[GuardRule]:
    """A rule for every API route that takes a key or a large body, read off the routes
    themselves (their dependencies), so a new write route cannot be left unguarded."""
    large = set(uploads)
    rules = []
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        calls = set(_calls(route.dependant))
        need: Need | None = (
            "admin" if require_admin in calls else "label" if require_labeler in calls else None
        )
        limit = upload_limit if route.endpoint in large else body_limit
        if need is None and limit == body_limit:
            continue
        rules.append(GuardRule(frozenset(route.methods or ()), route.path_regex, need, limit))
    return rules


class WriteGuard:
    """Pure ASGI middleware (see the module's docstring); `rules` from `guard_rules`."""

    def __init__(self, app: ASGIApp, rules: Callable[[], list[GuardRule]], body_limit: int) -> None:
        self.app = app
        self._rules = rules
        self._cached: list[GuardRule] | None = None
        self.body_limit = body_limit

    def _rule(self, scope: Scope) -> GuardRule | None:
        if self._cached is None:
            self._cached = self._rules()
        method, path = scope["method"], scope["path"]
        for rule in self._cached:
            if method in rule.methods and rule.path.match(path):
                return rule
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rule = self._rule(scope)
        limit = rule.limit if rule is not None else self.body_limit
        if rule is not None and rule.need is not None:
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
