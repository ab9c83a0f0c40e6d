"""How long to wait before the next try: exponential backoff with full jitter, Retry-After first."""

from __future__ import annotations

import random

from benchlab.providers.errors import ProviderError, RateLimited

RETRY_AFTER_LIMIT = 600.0


def backoff_delay(
    error: ProviderError,
    attempt: int,
    *,
    base: float,
    cap: float,
    rng: random.Random,
) -> float:
    """Seconds to sleep after failed try number `attempt` (0-based).

    A server's Retry-After wins (it knows when capacity returns) even past our
    own cap, bounded only by `RETRY_AFTER_LIMIT`, plus a little jitter so that
    many waiting requests don't return in one burst. Otherwise
    "full jitter" (uniform in [0, base * 2**attempt], capped), which spreads
    retries best under contention.
    """
    if isinstance(error, RateLimited) and error.retry_after is not None:
        return min(RETRY_AFTER_LIMIT, error.retry_after) + rng.uniform(0, min(1.0, base) * 0.1)
    ceiling = min(cap, base * (2**attempt))
    return rng.uniform(ceiling / 2, ceiling)
