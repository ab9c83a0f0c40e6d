"""Every error leaves as JSON `{"error": message, "status": code}`, and bad input is never a 500.

User mistakes already have types (`UserError`, `NotFound`); they map to 400
and 404 here. Request validation failures become 422 with pydantic's list of
problems. Values that reach the database driver but cannot be stored (numbers
past 64 bits, lone surrogates) are bad input too, so they map to 400.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import HTTPConnection
from starlette.routing import Match
from starlette.types import Scope

from benchlab.errors import NotFound, UserError, api_text
from benchlab.server.deps import server_state

__all__ = [
    "ErrorBody",
    "Problem",
    "error_response",
    "error_responses",
    "install",
    "redact",
    "redact_value",
]


class Problem(BaseModel):
    loc: list[str | int] = Field(description="where in the request: query, path, body, ...")
    msg: str


class ErrorBody(BaseModel):
    """What every error response carries (the OpenAPI schema names it for 400/404/422)."""

    error: str = Field(description="what went wrong, for a person")
    status: int = Field(description="the HTTP status again")
    problems: list[Problem] | None = Field(
        default=None, description="422 only: every invalid parameter"
    )


def error_responses(described: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status it may answer (400, 404) with why, in the
    error body's shape; 422 (an invalid parameter) is always one, in our shape rather
    than FastAPI's default (`detail`), since `install` below answers it so."""
    out: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorBody, "description": text} for code, text in described.items()
    }
    out[422] = {"model": ErrorBody, "description": "a parameter is invalid (see `problems`)"}
    return out


def error_response(status: int, message: str, **extra: Any) -> JSONResponse:
    headers = extra.pop("headers", None)
    return JSONResponse(
        {"error": message, "status": status, **jsonable_encoder(extra)},
        status_code=status,
        headers=headers,
    )


def _private_folders(connection: HTTPConnection) -> list[str]:
    state = server_state(connection)
    settings = state.settings
    found: list[Path] = [Path(__file__).parents[1]]  # the package: built-in suites live there
    url = urlsplit(state.store.url)
    if url.scheme.startswith("sqlite") and url.path not in ("", "/", "/:memory:"):
        found.append(Path(unquote(url.path[1:])).parent)
    if settings.suite_dir is not None:
        found.append(settings.suite_dir)
    if settings.schedules is not None:
        found.append(settings.schedules.parent)
    names = {str(p) for p in found} | {str(p.resolve()) for p in found}
    names |= {os.path.abspath(n) for n in names}
    return sorted((n for n in names if n not in ("", "/", ".")), key=len, reverse=True)


def redact(connection: HTTPConnection, text: str) -> str:
    """`text` without the database's URL and the server's private folders: a file under one
    keeps its own name."""
    store = server_state(connection).store
    for url in sorted({store.url, store.display_url}, key=len, reverse=True):
        text = text.replace(url, "the database")
    for folder in _private_folders(connection):
        text = text.replace(folder + os.sep, "").replace(folder, "…")
    return text


def redact_value(connection: HTTPConnection, value: Any) -> Any:
    """`redact` applied to every string in a JSON-like value (a run's config)."""
    if isinstance(value, str):
        return redact(connection, value)
    if isinstance(value, list):
        return [redact_value(connection, v) for v in value]
    if isinstance(value, dict):
        return {k: redact_value(connection, v) for k, v in value.items()}
    return value


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed(app: FastAPI, scope: Scope) -> str:
    """Every method the path takes. Starlette's 405 names only the first route that matched
    the path (`Allow: GET` for /api/runs, which also takes POST): the others are routes of
    their own, often in another router, so each method is tried against every route."""
    methods = {
        method
        for method in _METHODS
        for route in app.router.routes
        if route.matches({**scope, "method": method})[0] == Match.FULL
    }
    return ", ".join(m for m in _METHODS if m in methods)


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        headers = exc.headers
        if exc.status_code == 405 and (allow := _allowed(app, request.scope)):
            headers = {**(headers or {}), "Allow": allow}
        return error_response(exc.status_code, message, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        first = problems[0] if problems else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"])
        return error_response(422, f"{where}: {first['msg']}", problems=problems)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
        return error_response(404, redact(request, str(exc)))

    @app.exception_handler(UserError)
    async def _user(request: Request, exc: UserError) -> JSONResponse:
        return error_response(400, redact(request, api_text(exc)))  # `judge_model`, not a flag

    @app.exception_handler(OverflowError)
    async def _overflow(_: Request, exc: OverflowError) -> JSONResponse:
        return error_response(400, f"value out of range: {exc}")

    @app.exception_handler(UnicodeError)
    async def _unicode(_: Request, exc: UnicodeError) -> JSONResponse:
        return error_response(400, "text is not valid Unicode")
