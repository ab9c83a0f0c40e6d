"""The benchlab app served by a real uvicorn on 127.0.0.1, in a background thread.

Tests talk to it over real HTTP and WebSockets (httpx, websockets, Chromium),
exactly like a browser or `benchlab push` would; nothing is mocked.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Self

import uvicorn

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
