"""plotly.min.js, from the installed `plotly` wheel (no CDN, works offline), compressed.

The file is 4.6 MB as shipped and the overview and run pages load it; gzipped it is
about a third of that. It is compressed once per process (its bytes never change
while the server runs) and served as gzip to every client that says it accepts it,
as-is to the others, with `Vary: Accept-Encoding` so that caches keep them apart.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
import re
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import Response

__all__ = ["accepts_gzip", "packed_file", "packed_response", "plotly_bytes", "router"]

router = APIRouter(include_in_schema=False)

_CACHE = "public, max-age=86400"
_GZIP = re.compile(r"(?:^|,)\s*gzip\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*(?:,|$)", re.IGNORECASE)


def _plotly_path() -> str | None:
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        return None
    return os.path.join(os.path.dirname(spec.origin), "package_data", "plotly.min.js")


@lru_cache(maxsize=8)
def packed_file(path: str | None) -> tuple[bytes, bytes] | None:
    """(plain, gzipped) bytes of a file a wheel ships, read and compressed once per process;
    None when it is not there."""
    if path is None or not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        plain = f.read()
    return plain, gzip.compress(plain, compresslevel=6, mtime=0)


def plotly_bytes() -> tuple[bytes, bytes] | None:
    """(plain, gzipped) plotly.min.js; None without plotly."""
    return packed_file(_plotly_path())


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an `Accept-Encoding` value takes gzip (`gzip;q=0` refuses it)."""
    match = _GZIP.search(accept_encoding)
    if match is None:
        return False
    quality = match.group(1)
    try:
        return quality is None or float(quality) > 0
    except ValueError:
        return False


def packed_response(
    request: Request, both: tuple[bytes, bytes] | None, media_type: str, missing: str
) -> Response:
    """A vendored file, gzip-encoded when the client accepts it (404 naming `missing`)."""
    if both is None:
        return Response(f"{missing} is not installed", status_code=404, media_type="text/plain")
    plain, packed = both
    headers = {"Cache-Control": _CACHE, "Vary": "Accept-Encoding"}
    if accepts_gzip(request.headers.get("accept-encoding", "")):
        headers["Content-Encoding"] = "gzip"
        return Response(packed, media_type=media_type, headers=headers)
    return Response(plain, media_type=media_type, headers=headers)


@router.get("/static/vendor/plotly.min.js")
def plotly_js(request: Request) -> Response:
    """The charts' library: gzip-encoded when the client accepts it."""
    return packed_response(request, plotly_bytes(), "text/javascript", "plotly")
