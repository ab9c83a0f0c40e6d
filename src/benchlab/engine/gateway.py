"""The model gateway: every request a run, a scoring pass or a judge makes goes through here.

Providers (`providers/`) only translate one API's wire format, one request at
a time. Everything around a request is the gateway's: which provider serves a
model (the pool), the lanes with their endpoint, global and rate limits and
retry policy, the answer cache, the `--max-cost` budget, and the lanes'
health (a model that refuses every request is asked no more). The run loop
(runner.py), scoring passes (rescore.py), pairwise judging (pairwise.py) and
the scorers (through `GatewayContext`, their `ScoreContext`) hold a gateway
and never reach past it, so a new kind of request (embeddings today; batch
submission and multi-turn tool use next) is added here once and gets the same
limits, retries, cache and budget as the rest. The shape follows inspect_ai's
`Model` (the gateway) around a `ModelAPI` (the provider).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

from benchlab.domain import ModelProfile, Price
from benchlab.engine.attempt import NO_LIMIT, CallOutcome, ModelLane, RetryPolicy
from benchlab.engine.budget import Budget
from benchlab.engine.config import RunConfig
from benchlab.engine.judges import profile_for
from benchlab.engine.lane_health import LaneHealth
from benchlab.engine.limits import AdaptiveLimiter, RateLimiter
from benchlab.engine.plan import CACHE_CHUNK, WorkItem, cache_key, request_cache_key
from benchlab.providers.base import Completion, EmbeddingProvider, EmbedRequest, GenerateRequest
from benchlab.providers.loglikelihood import (
    LoglikelihoodProvider,
    LoglikelihoodRequest,
    Loglikelihoods,
)
from benchlab.providers.registry import ProviderPool, endpoint_for, find_family
from benchlab.scorers.base import EmbeddingCache, EmbedRetry
from benchlab.store import BatchWriter, Store
from benchlab.store.embeddings import EmbeddingStore

_EmbedLaneKey = tuple[str, str | None, str | None, float | None, EmbedRetry | None]
# Seconds an embedding retry waits at most (unless the server's Retry-After says longer):
# the cap the `semantic` scorer's own retry loop had before it went through the gateway.
EMBED_MAX_DELAY = 30.0


class ModelGateway:
    """The provider pool, lanes, limits, retries, answer cache and budget of one run (or pass).

    `generate` asks a model as a scorer does (cached by request, budget held
    without refusing); `send` is the run loop's request, whose budget the
    caller reserved first (it may be refused); `loglikelihood` is that request
    in log-likelihood mode; `embed` embeds texts. All of them
    go through `ModelLane.send`, the one retry loop. Room is left for the next
    kinds of request, beside these: `submit_batch(requests)` (a provider's
    batch API: one upload, results polled, each result cached and charged like
    a `send`) and `converse(model, request, tools)` (multi-turn tool use: a
    `generate` per turn on one lane, the turns' spend held as one request's).
    """

    def __init__(
        self,
        config: RunConfig,
        store: Store,
        *,
        env: Mapping[str, str] | None = None,
        budget: Budget | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.env = os.environ if env is None else env
        self.pool = ProviderPool(self.env, store)
        self.budget = Budget(config.max_cost) if budget is None else budget
        self.health: dict[str, LaneHealth] = {}
        self._lanes: dict[str, ModelLane] = {}
        self._embed_lanes: dict[_EmbedLaneKey, ModelLane] = {}
        self._endpoint_limits: dict[str, AdaptiveLimiter] = {}
        self._global: asyncio.Semaphore | None = None
        self._writer: BatchWriter | None = None
        self._rng = random.Random(config.seed)

    # --- life cycle --------------------------------------------------------------------------
    def bound_total(self) -> None:
        """Cap the requests in flight over every lane at `concurrency` (made after this call)."""
        self._global = asyncio.Semaphore(self.config.concurrency)

    def open_writer(self) -> BatchWriter:
        """Start the store's batch writer: the run's rows and the cache's go through it."""
        self._writer = self.store.writer(self.config.flush_interval)
        self._writer.start()
        return self._writer

    @property
    def writer(self) -> BatchWriter | None:
        return self._writer

    async def close_writer(self) -> None:
        """Flush and stop the writer; a failed write stays in `writer.error` for the caller."""
        if self._writer is not None:
            with contextlib.suppress(Exception):
                await self._writer.aclose()

    async def aclose(self) -> None:
        """Close every provider's session."""
        await self.pool.aclose()

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[GatewayContext]:
        """The gateway for scoring outside a run (scoring passes, pairwise judging): one
        global bound, cache rows written as they come, everything closed at the end."""
        self.bound_total()
        self.open_writer()
        try:
            yield GatewayContext(self)
        finally:
            await self.close_writer()
            await self.aclose()

    # --- lanes -------------------------------------------------------------------------------
    def _lane(self, profile: ModelProfile, policy: RetryPolicy) -> ModelLane:
        endpoint = endpoint_for(profile, self.env)
        limiter = self._endpoint_limits.get(endpoint)
        if limiter is None:
            limiter = self._endpoint_limits[endpoint] = AdaptiveLimiter(self.config.concurrency)
        return ModelLane(
            profile=profile,
            provider=self.pool.get(profile),
            endpoint_limit=limiter,
            global_limit=self._global if self._global is not None else NO_LIMIT,
            rate=RateLimiter(profile.requests_per_minute, profile.tokens_per_minute),
            policy=policy,
        )

    def _policy(self) -> RetryPolicy:
        config = self.config
        return RetryPolicy(
            retries=config.retries,
            base_delay=config.retry_base_delay,
            max_delay=config.retry_max_delay,
            timeout=config.timeout,
            rng=self._rng,
        )

    def lane_for(self, model: str) -> ModelLane:
        """The lane of a run's model (by profile name) or of any `provider/model` spec."""
        lane = self._lanes.get(model)
        if lane is None:
            lane = self._lanes[model] = self._lane(profile_for(model, self.config), self._policy())
        return lane

    def endpoint_limit(self, endpoint: str) -> AdaptiveLimiter | None:
        """The adaptive limit every lane to `endpoint` shares (None until one is made)."""
        return self._endpoint_limits.get(endpoint)

    def health_for(self, lane: ModelLane) -> LaneHealth:
        profile = lane.profile
        health = self.health.get(profile.name)
        if health is None:
            family = find_family(profile.provider)
            key_env = profile.api_key_env or (family.key_env if family else None)
            health = self.health[profile.name] = LaneHealth(
                profile.name, profile.spec, lane.provider.endpoint, key_env
            )
        return health

    def price(self, model: str) -> Price | None:
        return self.lane_for(model).profile.price

    def check_judges(self, models: set[str]) -> None:
        """Every judge resolvable, with its key: the same checks as the run's own models,
        before anything is sent."""
        for model in sorted(models):
            self.pool.check(profile_for(model, self.config))

    # --- the answer cache --------------------------------------------------------------------
    def with_cache(self, lane: ModelLane, items: Iterator[WorkItem]) -> Iterator[WorkItem]:
        """Attach cached completions, looking keys up a chunk at a time (one SELECT each).

        Every answer is stored under its key (a later `--cache` run may reuse it); only
        a run with `cache` on looks answers up instead of asking."""
        endpoint, family = lane.provider.endpoint, lane.provider.family
        if not self.config.cache:
            for item in items:
                item.cache_key = cache_key(endpoint, family, item)
                yield item
            return
        chunk: list[WorkItem] = []
        for item in items:
            item.cache_key = cache_key(endpoint, family, item)
            chunk.append(item)
            if len(chunk) >= CACHE_CHUNK:
                yield from self._lookup(chunk)
                chunk = []
        if chunk:
            yield from self._lookup(chunk)

    def _lookup(self, chunk: list[WorkItem]) -> list[WorkItem]:
        found = self.store.cache_get_many([i.cache_key for i in chunk if i.cache_key])
        for item in chunk:
            if item.cache_key in found:
                item.cached = found[item.cache_key]
        return chunk

    def remember(
        self, key: str, spec: str, completion: Completion, latency_ms: float | None
    ) -> None:
        """Keep an answer under its cache key (written with the run's next flush)."""
        assert self._writer is not None
        self._writer.add_cache(_cache_row(key, spec, completion, latency_ms))

    # --- requests ----------------------------------------------------------------------------
    async def send(
        self, lane: ModelLane, request: GenerateRequest, bound: float, est_tokens: int
    ) -> CallOutcome[Completion]:
        """The run loop's request, whose `bound` the caller reserved from the budget: asked
        with the lane's limits and retries, then charged what it really cost."""
        profile = lane.profile
        outcome: CallOutcome[Completion] | None = None
        try:
            outcome = await lane.call(request, est_tokens)
        finally:
            sent = None if outcome is None else outcome.completion
            self.budget.settle(
                bound,
                None
                if sent is None or profile.price is None
                else profile.price.cost(sent.input_tokens, sent.output_tokens),
                profile.name,
                None if sent is None else sent.output_tokens,
            )
        assert outcome is not None
        return outcome

    async def loglikelihood(
        self, lane: ModelLane, request: LoglikelihoodRequest, bound: float, est_tokens: int
    ) -> CallOutcome[Loglikelihoods]:
        """The run loop's log-likelihood request (engine/loglikelihood.py), sent and charged
        like `send`: the lane's limits and retries, the `bound` the caller reserved."""
        profile = lane.profile
        provider = lane.provider
        if not isinstance(provider, LoglikelihoodProvider):  # checked before the run: a bug
            raise TypeError(f"model {profile.spec!r}: its provider scores no continuations")
        outcome: CallOutcome[Loglikelihoods] | None = None
        try:
            outcome = await lane.send(provider.loglikelihood, request, est_tokens)
        finally:
            got = None if outcome is None else outcome.completion
            self.budget.settle(
                bound,
                None
                if got is None or profile.price is None
                else profile.price.cost(got.input_tokens, got.output_tokens),
                profile.name,
                None if got is None else got.output_tokens,
            )
        assert outcome is not None
        got = outcome.completion
        if got is not None and lane.rate.active and got.output_tokens:
            lane.rate.charge(got.output_tokens)
        return outcome

    async def generate(self, model: str, request: GenerateRequest) -> Completion:
        """Ask `model` as a scorer does: the same lanes, limits, retries and response cache
        as the attempts (a judge's verdict on an unchanged answer is not paid for twice)."""
        lane = self.lane_for(model)
        request.model = lane.profile.model_id
        request.params = {**lane.profile.params.as_request_params(), **request.params}
        if request.timeout is None:
            request.timeout = lane.timeout
        key = None
        if self.config.judge_cache:
            extra = {"response_format": request.response_format, "tools": request.tools}
            key = request_cache_key(
                lane.provider.family,
                lane.provider.endpoint,
                request.model,
                request.params,
                request.messages,
                request.sample,
                extra,
            )
            hit = self.store.cache_get_many([key]).get(key)
            if hit is not None:
                return Completion(**hit["completion"], from_cache=True)
        health = self.health_for(lane)
        if health.stopped is not None:  # this judge refuses every request: ask no more
            health.skipped += 1
            raise health.stopped
        price = lane.profile.price
        budget = self.budget
        # Judge spend counts against --max-cost like any request, held while in flight.
        bound = budget.request_bound(
            price, lane.profile.name, request.messages, request.params.get("max_tokens"), 256
        )
        budget.hold(bound)
        outcome = None
        try:
            outcome = await lane.call(request, 0)
        finally:
            done = None if outcome is None else outcome.completion
            budget.settle(
                bound,
                None
                if done is None or price is None
                else price.cost(done.input_tokens, done.output_tokens),
            )
        health.observe(outcome.error)
        if outcome.completion is None:
            assert outcome.error is not None
            raise outcome.error
        if key is not None and self._writer is not None:
            self.remember(key, lane.profile.spec, outcome.completion, outcome.latency_ms)
        return outcome.completion

    async def embed(
        self, model: ModelProfile, texts: list[str], *, retry: EmbedRetry | None = None
    ) -> list[list[float]]:
        """Vectors of `texts` from `model`'s embeddings endpoint, in order.

        Through the same retry loop and limits as `generate` (an endpoint that
        throttles embeddings slows its chat requests too, and the reverse);
        `retry` replaces the run's retry count and first delay for this model.
        Embeddings carry no price, so the budget is not touched; vectors are
        cached by the scorer's `EmbeddingCache`, not as answers.
        """
        lane = self._embed_lane(model, retry)
        provider = lane.provider
        if not isinstance(provider, EmbeddingProvider):
            raise ValueError(f"model {model.spec!r}: its provider serves no embeddings")
        request = EmbedRequest(model.model_id, texts, lane.timeout)
        outcome = await lane.send(provider.embed, request, 0)
        if outcome.completion is None:
            assert outcome.error is not None
            raise outcome.error
        return outcome.completion

    def _embed_lane(self, model: ModelProfile, retry: EmbedRetry | None) -> ModelLane:
        key = (model.spec, model.base_url, model.api_key_env, model.timeout, retry)
        lane = self._embed_lanes.get(key)
        if lane is None:
            policy = self._policy()
            if retry is not None:
                policy.retries, policy.base_delay = retry.retries, retry.delay
                policy.max_delay = EMBED_MAX_DELAY
            lane = self._embed_lanes[key] = self._lane(model, policy)
        return lane


