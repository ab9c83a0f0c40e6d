"""Security headers on every response: a Content-Security-Policy, no framing, no sniffing.

The dashboard's pages load their scripts from /static only and carry no inline
script or event-handler attribute (JSON data sits in `<script type=
"application/json">`, which never runs), so the policy allows scripts from
the server itself and nothing else: an injected `<script>` or `onerror=` is
inert even if escaping ever failed. Styles may be inline (the pages size bars
with `style=`, Plotly writes its own `<style>`); images may be `data:` URLs
(Plotly's icons). `frame-ancestors 'none'` and `X-Frame-Options: DENY` keep
the pages out of other sites' frames (no clickjacking of the label page).

The API reference (/docs, api_docs.py) is no exception: it serves Swagger UI
from its wheel and starts it from a file of /static.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "SecurityHeaders"]

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
FIXED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """Pure ASGI middleware adding the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in FIXED.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", CSP)
            await send(message)

        await self.app(scope, receive, send_with_headers)
