"""Concurrency and rate limits: an adaptive limit per endpoint and a budget per model.

`AdaptiveLimiter` is a semaphore whose size follows AIMD, the way TCP finds a
link's capacity: halve on a 429, grow by one after a clean stretch as long as
the limit itself, never above the configured bound. `RateLimiter` spreads
requests and tokens evenly over a minute (a token bucket per dimension), so a
run with a requests/min or tokens/min quota never trips the provider's own.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque


class AdaptiveLimiter:
    def __init__(self, bound: int) -> None:
        if bound < 1:
            raise ValueError("bound must be >= 1")
        self.bound = bound
        self.limit = bound
        self.in_use = 0
        self._clean = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def acquire(self) -> None:
        if self.in_use < self.limit and not self._waiters:
            self.in_use += 1
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self._release_slot()  # we were granted a slot but won't use it
            else:
                self._waiters.remove(fut)
            raise

    def release(self) -> None:
        self._release_slot()

    def _release_slot(self) -> None:
        self.in_use -= 1
        self._wake()

    def _wake(self) -> None:
        while self._waiters and self.in_use < self.limit:
            fut = self._waiters.popleft()
            if not fut.done():
                self.in_use += 1
                fut.set_result(None)

    def on_success(self) -> None:
        if self.limit < self.bound:
            self._clean += 1
            if self._clean >= self.limit:
                self._clean = 0
                self.limit += 1
                self._wake()

    def on_rate_limited(self) -> None:
        self._clean = 0
        self.limit = max(1, self.limit // 2)

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(self, *exc: object) -> None:
        self.release()


class _Bucket:
    """Continuous-refill token bucket holding at most one minute's allowance."""

    def __init__(self, per_minute: float) -> None:
        self.rate = per_minute / 60.0
        self.capacity = per_minute
        self.tokens = per_minute
        self.stamp = time.monotonic()

    def _refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_time(self, amount: float, now: float) -> float:
        self._refill(now)
        amount = min(amount, self.capacity)
        return 0.0 if self.tokens >= amount else (amount - self.tokens) / self.rate

    def take(self, amount: float) -> None:
        self.tokens -= amount  # may go negative: debt from under-estimates is paid by waiting


class RateLimiter:
    """Requests/min and tokens/min for one model profile; either may be None (unlimited).

    A burst is allowed up to `burst_seconds` of the allowance, then requests are
    spaced evenly.
    """

    def __init__(
        self,
        requests_per_minute: float | None,
        tokens_per_minute: float | None,
        *,
        burst_seconds: float = 1.0,
    ) -> None:
        self._requests = _Bucket(requests_per_minute) if requests_per_minute else None
        self._tokens = _Bucket(tokens_per_minute) if tokens_per_minute else None
        for bucket in (self._requests, self._tokens):
            if bucket is not None:
                bucket.capacity = max(1.0, bucket.rate * burst_seconds)
                bucket.tokens = bucket.capacity
        self._lock = asyncio.Lock()

    @property
    def active(self) -> bool:
        return self._requests is not None or self._tokens is not None

    async def acquire(self, tokens: int) -> None:
        if not self.active:
            return
        async with self._lock:  # FIFO: one waiter computes its wait at a time
            while True:
                now = time.monotonic()
                wait = 0.0
                if self._requests is not None:
                    wait = max(wait, self._requests.wait_time(1, now))
                if self._tokens is not None:
                    wait = max(wait, self._tokens.wait_time(tokens, now))
                if wait <= 0:
                    break
                await asyncio.sleep(wait)
            if self._requests is not None:
                self._requests.take(1)
            if self._tokens is not None:
                self._tokens.take(tokens)

    def charge(self, extra_tokens: int) -> None:
        """Account for tokens learnt only after the response (output, under-estimates)."""
        if self._tokens is not None and extra_tokens > 0:
            self._tokens.take(extra_tokens)
