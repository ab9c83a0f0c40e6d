"""The benchlab app served by a real uvicorn on 127.0.0.1, in a background thread.

Tests talk to it over real HTTP and WebSockets (httpx, websockets, Chromium),
exactly like a browser or `benchlab push` would; nothing is mocked.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Self

import uvicorn
from websockets.sync.client import connect
from websockets.typing import Origin

from support.background import BackgroundServer


class LiveServer(BackgroundServer):
    def __init__(self, app: Any) -> None:
        self.app = app
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="uvicorn-test", daemon=True)
        self.url = ""

    def start(self) -> Self:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    @property
    def ws_url(self) -> str:
        return "ws" + self.url[len("http") :]

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(30)


def finished_stream(url: str, origin: str | None = None) -> list[dict[str, Any]]:
    """Every message of a finished run's event stream (`/api/runs/{id}/events`), read until
    the server closes it: the snapshot, the latest attempts, `finished`. Read to the end, not
    left after the first message: the `websockets` client stops reading once 16 messages wait
    unread (its max_queue), so closing with more queued would never reach the server's closing
    frame behind them and would wait out close_timeout (10 s). The server is not slow to close:
    with max_queue=None the same close takes milliseconds."""
    sent_origin = None if origin is None else Origin(origin)
    with connect(url, open_timeout=10, close_timeout=10, origin=sent_origin) as ws:
        return [json.loads(message) for message in ws]
