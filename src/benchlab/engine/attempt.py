"""One attempt: ask (with limits and retries), score, and turn the outcome into store records.

Kept free of orchestration: `ModelLane` is everything one model profile needs
to send a request (provider, limits, retry policy); `Engine` in runner.py
decides what to ask and when.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from benchlab.domain import Case, ModelProfile
from benchlab.engine._json import dumps_text
from benchlab.engine.limits import AdaptiveLimiter, RateLimiter
from benchlab.engine.retry import backoff_delay
from benchlab.providers.base import Completion, GenerateRequest, Provider
from benchlab.providers.errors import ProviderError, RateLimited
from benchlab.scorers.base import Answer, ScoreContext, Scorer, ScoreResult
from benchlab.store.records import ScoreRecord

T = TypeVar("T")
R = TypeVar("R")

# Seeded from os.urandom once per process: ids differ across processes without paying a
# system call per attempt (SystemRandom would).
_ids = random.Random()


def new_attempt_id() -> int:
    """Random 63-bit ids: unique across processes writing one database, no round-trip."""
    return _ids.getrandbits(63)


@dataclass(slots=True)
class CallOutcome(Generic[T]):
    """One request after its retries: what came back (a completion, vectors) or the error."""

    completion: T | None
    latency_ms: float | None
    retries: int
    error: BaseException | None = None


@dataclass
class RetryPolicy:
    retries: int
    base_delay: float
    max_delay: float
    timeout: float
    rng: random.Random = field(default_factory=random.Random)


class _NoLimit:
    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None


NO_LIMIT = _NoLimit()


@dataclass
class ModelLane:
    """How one model profile is reached: provider, limiters and retry policy."""

    profile: ModelProfile
    provider: Provider
    endpoint_limit: AdaptiveLimiter
    global_limit: asyncio.Semaphore | _NoLimit
    rate: RateLimiter
    policy: RetryPolicy

    @property
    def timeout(self) -> float:
        return self.profile.timeout or self.policy.timeout

    async def call(self, request: GenerateRequest, est_tokens: int) -> CallOutcome[Completion]:
        outcome = await self.send(self.provider.generate, request, est_tokens)
        completion = outcome.completion
        if completion is not None and self.rate.active and completion.output_tokens:
            self.rate.charge(completion.output_tokens)
        return outcome

    async def send(
        self, request_once: Callable[[R], Awaitable[T]], request: R, est_tokens: int
    ) -> CallOutcome[T]:
        """`request_once(request)` under the lane's limits, retried by its policy.

        Every kind of request (a chat completion, an embedding batch) goes
        through this one loop, so they share the endpoint's adaptive limit, the
        run's global bound and the same backoff on 429s and 5xx.
        """
        policy = self.policy
        tries = 0
        while True:
            if self.rate.active:
                await self.rate.acquire(est_tokens)
            async with self.global_limit:
                await self.endpoint_limit.acquire()
                started = time.perf_counter()
                try:
                    result = await request_once(request)
                except ProviderError as exc:
                    error: ProviderError | None = exc
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # a provider bug must not stop the run
                    return CallOutcome(None, None, tries, exc)
                else:
                    error = None
                finally:
                    self.endpoint_limit.release()
            latency = (time.perf_counter() - started) * 1000.0
            if error is None:
                self.endpoint_limit.on_success()
                return CallOutcome(result, latency, tries)
            if isinstance(error, RateLimited):
                self.endpoint_limit.on_rate_limited()
            if not error.retryable or tries >= policy.retries:
                return CallOutcome(None, latency, tries, error)
            delay = backoff_delay(
                error, tries, base=policy.base_delay, cap=policy.max_delay, rng=policy.rng
            )
            tries += 1
            await asyncio.sleep(delay)


async def score_answer(
    case: Case, answer: Answer, scorers: list[Scorer], ctx: ScoreContext
) -> list[tuple[str, ScoreResult]]:
    """Every scorer's verdict; a scorer that raises gives an error verdict, never a crash.

    An error verdict has no verdict (`passed` None) and says its kind in
    `details["error_kind"]`: the attempt becomes an error, never a fail, because
    a broken scorer says nothing about the model's answer.
    """
    results: list[tuple[str, ScoreResult]] = []
    for scorer in scorers:
        try:
            result = await scorer.score(case, answer, ctx)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            result = ScoreResult(
                value=None,
                passed=None,
                explanation=f"scorer error: {type(exc).__name__}: {exc}",
                details={"error": type(exc).__name__, "error_kind": scorer_error_kind(exc)},
            )
        results.append((scorer.name, result))
    return results


def scorer_error_kind(exc: BaseException) -> str:
    """A failed judge call keeps its provider's kind; sandbox infrastructure says `sandbox`
    (its exceptions carry `error_kind`); anything else is the scorer's own error."""
    if isinstance(exc, ProviderError):
        return exc.kind
    kind = getattr(exc, "error_kind", None)
    return kind if isinstance(kind, str) and kind else "scorer"


def scoring_error(results: list[tuple[str, ScoreResult]]) -> tuple[str, str] | None:
    """(kind, message) of the first scorer that could not give a verdict, else None."""
    for name, r in results:
        kind = r.details.get("error_kind") if r.details else None
        if kind:
            return str(kind), f"{name}: {r.explanation}"
    return None


def overall_passed(results: list[tuple[str, ScoreResult]]) -> bool | None:
    """All verdicts passed; None (not judged) when there is none or any scorer errored."""
    if scoring_error(results) is not None:
        return None
    verdicts = [r.passed for _, r in results if r.passed is not None]
    return all(verdicts) if verdicts else None


def score_rows(
    attempt_id: int, run_id: str, results: list[tuple[str, ScoreResult]], pass_no: int = 0
) -> list[ScoreRecord]:
    """The verdicts as the store keeps them (store/records.py)."""
    return [
        ScoreRecord(
            attempt_id=attempt_id,
            scorer=name,
            pass_no=pass_no,
            run_id=run_id,
            value=r.value,
            passed=r.passed,
            explanation=r.explanation,
            details=None if r.details is None else dumps_text(r.details),
        )
        for name, r in results
    ]


def error_text(error: BaseException) -> tuple[str, str]:
    """(kind, message) of a failed request. An exception that is not a ProviderError is a
    provider bug meeting an answer it did not expect: a bad response, named in the message."""
    if isinstance(error, ProviderError):
        return error.kind, str(error) or error.kind
    return "bad_response", f"{type(error).__name__}: {error}"
