"""Concurrency and rate limits, measured on a real event loop."""

from __future__ import annotations

import asyncio
import time

import pytest

from benchlab.engine.limits import AdaptiveLimiter, RateLimiter


async def test_adaptive_limiter_caps_in_flight_and_follows_aimd() -> None:
    limiter = AdaptiveLimiter(8)
    peak = 0

    async def job() -> None:
        nonlocal peak
        async with limiter:
            peak = max(peak, limiter.in_use)
            await asyncio.sleep(0.005)

    await asyncio.gather(*(job() for _ in range(40)))
    assert peak == 8 and limiter.in_use == 0

    limiter.on_rate_limited()
    assert limiter.limit == 4
    limiter.on_rate_limited()
    limiter.on_rate_limited()
    limiter.on_rate_limited()
    assert limiter.limit == 1  # never below one
    for _ in range(1):
        limiter.on_success()
    assert limiter.limit == 2  # grows by one after a clean stretch as long as the limit
    for _ in range(200):
        limiter.on_success()
    assert limiter.limit == 8  # and never above the bound

    peak = 0
    limiter.on_rate_limited()  # 4
    await asyncio.gather(*(job() for _ in range(20)))
    assert peak <= 8


async def test_adaptive_limiter_releases_waiters_when_cancelled() -> None:
    limiter = AdaptiveLimiter(1)
    await limiter.acquire()
    waiter = asyncio.create_task(limiter.acquire())
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    limiter.release()
    assert limiter.in_use == 0
    await asyncio.wait_for(limiter.acquire(), 1)


async def test_requests_per_minute_spaces_requests() -> None:
    limiter = RateLimiter(requests_per_minute=600, tokens_per_minute=None)  # 10/s
    started = time.perf_counter()
    for _ in range(6):
        await limiter.acquire(0)
    elapsed = time.perf_counter() - started
    # a burst of one second's allowance (10) is allowed: 6 requests pass at once
    assert elapsed < 0.1
    for _ in range(10):
        await limiter.acquire(0)
    elapsed = time.perf_counter() - started
    assert 0.45 <= elapsed <= 1.5  # 16 requests at 10/s with a burst of 10


async def test_tokens_per_minute_waits_for_budget() -> None:
    limiter = RateLimiter(requests_per_minute=None, tokens_per_minute=60_000)  # 1000 tokens/s
    started = time.perf_counter()
    await limiter.acquire(1000)
    await limiter.acquire(500)
    elapsed = time.perf_counter() - started
    assert 0.4 <= elapsed <= 1.0
    limiter.charge(500)  # output tokens learnt afterwards are paid for by the next request
    started = time.perf_counter()
    await limiter.acquire(10)
    assert time.perf_counter() - started >= 0.4


async def test_unlimited_rate_limiter_is_free() -> None:
    limiter = RateLimiter(None, None)
    assert not limiter.active
    await limiter.acquire(10**9)
