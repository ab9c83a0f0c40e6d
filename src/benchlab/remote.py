"""Sending a finished run to a benchlab server (`benchlab push`).

The run is exported to a temporary file first and streamed from there, so a
run of any size goes up without being held in memory; the standard library's
HTTP client is enough for one POST and keeps this free of extra dependencies.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from benchlab.analysis.export import export_run
from benchlab.errors import ConfigError, UserError
from benchlab.store import Store


class PushError(UserError):
    """The server refused the run or could not be reached."""


@dataclass
class PushResult:
    run_id: str
    created: bool
    attempts: int
    status: int


def push_run(
    run_id: str,
    url: str,
    *,
    db: str | None = None,
    key: str | None = None,
    timeout: float = 300.0,
) -> PushResult:
    """POST the run's JSON document to `url` + /api/results with the admin key."""
    key = key if key is not None else os.environ.get("BENCHLAB_ADMIN_KEY")
    if not key:
        raise ConfigError("push: set BENCHLAB_ADMIN_KEY to the server's admin key")
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"--to {url!r}: expected an http:// or https:// URL")
    endpoint = url.rstrip("/") + "/api/results"
    with Store(db) as store:
        run = store.get_run(run_id)
        if run.status == "running":
            raise ConfigError(f"run {run.id} is still running; push it when it has finished")
        with tempfile.TemporaryFile("w+b") as handle:
            with open(handle.fileno(), "w", encoding="utf-8", closefd=False) as text:
                export_run(store, run.id, "json", text)
            size = handle.seek(0, os.SEEK_END)
            handle.seek(0)
            request = urllib.request.Request(
                endpoint,
                data=handle,
                method="POST",
                headers={
                    "Content-Type": "application/json",
                    "Content-Length": str(size),
                    "Authorization": f"Bearer {key}",
                },
            )
            return _send(request, run.id, timeout)


def _send(request: urllib.request.Request, run_id: str, timeout: float) -> PushResult:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: dict[str, Any] = json.loads(response.read() or b"{}")
            return PushResult(
                run_id=str(body.get("run_id", run_id)),
                created=bool(body.get("created")),
                attempts=int(body.get("attempts", 0)),
                status=response.status,
            )
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")
        with contextlib.suppress(ValueError):
            detail = json.loads(detail).get("error", detail)
        retry = exc.headers.get("Retry-After")
        extra = f" (retry after {retry}s)" if retry else ""
        raise PushError(f"push {run_id}: server answered {exc.code}: {detail}{extra}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PushError(f"push {run_id}: cannot reach {request.full_url}: {reason}") from exc
