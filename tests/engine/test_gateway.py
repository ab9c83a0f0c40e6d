"""The model gateway over real HTTP (the OpenAI-wire stub): retries, shared limits, budget, cache.

Every kind of request goes through the gateway's one retry loop and the same
limits; these tests pin that for chat requests and embeddings alike, the
budget held while a request is in flight and charged after, and the answer
cache that spares a second identical question.
"""

from __future__ import annotations

import asyncio

import pytest

from benchlab.domain import ModelProfile, Price
from benchlab.engine.config import RunConfig
from benchlab.engine.gateway import ModelGateway
from benchlab.providers.base import GenerateRequest
from benchlab.providers.errors import RateLimited
from benchlab.scorers.base import EmbedRetry
from benchlab.store import Store
from support.servers import Status, StubServer, bag_of_words

JUDGE = ModelProfile(name="judge", spec="openai/judge", price=Price(input=2.0, output=8.0))


def _config(db_url: str, **extra: object) -> RunConfig:
    return RunConfig.model_validate(
        {
            "suites": ["quickstart"],
            "models": [JUDGE],
            "db": db_url,
            "retries": 3,
            "retry_base_delay": 0.01,
            "retry_max_delay": 0.05,
            "concurrency": 8,
            **extra,
        }
    )


def _env(server: StubServer) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.openai_base_url, "OPENAI_API_KEY": "sk-test"}


def _ask(text: str) -> GenerateRequest:
    return GenerateRequest(model="", messages=[{"role": "user", "content": text}])


def _emb(server: StubServer) -> ModelProfile:
    return ModelProfile(name="openai/emb", spec="openai/emb", base_url=server.openai_base_url)


async def test_generate_retries_a_429_then_answers_and_backs_the_endpoint_off(
    db_url: str, stub_server: StubServer
) -> None:
    stub_server.script(Status(429, retry_after=0.01))
    with Store(db_url) as store:
        gateway = ModelGateway(_config(db_url), store, env=_env(stub_server))
        async with gateway.session() as ctx:
            completion = await ctx.generate("judge", _ask("answer seven"))
        limiter = gateway.endpoint_limit(stub_server.openai_base_url)
    assert completion.text == "answer seven" and stub_server.count == 2
    assert stub_server.requests[1]["json"]["model"] == "judge"
    assert limiter is not None and limiter.limit < 8  # halved on the 429


async def test_embed_goes_through_the_same_retries_and_endpoint_limit(
    db_url: str, stub_server: StubServer
) -> None:
    """The embeddings loop of old retried on its own and knew no limiter: a 429 on an
    embedding left the endpoint's chat requests at full speed. Now it is one loop."""
    stub_server.script(Status(429, retry_after=0.01), Status(500))
    with Store(db_url) as store:
        gateway = ModelGateway(_config(db_url), store, env=_env(stub_server))
        async with gateway.session() as ctx:
            vectors = await ctx.embed(_emb(stub_server), ["a b", "c"], retry=EmbedRetry(2, 0.01))
            chat = gateway.lane_for("judge")
        limiter = gateway.endpoint_limit(stub_server.openai_base_url)
    assert vectors == [bag_of_words("a b"), bag_of_words("c")]
    assert stub_server.count == 3 and stub_server.requests[2]["path"] == "/v1/embeddings"
    assert limiter is not None and limiter.limit < 8
    assert chat.endpoint_limit is limiter  # the chat lane to that endpoint slowed down too


async def test_embed_gives_up_after_its_retries_with_the_providers_error(
    db_url: str, stub_server: StubServer
) -> None:
    stub_server.script(*[Status(429, retry_after=0.01)] * 3)
    with Store(db_url) as store:
        gateway = ModelGateway(_config(db_url), store, env=_env(stub_server))
        async with gateway.session() as ctx:
            with pytest.raises(RateLimited, match="429"):
                await ctx.embed(_emb(stub_server), ["x"], retry=EmbedRetry(1, 0.01))
    assert stub_server.count == 2  # the first try and one retry


async def test_embed_and_generate_share_the_global_bound(
    db_url: str, stub_server: StubServer
) -> None:
    stub_server.delay = 0.05
    with Store(db_url) as store:
        gateway = ModelGateway(_config(db_url, concurrency=2), store, env=_env(stub_server))
        async with gateway.session() as ctx:
            emb = _emb(stub_server)
            await asyncio.gather(
                *(ctx.generate("judge", _ask(f"q {i}")) for i in range(3)),
                *(ctx.embed(emb, [f"text {i}"]) for i in range(3)),
            )
    assert stub_server.count == 6
    assert stub_server.max_in_flight == 2  # reached, never passed, whatever the request


async def test_a_judge_call_holds_its_bound_in_flight_and_is_charged_what_it_cost(
    db_url: str, stub_server: StubServer
) -> None:
    stub_server.delay = 0.3
    with Store(db_url) as store:
        gateway = ModelGateway(_config(db_url, max_cost=5.0), store, env=_env(stub_server))
        budget = gateway.budget
        async with gateway.session() as ctx:
            task = asyncio.create_task(ctx.generate("judge", _ask("three little words")))
            while stub_server.count == 0:
                await asyncio.sleep(0.01)
            held, in_flight = budget.reserved, budget.in_flight
            completion = await task
    assert in_flight == 1 and held > 0
    assert budget.in_flight == 0 and budget.reserved == 0
    assert completion.input_tokens and completion.output_tokens
    price = JUDGE.price
    assert price is not None
    assert budget.spent == pytest.approx(
        price.cost(completion.input_tokens, completion.output_tokens)
    )


async def test_send_settles_the_reserved_bound_and_learns_the_longest_answer(
    db_url: str, stub_server: StubServer
) -> None:
    with Store(db_url) as store:
        gateway = ModelGateway(_config(db_url, max_cost=5.0), store, env=_env(stub_server))
        budget = gateway.budget
        async with gateway.session():
            lane = gateway.lane_for("judge")
            assert await budget.reserve(0.01)
            request = _ask("one two three four five")
            request.model = "judge"
            outcome = await gateway.send(lane, request, 0.01, 0)
    done = outcome.completion
    assert done is not None and done.output_tokens == 5 and outcome.retries == 0
    assert budget.reserved == 0 and budget.in_flight == 0
    assert budget.spent == pytest.approx(2.0 * (done.input_tokens or 0) / 1e6 + 8.0 * 5 / 1e6)
    assert budget.output_bound("judge", None, 1) == 5  # the next bound expects as long an answer


async def test_a_repeated_question_is_answered_from_the_cache(
    db_url: str, stub_server: StubServer
) -> None:
    with Store(db_url) as store:
        for _ in range(2):  # two passes: the first one's answer was written when it closed
            gateway = ModelGateway(_config(db_url), store, env=_env(stub_server))
            async with gateway.session() as ctx:
                completion = await ctx.generate("judge", _ask("cached please"))
            assert completion.text == "cached please"
        assert stub_server.count == 1
        gateway = ModelGateway(_config(db_url, judge_cache=False), store, env=_env(stub_server))
        async with gateway.session() as ctx:
            await ctx.generate("judge", _ask("cached please"))
    assert stub_server.count == 2  # `--no-cache` asks again
