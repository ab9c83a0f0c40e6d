"""Debian's headless Chromium for the dashboard's browser tests (the fixtures are in
tests/server/conftest.py): where it lives, how it starts, and a page that collects
every console error, uncaught exception and Content-Security-Policy violation so
that a test can fail on them."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import ConsoleMessage, Page

CHROMIUM = os.environ.get("BENCHLAB_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class Watched:
    """A page whose console errors and uncaught exceptions are collected."""

    def __init__(self, page: Page, shots: Path) -> None:
        self.page = page
        self.shots = shots
        self.errors: list[str] = []
        page.on("console", self._console)
        # A script the CSP blocks is an error even where Chromium would only warn.
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', (e) => console.error("
            "`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`));"
        )
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} at {message.location}")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)
