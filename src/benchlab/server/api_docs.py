"""The API's reference page (/docs): Swagger UI from the installed `swagger-ui-py` wheel.

FastAPI's own /docs loads Swagger UI from a CDN and starts it with an inline
script, so it needed a looser Content-Security-Policy than every other page and
was blank on a machine without internet. Here the page is ours: the bundle and
its stylesheet come from the wheel (gzipped, as plotly.min.js is), and the
start-up call lives in /static/api_docs.js, so /docs runs under the same strict
policy as the dashboard (security_headers.py). ReDoc, which has no such wheel,
is not served.
"""

from __future__ import annotations

import importlib.util
import os

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from benchlab.server.plotly_asset import packed_file, packed_response

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

# The two files the page needs, and what they are served as; nothing else of the wheel.
_ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css"}
_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>benchlab API</title>
<link rel="icon" href="/static/favicon.svg">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-spec="/openapi.json"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/api_docs.js"></script>
</body>
</html>
"""


def _folder() -> str | None:
    spec = importlib.util.find_spec("swagger_ui")  # found, not imported
    if spec is None or spec.origin is None:
        return None
    return os.path.join(os.path.dirname(spec.origin), "static")


@router.get("/docs", response_class=HTMLResponse)
def docs() -> HTMLResponse:
    return HTMLResponse(_PAGE)


@router.get("/docs/assets/{name}")
def docs_asset(request: Request, name: str) -> Response:
    media_type = _ASSETS.get(name)
    folder = _folder()
    if media_type is None:
        return Response("no such file", status_code=404, media_type="text/plain")
    both = packed_file(None if folder is None else os.path.join(folder, name))
    return packed_response(request, both, media_type, "swagger-ui-py")
