"""OpenAIProvider against the stub server over real HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from benchlab.providers.base import GenerateRequest
from benchlab.providers.openai import OpenAIProvider
from support.servers import StubServer

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


@pytest.fixture
async def provider(stub_server: StubServer) -> AsyncIterator[OpenAIProvider]:
    p = OpenAIProvider(stub_server.url + "/v1", "sk-test")
    yield p
    await p.aclose()


def ask(text: str, **params: object) -> GenerateRequest:
    return GenerateRequest(
        model="gpt-stub",
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": text},
        ],
        params=dict(params),
        timeout=5,
    )


async def test_happy_path(provider: OpenAIProvider, stub_server: StubServer) -> None:
    completion = await provider.generate(ask("what is two plus two", temperature=0.2, seed=7))

    assert completion.text == "what is two plus two"
    assert completion.finish_reason == "stop"
    assert completion.input_tokens == 7  # "Be brief." + five words
    assert completion.output_tokens == 5
    assert completion.tool_calls is None
    [received] = stub_server.requests
    assert received["path"] == "/v1/chat/completions"
    assert received["headers"]["authorization"] == "Bearer sk-test"
    assert received["json"]["model"] == "gpt-stub"
    assert received["json"]["temperature"] == 0.2
    assert received["json"]["seed"] == 7
    assert received["json"]["messages"][0] == {"role": "system", "content": "Be brief."}


async def test_max_tokens_cuts_and_reports_length(provider: OpenAIProvider) -> None:
    completion = await provider.generate(ask("one two three four", max_tokens=2))

    assert completion.text == "one two"
    assert completion.finish_reason == "length"


async def test_tool_calls_are_kept(provider: OpenAIProvider, stub_server: StubServer) -> None:
    stub_server.tool_calls = lambda payload: [
        {"name": "get_weather", "arguments": {"city": "Paris"}}
    ]
    request = ask("weather in Paris?")
    request.tools = [WEATHER_TOOL]
    request.response_format = {"type": "json_object"}

    completion = await provider.generate(request)

    assert completion.finish_reason == "tool_calls"
    [call] = completion.tool_calls or []
    assert call["type"] == "function"
    assert call["function"]["name"] == "get_weather"
    assert json.loads(call["function"]["arguments"]) == {"city": "Paris"}
    sent = stub_server.requests[0]["json"]
    assert sent["tools"] == [WEATHER_TOOL]
    assert sent["response_format"] == {"type": "json_object"}


async def test_custom_answer(provider: OpenAIProvider, stub_server: StubServer) -> None:
    stub_server.answer = lambda payload: "forty two"

    completion = await provider.generate(ask("meaning of life"))

    assert completion.text == "forty two"
    assert completion.output_tokens == 2


async def test_one_session_serves_many_requests(
    provider: OpenAIProvider, stub_server: StubServer
) -> None:
    for i in range(3):
        assert (await provider.generate(ask(f"n {i}"))).text == f"n {i}"
    assert stub_server.count == 3
