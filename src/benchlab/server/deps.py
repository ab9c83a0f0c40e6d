"""What a handler needs from its server, as typed FastAPI dependencies (`store: StoreDep`).

`create_app` builds one `ServerState` and attaches it to the app; this module is
the only reader of `app.state`, so a handler names what it uses in its
signature (FastAPI's `Annotated[..., Depends(...)]` shape) and mypy checks it,
instead of reaching into an untyped `request.app.state`. HTTP handlers and
WebSockets alike get it through their connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, FastAPI
from starlette.requests import HTTPConnection

from benchlab.server.budget_watch import BudgetWatch
from benchlab.server.launcher import Launcher
from benchlab.server.settings import Settings
from benchlab.store import Store

if TYPE_CHECKING:  # they read the state through this module
    from benchlab.server.auth import RateLimiter
    from benchlab.server.schedules import Scheduler

__all__ = [
    "BudgetDep",
    "LauncherDep",
    "ServerState",
    "SettingsDep",
    "StoreDep",
    "attach",
    "server_state",
    "state_of",
]


@dataclass
class ServerState:
    """Everything one server instance shares between requests."""

    settings: Settings
    store: Store  # one connection pool per app
    launcher: Launcher  # runs started from the browser or the write API
    scheduler: Scheduler | None  # `serve --schedules FILE`, else None
    rate_limiter: RateLimiter  # wrong (or missing) keys per client address
    admin_limiter: RateLimiter  # admin requests per admin key
    label_limiter: RateLimiter  # labels per key and client address
    budget: BudgetWatch  # the monthly budget and its alerts (server/budget_watch.py)


def attach(app: FastAPI, state: ServerState) -> None:
    app.state.benchlab = state


def state_of(app: FastAPI) -> ServerState:
    """What `create_app` attached to `app` (`benchlab serve` announces its store from it)."""
    state = getattr(app.state, "benchlab", None)
    if not isinstance(state, ServerState):  # only create_app builds apps with routes
        raise TypeError("the app has no ServerState: build it with create_app")
    return state


def server_state(connection: HTTPConnection) -> ServerState:
    """The state of the app serving this request (or WebSocket)."""
    return state_of(connection.app)


def _store(connection: HTTPConnection) -> Store:
    return server_state(connection).store


def _settings(connection: HTTPConnection) -> Settings:
    return server_state(connection).settings


def _launcher(connection: HTTPConnection) -> Launcher:
    return server_state(connection).launcher


def _budget(connection: HTTPConnection) -> BudgetWatch:
    return server_state(connection).budget


StoreDep = Annotated[Store, Depends(_store)]
BudgetDep = Annotated[BudgetWatch, Depends(_budget)]
SettingsDep = Annotated[Settings, Depends(_settings)]
LauncherDep = Annotated[Launcher, Depends(_launcher)]
