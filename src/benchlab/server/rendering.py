"""What every dashboard page shares: the Jinja environment, its filters and the query helpers.

Each view lives in its own module (pages.py, and one `page_*.py` per larger
view) with its own router; they all render through `render` so the filters,
globals and error page are the same everywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from benchlab import __version__
from benchlab.errors import NotFound, UserError, api_text
from benchlab.format import money, percent, signed, signed_interval
from benchlab.server.errors import redact
from benchlab.store.passes import describe_pass

__all__ = ["DASH", "PAGE", "failure", "int_param", "qs", "render", "templates", "text_param"]

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
PAGE = 100


DASH = "\u2013"  # shown for a missing value


def _rate(value: float | None) -> str:
    return percent(value, missing=DASH)


def _ms(value: float | None) -> str:
    return DASH if value is None else (f"{value:.0f} ms" if value >= 10 else f"{value:.2f} ms")


def _when(value: Any) -> str:
    """A moment in the dashboard's one time zone, UTC, labelled as such: a tracker who
    reads "03:00" must not have to guess whose 03:00 (the charts' axes say UTC too)."""
    if value is None:
        return DASH
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, int | float):
        value = datetime.fromtimestamp(value, UTC)
    return str(value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"))


def _secs(value: float | None) -> str:
    if value is None:
        return DASH
    return f"{value:.1f} s" if value < 120 else f"{value / 60:.1f} min"


templates.env.filters.update(pct=_rate, cost=money, ms=_ms, when=_when, secs=_secs)
# Signed scores (grid levels, uplifts) as `show --by` spells them, so page and terminal agree.
templates.env.filters.update(signed=signed, signed_ci=signed_interval)
templates.env.globals.update(version=__version__, describe_pass=describe_pass)


def render(request: Request, name: str, code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=code)


def qs(params: dict[str, Any], **changes: Any) -> str:
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def text_param(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    return value.strip()[:300] if value and value.strip() else None


def int_param(request: Request, name: str, default: int = 0) -> int:
    raw = request.query_params.get(name, "")
    return max(0, min(int(raw), 2**31)) if raw.isdigit() else default


def failure(request: Request, exc: UserError) -> HTMLResponse:
    status = 404 if isinstance(exc, NotFound) else 400
    message = redact(request, api_text(exc))
    return render(request, "error.html", status, nav="", message=message, status=status)
