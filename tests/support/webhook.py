"""A real webhook receiver on 127.0.0.1: records every JSON body POSTed to it.

`status` is what it answers (set 500 to play a failing receiver); `stop()` and
`start()` again on the same port play one that is down for a while.
"""

from __future__ import annotations

import json
import threading
from http.server import ThreadingHTTPServer
from typing import Any, Self

from support.background import BackgroundServer, QuietHandler


class WebhookReceiver(BackgroundServer):
    def __init__(self, port: int = 0) -> None:
        self.port = port
        self.received: list[dict[str, Any]] = []
        self.status = 200
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> Self:
        receiver = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                if receiver.status < 300:
                    receiver.received.append(body)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
