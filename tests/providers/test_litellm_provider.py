"""LiteLLMProvider: lazy import, the missing-extra message, exception mapping, and a real run.

Most tests stand a small fake ``litellm`` module in ``sys.modules`` so they run
whether or not the optional extra is installed; the slow test at the end routes
a real litellm call to the stub server and is skipped without litellm.
"""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import types
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from benchlab.errors import ConfigError
from benchlab.providers.base import GenerateRequest
from benchlab.providers.errors import (
    AuthenticationFailed,
    BadResponse,
    ConnectionFailed,
    ModelNotFound,
    ProviderError,
    ProviderTimeout,
    RateLimited,
    RequestRejected,
    ServerError,
)
from benchlab.providers.litellm_provider import MISSING_EXTRA, LiteLLMProvider
from support.servers import Behaviour, Garbage, Hang, Status, StubServer, Truncated


def ask(model: str = "openai/stub-model", **params: Any) -> GenerateRequest:
    return GenerateRequest(
        model=model,
        messages=[{"role": "user", "content": "hello there"}],
        params=params,
        timeout=5,
    )


def test_importing_the_module_does_not_import_litellm() -> None:
    code = (
        "import sys, benchlab.providers.litellm_provider\n"
        "assert 'litellm' not in sys.modules, 'litellm imported eagerly'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_clear_error_when_litellm_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "litellm", None)  # makes `import litellm` fail

    with pytest.raises(ConfigError) as info:
        LiteLLMProvider()

    assert str(info.value) == MISSING_EXTRA
    assert "pip install 'benchlab[litellm]'" in str(info.value)


# --- a fake litellm ----------------------------------------------------------------------------


class FakeError(Exception):
    def __init__(
        self, message: str = "boom", status_code: int | None = None, headers: Any = None
    ) -> None:
        super().__init__(message)
        self.message = f"litellm.{type(self).__name__}: {message}"
        self.status_code = status_code
        self.litellm_response_headers = headers


def _error_class(name: str, base: type[Exception] = FakeError) -> type[Exception]:
    return type(name, (base,), {})


@pytest.fixture
def fake_litellm(monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    module = types.ModuleType("litellm")
    for name in (
        "RateLimitError",
        "Timeout",
        "APIConnectionError",
        "ServiceUnavailableError",
        "InternalServerError",
        "AuthenticationError",
        "PermissionDeniedError",
        "BadRequestError",
        "NotFoundError",
        "APIError",
    ):
        setattr(module, name, _error_class(name))
    module.ContextWindowExceededError = _error_class(  # type: ignore[attr-defined]
        "ContextWindowExceededError", module.BadRequestError
    )
    module.calls = []  # type: ignore[attr-defined]
    module.raises = None  # type: ignore[attr-defined]

    async def acompletion(**kwargs: Any) -> Any:
        module.calls.append(kwargs)
        if module.raises is not None:
            raise module.raises
        call = SimpleNamespace(
            id="call_1", function=SimpleNamespace(name="f", arguments='{"a": 1}')
        )
        message = SimpleNamespace(content="hi", tool_calls=[call])
        return SimpleNamespace(
            choices=[SimpleNamespace(message=message, finish_reason="tool_calls")],
            usage=SimpleNamespace(prompt_tokens=5, completion_tokens=1),
        )

    module.acompletion = acompletion  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "litellm", module)
    yield module


async def test_call_and_response(fake_litellm: Any) -> None:
    provider = LiteLLMProvider(api_base="http://127.0.0.1:1/v1", api_key="k")
    request = ask(temperature=0.5)
    request.tools = [{"type": "function", "function": {"name": "f", "parameters": {}}}]
    request.response_format = {"type": "json_object"}

    completion = await provider.generate(request)
    await provider.aclose()

    assert completion.text == "hi"
    assert completion.finish_reason == "tool_calls"
    assert completion.tool_calls == [
        {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": '{"a": 1}'}}
    ]
    assert (completion.input_tokens, completion.output_tokens) == (5, 1)
    [kwargs] = fake_litellm.calls
    assert kwargs["model"] == "openai/stub-model"
    assert kwargs["messages"] == request.messages
    assert kwargs["temperature"] == 0.5
    assert kwargs["timeout"] == 5
    assert kwargs["max_retries"] == 0  # the engine retries, not litellm
    assert kwargs["api_base"] == "http://127.0.0.1:1/v1"
    assert kwargs["api_key"] == "k"
    assert kwargs["tools"] == request.tools
    assert kwargs["response_format"] == {"type": "json_object"}


@pytest.mark.parametrize(
    ("name", "status", "expected"),
    [
        ("RateLimitError", 429, RateLimited),
        ("Timeout", 408, ProviderTimeout),
        ("APIConnectionError", None, ConnectionFailed),
        ("ServiceUnavailableError", 503, ServerError),
        ("InternalServerError", 500, ServerError),
        ("AuthenticationError", 401, AuthenticationFailed),
        ("PermissionDeniedError", 403, AuthenticationFailed),
        ("BadRequestError", 400, RequestRejected),
        ("ContextWindowExceededError", 400, RequestRejected),
        ("NotFoundError", 404, ModelNotFound),
        ("APIError", 502, ServerError),  # not in the table: mapped by its status
        ("APIError", None, ProviderError),  # nothing to go on
    ],
)
async def test_exceptions_are_mapped_by_name(
    fake_litellm: Any, name: str, status: int | None, expected: type[ProviderError]
) -> None:
    fake_litellm.raises = getattr(fake_litellm, name)("nope", status)
    provider = LiteLLMProvider()

    with pytest.raises(ProviderError) as info:
        await provider.generate(ask())

    assert type(info.value) is expected
    assert "nope" in str(info.value)


async def test_rate_limit_keeps_retry_after(fake_litellm: Any) -> None:
    fake_litellm.raises = fake_litellm.RateLimitError("slow down", 429, {"retry-after": "7"})

    with pytest.raises(RateLimited) as info:
        await LiteLLMProvider().generate(ask())

    assert info.value.retry_after == 7.0
    assert info.value.status == 429


@pytest.mark.parametrize(
    ("wrapper", "cause", "expected"),
    [
        ("InternalServerError", ConnectionRefusedError(111, "refused"), ConnectionFailed),
        ("APIConnectionError", ModuleNotFoundError("No module named 'mcp'"), RequestRejected),
        ("APIError", TimeoutError("read timed out"), ProviderError),  # builtin: not recognised
    ],
)
async def test_wrapped_causes_are_unwrapped(
    fake_litellm: Any, wrapper: str, cause: Exception, expected: type[ProviderError]
) -> None:
    """litellm hides a refused connection in a 500 and its own import errors in a
    connection error; the cause decides whether a retry can help."""
    error = getattr(fake_litellm, wrapper)("wrapped", 500 if wrapper != "APIError" else None)
    error.__cause__ = cause
    fake_litellm.raises = error

    with pytest.raises(ProviderError) as info:
        await LiteLLMProvider().generate(ask())

    assert type(info.value) is expected


async def test_response_without_choices_is_bad(fake_litellm: Any) -> None:
    async def empty(**kwargs: Any) -> Any:
        return SimpleNamespace(choices=[], usage=None)

    fake_litellm.acompletion = empty

    with pytest.raises(BadResponse):
        await LiteLLMProvider().generate(ask())


# --- the real thing ----------------------------------------------------------------------------


@pytest.mark.slow
# litellm's own types trip a pydantic warning the first time a response is built.
@pytest.mark.filterwarnings("ignore:Item .* is using the `ReadOnly` qualifier:UserWarning")
async def test_real_litellm_through_the_stub_server(
    stub_server: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    pytest.importorskip("litellm")
    stub_server.tool_calls = lambda payload: (
        [{"name": "f", "arguments": {"a": 1}}] if payload.get("tools") else None
    )
    provider = LiteLLMProvider(api_base=stub_server.url + "/v1", api_key="sk-test")
    try:
        completion = await provider.generate(ask(temperature=0.5, seed=3, max_tokens=10))
        assert completion.text == "hello there"
        assert completion.finish_reason == "stop"
        assert (completion.input_tokens, completion.output_tokens) == (2, 2)
        sent = stub_server.requests[-1]
        assert sent["path"] == "/v1/chat/completions"
        assert sent["headers"]["authorization"] == "Bearer sk-test"
        assert sent["json"]["model"] == "stub-model"
        assert (sent["json"]["temperature"], sent["json"]["seed"]) == (0.5, 3)

        request = ask()
        request.tools = [{"type": "function", "function": {"name": "f", "parameters": {}}}]
        try:
            with_tools = await provider.generate(request)
        except RequestRejected as exc:
            # litellm 1.106 imports its optional `mcp` module whenever tools are sent.
            assert "mcp" in str(exc) and importlib.util.find_spec("mcp") is None
        else:
            [call] = with_tools.tool_calls or []
            assert call["function"]["name"] == "f"
            assert json.loads(call["function"]["arguments"]) == {"a": 1}

        failures: list[tuple[Behaviour, type[ProviderError]]] = [
            (Status(429, retry_after=2), RateLimited),
            (Status(500), ServerError),
            (Status(401), AuthenticationFailed),
            (Status(400), RequestRejected),
            (Garbage(), ProviderError),
            (Truncated(), ProviderError),
        ]
        for behaviour, expected in failures:
            stub_server.script(behaviour)
            before = stub_server.count
            with pytest.raises(expected) as info:
                await provider.generate(ask())
            assert stub_server.count == before + 1, f"litellm retried on {behaviour}"
            if isinstance(behaviour, Status) and behaviour.retry_after:
                assert info.value.retry_after == 2.0  # type: ignore[attr-defined]

        stub_server.script(Hang(5))
        timed = ask()
        timed.timeout = 0.3
        with pytest.raises(ProviderTimeout):
            await provider.generate(timed)
    finally:
        await provider.aclose()

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    refused = LiteLLMProvider(api_base=f"http://127.0.0.1:{port}/v1", api_key="k")
    with pytest.raises(ConnectionFailed):
        await refused.generate(ask())
