"""AnthropicProvider against the stub server over real HTTP, plus its translations."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from benchlab.providers.anthropic import (
    AnthropicProvider,
    build_payload,
    convert_messages,
    parse_message,
)
from benchlab.providers.base import GenerateRequest
from benchlab.providers.errors import AuthenticationFailed, RateLimited, RequestRejected
from support.servers import Status, StubServer

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


@pytest.fixture
async def provider(stub_server: StubServer) -> AsyncIterator[AnthropicProvider]:
    p = AnthropicProvider(stub_server.url, "sk-ant-test")
    yield p
    await p.aclose()


def ask(*messages: dict[str, Any], **params: Any) -> GenerateRequest:
    return GenerateRequest(model="claude-stub", messages=list(messages), params=params, timeout=5)


def user(text: str) -> dict[str, Any]:
    return {"role": "user", "content": text}


async def test_happy_path_with_system(provider: AnthropicProvider, stub_server: StubServer) -> None:
    completion = await provider.generate(
        ask(
            {"role": "system", "content": "Be brief."},
            {"role": "system", "content": "Answer in English."},
            user("what is two plus two"),
        )
    )

    assert completion.text == "what is two plus two"
    assert completion.finish_reason == "stop"
    assert completion.input_tokens == 2 + 3 + 5
    assert completion.output_tokens == 5
    assert completion.tool_calls is None
    [received] = stub_server.requests
    assert received["path"] == "/v1/messages"
    assert received["headers"]["x-api-key"] == "sk-ant-test"
    assert received["headers"]["anthropic-version"] == "2023-06-01"
    sent = received["json"]
    assert sent["system"] == "Be brief.\n\nAnswer in English."
    assert sent["messages"] == [user("what is two plus two")]
    assert sent["max_tokens"] == 1024  # required by the API; our default


async def test_params_mapping(provider: AnthropicProvider, stub_server: StubServer) -> None:
    completion = await provider.generate(
        ask(
            user("alpha beta STOP gamma"),
            temperature=0.3,
            top_p=0.9,
            stop="STOP",
            seed=1,
            max_tokens=50,
            top_k=5,
        )
    )

    sent = stub_server.requests[0]["json"]
    assert sent["temperature"] == 0.3
    assert sent["top_p"] == 0.9
    assert sent["top_k"] == 5
    assert sent["max_tokens"] == 50
    assert sent["stop_sequences"] == ["STOP"]
    assert "seed" not in sent and "stop" not in sent and "system" not in sent
    assert completion.text == "alpha beta "
    assert completion.finish_reason == "stop"


async def test_max_tokens_reports_length(provider: AnthropicProvider) -> None:
    completion = await provider.generate(ask(user("one two three"), max_tokens=1))

    assert completion.text == "one"
    assert completion.finish_reason == "length"


async def test_tools_and_tool_calls(provider: AnthropicProvider, stub_server: StubServer) -> None:
    stub_server.tool_calls = lambda payload: [
        {"id": "1", "name": "get_weather", "arguments": {"city": "Paris"}}
    ]
    stub_server.answer = lambda payload: "Let me check."
    request = ask(user("weather in Paris?"), tool_choice="required")
    request.tools = [WEATHER_TOOL]

    completion = await provider.generate(request)

    sent = stub_server.requests[0]["json"]
    assert sent["tools"] == [
        {
            "name": "get_weather",
            "description": "Current weather for a city",
            "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
        }
    ]
    assert sent["tool_choice"] == {"type": "any"}
    assert completion.text == "Let me check."
    assert completion.finish_reason == "tool_calls"
    [call] = completion.tool_calls or []
    assert call == {
        "id": "toolu_1",
        "type": "function",
        "function": {"name": "get_weather", "arguments": json.dumps({"city": "Paris"})},
    }


async def test_tool_conversation_round_trip(
    provider: AnthropicProvider, stub_server: StubServer
) -> None:
    history = [
        {"role": "system", "content": "Use tools."},
        user("weather in Paris and Rome?"),
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "t1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                },
                {
                    "id": "t2",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Rome"}'},
                },
            ],
        },
        {"role": "tool", "tool_call_id": "t1", "content": "sunny"},
        {"role": "tool", "tool_call_id": "t2", "content": "rainy"},
    ]

    completion = await provider.generate(ask(*history))

    assert completion.text == "sunnyrainy"  # the stub echoes the last user turn's text
    sent = stub_server.requests[0]["json"]
    assert sent["system"] == "Use tools."
    assert sent["messages"][1] == {
        "role": "assistant",
        "content": [
            {"type": "tool_use", "id": "t1", "name": "get_weather", "input": {"city": "Paris"}},
            {"type": "tool_use", "id": "t2", "name": "get_weather", "input": {"city": "Rome"}},
        ],
    }
    assert sent["messages"][2] == {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "t1", "content": "sunny"},
            {"type": "tool_result", "tool_use_id": "t2", "content": "rainy"},
        ],
    }


async def test_base_url_with_version_segment(stub_server: StubServer) -> None:
    provider = AnthropicProvider(stub_server.url + "/v1/", "k")
    try:
        assert (await provider.generate(ask(user("hi")))).text == "hi"
    finally:
        await provider.aclose()
    assert stub_server.requests[0]["path"] == "/v1/messages"


async def test_missing_key_is_authentication_failure(stub_server: StubServer) -> None:
    provider = AnthropicProvider(stub_server.url, None)
    try:
        with pytest.raises(AuthenticationFailed, match="x-api-key"):
            await provider.generate(ask(user("hi")))
    finally:
        await provider.aclose()


async def test_overloaded_529_is_rate_limited(
    provider: AnthropicProvider, stub_server: StubServer
) -> None:
    stub_server.script(Status(529))

    with pytest.raises(RateLimited, match="Overloaded error") as info:
        await provider.generate(ask(user("hi")))

    assert info.value.status == 529
    assert info.value.retryable


def test_images_become_blocks() -> None:
    _, messages = convert_messages(
        [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "what is this?"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
                    {"type": "image_url", "image_url": {"url": "https://example.test/a.png"}},
                ],
            }
        ]
    )

    assert messages[0]["content"] == [
        {"type": "text", "text": "what is this?"},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}},
        {"type": "image", "source": {"type": "url", "url": "https://example.test/a.png"}},
    ]


def test_bad_tool_arguments_in_history_are_rejected() -> None:
    call = {"id": "t", "type": "function", "function": {"name": "f", "arguments": "{nope"}}
    with pytest.raises(RequestRejected, match="non-JSON"):
        build_payload(ask(user("x"), {"role": "assistant", "tool_calls": [call]}))


def test_parse_sums_cache_tokens_and_skips_thinking() -> None:
    completion = parse_message(
        {
            "content": [
                {"type": "thinking", "thinking": "hmm", "signature": "s"},
                {"type": "text", "text": "a"},
                {"type": "text", "text": "b"},
            ],
            "stop_reason": "refusal",
            "usage": {
                "input_tokens": 3,
                "cache_read_input_tokens": 10,
                "cache_creation_input_tokens": 2,
                "output_tokens": 4,
            },
        }
    )

    assert completion.text == "ab"
    assert completion.finish_reason == "refusal"
    assert (completion.input_tokens, completion.output_tokens) == (15, 4)


def test_error_envelope_with_2xx_status_is_mapped() -> None:
    body = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    with pytest.raises(RateLimited, match="Overloaded"):
        parse_message(body)
