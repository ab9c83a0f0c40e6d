"""What a server instance is configured with; one object handed to every part of the app."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from benchlab.errors import ConfigError

if TYPE_CHECKING:
    from benchlab.server.schedules import Clock

LABELER_KEYS_ENV = "BENCHLAB_LABELER_KEYS"
BUDGET_ENV = "BENCHLAB_BUDGET_USD"
BUDGET_THRESHOLDS_ENV = "BENCHLAB_BUDGET_THRESHOLDS"  # "80,100": percent of the budget
BUDGET_WEBHOOK_ENV = "BENCHLAB_BUDGET_WEBHOOK"


@dataclass
class Settings:
    store_url: str | None = None
    # None: read BENCHLAB_ADMIN_KEY; "" or unset there: the write API is off.
    admin_key: str | None = None
    rate_limit: int = 10  # admin requests per key per `rate_window` seconds
    rate_window: float = 60.0
    # wrong keys per client address per `rate_window` (None: `rate_limit`)
    wrong_key_limit: int | None = None
    suite_dir: Path | None = None  # suite files a browser may launch, besides the built-ins
    poll_interval: float = 0.25  # how often live views look for new attempts
    max_upload_bytes: int = 512 * 1024 * 1024  # POST /api/results (a whole exported run)
    max_body_bytes: int = 1024 * 1024  # every other request body (a launch, a label)
    # Origins besides the server's own whose pages may open the live WebSocket
    # (e.g. "https://dash.example.org"); a browser's Origin is checked, never trusted.
    allowed_origins: list[str] = field(default_factory=list)
    # labeler name -> that labeler's own key; None: read BENCHLAB_LABELER_KEYS ("ana=KEY,bo=KEY")
    labeler_keys: dict[str, str] | None = None
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    schedules: Path | None = None  # `serve --schedules FILE`: suites run on cron expressions
    schedule_clock: Clock | None = None  # None: the wall clock; tests pass one they move
    # Monthly budget in US dollars (None: read BENCHLAB_BUDGET_USD; unset there: no budget).
    budget_usd: float | None = None
    # Percentages of the budget that raise an alert (None: BENCHLAB_BUDGET_THRESHOLDS or 80, 100).
    budget_thresholds: list[int] | None = None
    # Where alerts are POSTed as JSON (Slack-compatible; None: BENCHLAB_BUDGET_WEBHOOK, or none).
    budget_webhook: str | None = None

    def __post_init__(self) -> None:
        if self.admin_key is None:
            self.admin_key = os.environ.get("BENCHLAB_ADMIN_KEY") or None
        if not self.admin_key:
            self.admin_key = None
        if self.labeler_keys is None:
            self.labeler_keys = parse_labeler_keys(self.env.get(LABELER_KEYS_ENV, ""))
        keys = [k for k in self.labeler_keys.values() if k]
        if len(set(keys)) != len(keys) or (self.admin_key is not None and self.admin_key in keys):
            raise ConfigError("every labeler key must differ from the others and the admin key")
        for limit in (self.max_upload_bytes, self.max_body_bytes):
            if limit < 1:
                raise ConfigError(f"a body limit must be at least 1 byte, not {limit}")
        self._budget_from_env()

    def _budget_from_env(self) -> None:
        from benchlab.analysis.budget import check_budget, check_thresholds

        if self.budget_usd is None and self.env.get(BUDGET_ENV, "").strip():
            text = self.env[BUDGET_ENV].strip()
            try:
                self.budget_usd = float(text)
            except ValueError:
                raise ConfigError(f"{BUDGET_ENV}={text!r}: expected US dollars, like 250") from None
        if self.budget_usd is not None:
            self.budget_usd = check_budget(self.budget_usd, flag="budget")
        if self.budget_thresholds is None:
            text = self.env.get(BUDGET_THRESHOLDS_ENV, "")
            parts = [p.strip() for p in text.replace("%", "").split(",") if p.strip()]
            if not all(p.isdigit() for p in parts):
                raise ConfigError(
                    f"{BUDGET_THRESHOLDS_ENV}={text!r}: expected percentages, like 80,100"
                )
            self.budget_thresholds = [int(p) for p in parts]
        self.budget_thresholds = check_thresholds(self.budget_thresholds)
        if self.budget_webhook is None:
            self.budget_webhook = self.env.get(BUDGET_WEBHOOK_ENV, "").strip() or None
        if self.budget_webhook is not None and not self.budget_webhook.startswith(
            ("http://", "https://")
        ):
            raise ConfigError(f"budget webhook {self.budget_webhook!r}: expected an http(s) URL")

    @property
    def write_enabled(self) -> bool:
        return self.admin_key is not None

    @property
    def wrong_keys_allowed(self) -> int:
        return self.rate_limit if self.wrong_key_limit is None else self.wrong_key_limit


def parse_labeler_keys(text: str) -> dict[str, str]:
    """`ana=KEY1,bo=KEY2` (the BENCHLAB_LABELER_KEYS form) as {name: key}."""
    out: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, key = item.partition("=")
        if not sep or not name.strip() or not key.strip():
            shown = item.split("=")[0]
            raise ConfigError(f"{LABELER_KEYS_ENV}: expected NAME=KEY, got {shown!r}=...")
        out[name.strip()] = key.strip()
    return out
