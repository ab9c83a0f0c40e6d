"""The server's typed dependencies (server/deps.py): the one reader of `app.state`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.requests import HTTPConnection

import benchlab
from benchlab.server import create_app
from benchlab.server.deps import server_state
from benchlab.store import Store

PACKAGE = Path(benchlab.__file__).parent


def _reads_app_state(node: ast.AST) -> bool:
    """`<anything>.state.<name>`: an app's (or a request's) untyped state bag."""
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "state"
    )


def test_only_deps_reads_the_app_state() -> None:
    """Handlers name what they need (`store: StoreDep`); 33 untyped reads of
    `request.app.state` (and `benchlab serve`'s) and three copies of `store_of` were
    the alternative."""
    readers = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if any(_reads_app_state(n) for n in ast.walk(ast.parse(path.read_text())))
    }
    assert readers == {"server/deps.py"}


def test_a_connection_reaches_its_apps_state(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path}/deps.db", admin_key="k")
    state = server_state(HTTPConnection({"type": "http", "app": app}))
    assert isinstance(state.store, Store) and state.settings.write_enabled
    state.store.close()
    with pytest.raises(TypeError, match="create_app"):
        server_state(HTTPConnection({"type": "http", "app": FastAPI()}))
