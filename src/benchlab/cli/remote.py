"""Sending a finished run to a benchlab server (`benchlab push`).

The run is exported to a temporary file first and streamed from there, so a
run of any size goes up without being held in memory; the standard library's
HTTP client is enough for one POST and keeps this free of extra dependencies.

A team server rate-limits its write API (429 with Retry-After), and a CI job
that pushes right after another one must not lose its run to that: `push`
waits as Retry-After says and tries again, within a bound (`MAX_TRIES`
tries, `MAX_WAIT` seconds of waiting in all), so a job never hangs on a
server that keeps refusing. A wait longer than what is left of the bound is
not started: the push fails at once, saying when the server would take it.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import json
import math
import os
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from benchlab.analysis.export import export_run
from benchlab.errors import ConfigError, UserError
from benchlab.store import Store

MAX_TRIES = 5
MAX_WAIT = 60.0  # seconds of Retry-After waits in all, over the tries
RETRY_STATUSES = (429, 503)  # "later", said with Retry-After


class PushError(UserError):
    """The server refused the run or could not be reached."""


class _Later(PushError):
    """The server said to try again later (429/503); `wait` is its Retry-After in seconds."""

    def __init__(self, message: str, status: int, wait: float | None) -> None:
        super().__init__(message)
        self.status = status
        self.wait = wait


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date (RFC 9110); None if absent
    or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


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
    max_tries: int = MAX_TRIES,
    max_wait: float = MAX_WAIT,
    on_retry: Callable[[int, float, str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PushResult:
    """POST the run's JSON document to `url` + /api/results with the admin key.

    On 429/503 it waits as the server's Retry-After says and tries again, up to
    `max_tries` tries and `max_wait` seconds of waiting; `on_retry(try, wait,
    reason)` hears of each wait (the CLI prints it)."""
    key = key if key is not None else os.environ.get("BENCHLAB_ADMIN_KEY")
    if not key:
        raise ConfigError("push: set BENCHLAB_ADMIN_KEY to the server's admin key")
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"--to {url!r}: expected an http:// or https:// URL")
    endpoint = url.rstrip("/") + "/api/results"
    with Store(db, must_exist=True) as store:
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
            waited = 0.0
            for attempt in range(1, max_tries + 1):
                handle.seek(0)
                try:
                    return _send(endpoint, headers, handle, run.id, timeout)
                except _Later as later:
                    wait = later.wait if later.wait is not None else min(2.0**attempt, 30.0)
                    if attempt == max_tries:
                        raise PushError(f"{later} (gave up after {max_tries} tries)") from None
                    if waited + wait > max_wait:
                        raise PushError(
                            f"{later}; not waiting {math.ceil(wait)}s more "
                            f"(push waits at most {max_wait:g}s in all): push again later"
                        ) from None
                    if on_retry is not None:
                        on_retry(attempt, wait, str(later))
                    sleep(wait)
                    waited += wait
            raise AssertionError("unreachable")  # pragma: no cover


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
        message = f"push {run_id}: server answered {response.status}: {detail}{extra}"
        if response.status in RETRY_STATUSES:
            raise _Later(message, response.status, retry_after_seconds(retry))
        raise PushError(message)
    data: dict[str, Any] = json.loads(raw or b"{}")
    return PushResult(
        run_id=str(data.get("run_id", run_id)),
        created=bool(data.get("created")),
        attempts=int(data.get("attempts", 0)),
        status=response.status,
    )