class GatewayContext:
    """The `ScoreContext` lent to scorers: the gateway's model calls, and how the run's
    config says to score (its `--judge-model`, its `--executor`)."""

    def __init__(self, gateway: ModelGateway) -> None:
        self._gateway = gateway
        self.judge_model = gateway.config.judge_model
        self.executor = gateway.config.executor
        self.embeddings: EmbeddingCache | None = EmbeddingStore(gateway.store)

    def price(self, model: str) -> Price | None:
        return self._gateway.price(model)

    async def generate(self, model: str, request: GenerateRequest) -> Completion:
        return await self._gateway.generate(model, request)

    async def embed(
        self, model: ModelProfile, texts: list[str], *, retry: EmbedRetry | None = None
    ) -> list[list[float]]:
        return await self._gateway.embed(model, texts, retry=retry)


def _cache_row(
    key: str, spec: str, completion: Completion, latency_ms: float | None
) -> dict[str, Any]:
    return {
        "key": key,
        "model": spec,
        "completion": json.dumps(
            {"completion": _completion_dict(completion), "latency_ms": latency_ms},
            ensure_ascii=False,
        ),
        "created_at": time.time(),
    }


def _completion_dict(c: Completion) -> dict[str, Any]:
    return {
        "text": c.text,
        "tool_calls": c.tool_calls,
        "finish_reason": c.finish_reason,
        "input_tokens": c.input_tokens,
        "output_tokens": c.output_tokens,
        "reasoning": c.reasoning,
    }
