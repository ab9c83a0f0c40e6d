"""A clock that tests move by hand, for the scheduler of `serve --schedules`.

The scheduler runs on the server's event loop (often in uvicorn's thread)
while the test moves time from its own thread, so sleepers poll the clock
every few milliseconds instead of waiting on an event bound to one loop.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when

    def advance(self, delta: timedelta) -> None:
        self._now = self._now + delta

    async def sleep_until(self, when: datetime) -> None:
        while self._now < when:
            await asyncio.sleep(0.005)
