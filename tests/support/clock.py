"""A clock that tests move by hand, for the scheduler of `serve --schedules`.

The scheduler runs on the server's event loop (often in uvicorn's thread)
while the test moves time from its own thread, so sleepers poll the clock
every few milliseconds instead of waiting on an event bound to one loop.
The clock also knows who sleeps until when, so a test can wait for the
scheduler to have done everything due and gone back to sleep, instead of
sleeping a while and hoping it had.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self._now = start
        self._sleepers: list[datetime] = []  # the moments sleepers wait for, one per sleeper
        self._changed = threading.Condition()

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when

    def advance(self, delta: timedelta) -> None:
        self._now = self._now + delta

    async def sleep_until(self, when: datetime) -> None:
        with self._changed:
            self._sleepers.append(when)
            self._changed.notify_all()
        try:
            while self._now < when:
                await asyncio.sleep(0.005)
        finally:
            with self._changed:
                self._sleepers.remove(when)
                self._changed.notify_all()

    def wait_for_sleeper(self, when: datetime, timeout: float = 60.0) -> None:
        """Block the test's thread until something sleeps on this clock until `when`.

        The scheduler sleeps only once it has started everything due at the current
        time, so this is the moment to check that nothing more was started."""
        with self._changed:
            asleep = self._changed.wait_for(lambda: when in self._sleepers, timeout)
        assert asleep, f"nothing went to sleep until {when.isoformat()} within {timeout} s"
