"""OllamaProvider against the stub server over real HTTP, plus its translations."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from benchlab.providers._http import JsonHttpClient
from benchlab.providers.base import GenerateRequest
from benchlab.providers.errors import BadResponse, RequestRejected
from benchlab.providers.ollama import OllamaProvider, convert_messages
from support.servers import Status, StubServer


@pytest.fixture
async def provider(stub_server: StubServer) -> AsyncIterator[OllamaProvider]:
    p = OllamaProvider(stub_server.url)
    yield p
    await p.aclose()


def ask(*messages: dict[str, Any], **params: Any) -> GenerateRequest:
    return GenerateRequest(model="llama3.2", messages=list(messages), params=params, timeout=5)


def user(text: str) -> dict[str, Any]:
    return {"role": "user", "content": text}


async def test_happy_path_and_options(provider: OllamaProvider, stub_server: StubServer) -> None:
    messages = [{"role": "system", "content": "Be brief."}, user("alpha beta gamma delta")]
    completion = await provider.generate(
        ask(
            *messages,
            temperature=0.1,
            top_p=0.5,
            seed=42,
            max_tokens=3,
            stop="delta",
            top_k=20,
            keep_alive="5m",
        )
    )

    assert completion.text == "alpha beta gamma "  # cut before the stop sequence
    assert completion.finish_reason == "stop"
    assert completion.input_tokens == 6
    assert completion.output_tokens == 3
    [received] = stub_server.requests
    assert received["path"] == "/api/chat"
    sent = received["json"]
    assert sent["model"] == "llama3.2"
    assert sent["stream"] is False
    assert sent["messages"] == messages
    assert sent["keep_alive"] == "5m"
    assert sent["options"] == {
        "temperature": 0.1,
        "top_p": 0.5,
        "seed": 42,
        "num_predict": 3,
        "stop": ["delta"],
        "top_k": 20,
    }


async def test_num_predict_reports_length(provider: OllamaProvider) -> None:
    completion = await provider.generate(ask(user("one two three"), max_tokens=2))

    assert completion.text == "one two"
    assert completion.finish_reason == "length"


async def test_tool_calls_come_back_openai_shaped(
    provider: OllamaProvider, stub_server: StubServer
) -> None:
    tool = {"type": "function", "function": {"name": "get_weather", "parameters": {}}}
    stub_server.tool_calls = lambda payload: [
        {"name": "get_weather", "arguments": {"city": "Paris"}},
        {"name": "get_weather", "arguments": {"city": "Rome"}},
    ]
    stub_server.answer = lambda payload: ""
    request = ask(user("weather?"))
    request.tools = [tool]
    request.response_format = {"type": "json_object"}

    completion = await provider.generate(request)

    sent = stub_server.requests[0]["json"]
    assert sent["tools"] == [tool]
    assert sent["format"] == "json"
    assert completion.text == ""
    assert completion.finish_reason == "tool_calls"
    assert completion.tool_calls == [
        {
            "id": "call_0",
            "type": "function",
            "function": {"name": "get_weather", "arguments": json.dumps({"city": "Paris"})},
        },
        {
            "id": "call_1",
            "type": "function",
            "function": {"name": "get_weather", "arguments": json.dumps({"city": "Rome"})},
        },
    ]


def test_tool_history_is_translated() -> None:
    messages = convert_messages(
        [
            user("weather?"),
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "t1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "t1", "content": "sunny"},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "and this?"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,QUJD"}},
                ],
            },
        ]
    )

    assert messages == [
        user("weather?"),
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}],
        },
        {"role": "tool", "content": "sunny", "tool_name": "get_weather"},
        {"role": "user", "content": "and this?", "images": ["QUJD"]},
    ]


def test_remote_images_are_rejected() -> None:
    part = {"type": "image_url", "image_url": {"url": "https://example.test/a.png"}}
    with pytest.raises(RequestRejected, match="base64"):
        convert_messages([{"role": "user", "content": [part]}])


async def test_host_without_scheme(stub_server: StubServer) -> None:
    provider = OllamaProvider(stub_server.url.removeprefix("http://"))
    try:
        assert (await provider.generate(ask(user("hi")))).text == "hi"
    finally:
        await provider.aclose()


async def test_error_body_message_is_kept(
    provider: OllamaProvider, stub_server: StubServer
) -> None:
    stub_server.script(Status(404, body={"error": 'model "llama3.2" not found, try pulling it'}))

    with pytest.raises(RequestRejected, match="try pulling it") as info:
        await provider.generate(ask(user("hi")))

    assert info.value.status == 404


async def test_stub_streams_ndjson_unless_told_not_to(stub_server: StubServer) -> None:
    """Ollama's default is to stream; a client that forgets stream=false cannot parse it."""
    client = JsonHttpClient(stub_server.url, {})
    try:
        with pytest.raises(BadResponse):
            await client.post_json("/api/chat", {"model": "m", "messages": [user("hi")]}, 5)
    finally:
        await client.aclose()
