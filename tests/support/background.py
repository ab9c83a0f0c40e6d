"""What every test server in tests/support shares (the stub LLM, the webhook receiver, the
fake Hub, the benchlab app under uvicorn): it runs beside the test in a thread of its own,
`with` starts it and stops it, and its http.server handlers keep the test output quiet."""

from __future__ import annotations

from abc import ABC, abstractmethod
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import Any, Self

__all__ = ["BackgroundServer", "QuietHandler"]


class BackgroundServer(ABC):
    """A server on 127.0.0.1 in a background thread; `start` returns it once it answers."""

    @abstractmethod
    def start(self) -> Self: ...

    @abstractmethod
    def stop(self) -> None: ...

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler without http.server's access-log line on stderr per request."""

    def log_message(self, format: str, *args: Any) -> None:
        return
