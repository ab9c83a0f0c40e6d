"""aiohttp plumbing shared by the HTTP providers: one session per endpoint, errors mapped once.

aiohttp was chosen because it costs 0.15-0.25 ms of CPU per request here
against several ms for httpx-based SDKs; this module keeps that advantage by
doing no work per request beyond one POST and one JSON parse.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from benchlab.providers.errors import (
    BadResponse,
    ConnectionFailed,
    ProviderTimeout,
    error_for_status,
    parse_retry_after,
)


class JsonHttpClient:
    """POSTs JSON to one base URL and returns the parsed JSON body."""

    def __init__(self, base_url: str, headers: dict[str, str], *, limit: int = 0) -> None:
        self.base_url = base_url.rstrip("/")
        self._headers = {"Content-Type": "application/json", **headers}
        self._limit = limit
        self._session: Any = None
        self._timeouts: dict[float | None, Any] = {}

    def _ensure_session(self) -> Any:
        if self._session is None:
            import aiohttp

            connector = aiohttp.TCPConnector(limit=self._limit, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(
                headers=self._headers,
                connector=connector,
                json_serialize=json.dumps,
                timeout=aiohttp.ClientTimeout(total=None),
            )
        return self._session

    def _timeout(self, seconds: float | None) -> Any:
        """aiohttp's own per-request timer: one fewer wrapper per request than asyncio.timeout."""
        found = self._timeouts.get(seconds)
        if found is None:
            import aiohttp

            found = self._timeouts[seconds] = aiohttp.ClientTimeout(total=seconds)
        return found

    async def post_json(self, path: str, payload: dict[str, Any], timeout: float | None) -> Any:
        import aiohttp

        session = self._ensure_session()
        url = self.base_url + path
        try:
            async with session.post(
                url, data=orjson.dumps(payload), timeout=self._timeout(timeout)
            ) as resp:
                body = await resp.read()
                status = resp.status
                retry_after = resp.headers.get("Retry-After")
        except TimeoutError as exc:
            raise ProviderTimeout(f"no response from {url} within {timeout}s") from exc
        except aiohttp.ClientPayloadError as exc:
            raise ConnectionFailed(f"response body from {url} was cut short: {exc}") from exc
        except aiohttp.ClientError as exc:
            raise ConnectionFailed(f"{type(exc).__name__} talking to {url}: {exc}") from exc
        if status >= 400:
            text = body[:500].decode("utf-8", "replace")
            raise error_for_status(
                status,
                f"HTTP {status} from {url}: {_error_message(text)}",
                parse_retry_after(retry_after),
            )
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            snippet = body[:120].decode("utf-8", "replace")
            raise BadResponse(f"unparseable body from {url}: {snippet!r}") from exc

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _error_message(text: str) -> str:
    """The `error.message` of an OpenAI/Anthropic-style error body, else the raw text."""
    try:
        data = json.loads(text)
    except ValueError:
        return text.strip()
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
        if isinstance(err, str):
            return err
    return text.strip()
