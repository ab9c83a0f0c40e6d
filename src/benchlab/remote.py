"""Sending a finished run to a benchlab server (`benchlab push`).

The run is exported to a temporary file first and streamed from there, so a
run of any size goes up without being held in memory; the standard library's
HTTP client is enough for one POST and keeps this free of extra dependencies.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import tempfile
import urllib.parse
from dataclasses import dataclass
from typing import IO, Any

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
            headers = {
                "Content-Type": "application/json",
                "Content-Length": str(size),
                "Authorization": f"Bearer {key}",
            }
            return _send(endpoint, headers, handle, run.id, timeout)


def _send(
    endpoint: str, headers: dict[str, str], body: IO[bytes], run_id: str, timeout: float
) -> PushResult:
    """POST `body` and read the answer, even one the server sent before reading it all.

    A server refuses a wrong key (401) or an oversized document (413) as soon
    as it has the headers and closes the connection; the upload then fails
    with a broken pipe while the answer already waits in the socket. urllib
    would report only the broken pipe, so the upload is driven with
    http.client and the response is read whatever happened to the upload.
    """
    parts = urllib.parse.urlsplit(endpoint)
    factory = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = factory(parts.hostname or "", parts.port, timeout=timeout)
    try:
        conn.putrequest("POST", parts.path or "/")
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            while chunk := body.read(1 << 16):
                conn.send(chunk)
        response = conn.getresponse()
        raw = response.read()
    except OSError as exc:
        raise PushError(f"push {run_id}: cannot reach {endpoint}: {exc}") from exc
    except http.client.HTTPException as exc:
        raise PushError(f"push {run_id}: bad answer from {endpoint}: {exc!r}") from exc
    finally:
        conn.close()
    if response.status >= 400:
        detail = raw.decode("utf-8", "replace")
        with contextlib.suppress(ValueError, AttributeError):
            detail = json.loads(detail).get("error", detail)
        retry = response.getheader("Retry-After")
        extra = f" (retry after {retry}s)" if retry else ""
        raise PushError(f"push {run_id}: server answered {response.status}: {detail}{extra}")
    data: dict[str, Any] = json.loads(raw or b"{}")
    return PushResult(
        run_id=str(data.get("run_id", run_id)),
        created=bool(data.get("created")),
        attempts=int(data.get("attempts", 0)),
        status=response.status,
    )
