"""The error answers every route shares (server/errors.py), over real HTTP."""

from __future__ import annotations

import httpx
import pytest


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/api/runs", "GET, POST"),  # the list and the launch are routes of two routers
        ("/api/runs/some-run/labels", "GET, POST"),
        ("/api/results", "POST"),
        ("/api/runs/some-run/labels/1", "DELETE"),
        ("/api/runs/some-run/labels/queue", "GET"),  # no attempt id: no label to delete
        ("/api/health", "GET"),
    ],
)
def test_a_405_names_every_method_the_path_takes(
    client: httpx.Client, path: str, allow: str
) -> None:
    """Schemathesis' Allow-header check: Starlette named only the first matching route's
    methods (`Allow: GET` on /api/runs, whose POST launches a run)."""
    answer = client.options(path)
    assert answer.status_code == 405
    assert answer.headers["allow"] == allow
    assert answer.json()["status"] == 405
