"""What a server instance is configured with; one object handed to every part of the app."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchlab.server.schedules import Clock


@dataclass
class Settings:
    store_url: str | None = None
    # None: read BENCHLAB_ADMIN_KEY; "" or unset there: the write API is off.
    admin_key: str | None = None
    rate_limit: int = 10  # admin requests per key per `rate_window` seconds
    rate_window: float = 60.0
    suite_dir: Path | None = None  # suite files a browser may launch, besides the built-ins
    poll_interval: float = 0.25  # how often live views look for new attempts
    max_upload_bytes: int = 512 * 1024 * 1024
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    schedules: Path | None = None  # `serve --schedules FILE`: suites run on cron expressions
    schedule_clock: Clock | None = None  # None: the wall clock; tests pass one they move

    def __post_init__(self) -> None:
        if self.admin_key is None:
            self.admin_key = os.environ.get("BENCHLAB_ADMIN_KEY") or None
        if not self.admin_key:
            self.admin_key = None

    @property
    def write_enabled(self) -> bool:
        return self.admin_key is not None
