"""Every HTTP failure mode reaches the engine as one of our error types, for each family.

Runs over real HTTP against the stub server: statuses with each family's own
error body, Retry-After, a server slower than the timeout, a body cut short,
a non-JSON body and a closed port.
"""

from __future__ import annotations

import email.utils
import socket
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from benchlab.providers.anthropic import AnthropicProvider
from benchlab.providers.base import GenerateRequest, Provider
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
    parse_retry_after,
)
from benchlab.providers.ollama import OllamaProvider
from benchlab.providers.openai import OpenAIProvider
from support.servers import Garbage, Hang, Ok, Status, StubServer, Truncated

FAMILIES: dict[str, Callable[[str], Provider]] = {
    "openai": lambda url: OpenAIProvider(url + "/v1", "sk-test"),
    "anthropic": lambda url: AnthropicProvider(url, "sk-ant-test"),
    "ollama": lambda url: OllamaProvider(url),
}


@pytest.fixture(params=sorted(FAMILIES))
async def provider(
    request: pytest.FixtureRequest, stub_server: StubServer
) -> AsyncIterator[Provider]:
    p = FAMILIES[request.param](stub_server.url)
    yield p
    await p.aclose()


def ask(timeout: float = 5.0) -> GenerateRequest:
    return GenerateRequest(
        model="m", messages=[{"role": "user", "content": "hello there"}], timeout=timeout
    )


@pytest.mark.parametrize(
    ("behaviour", "error", "kind"),
    [
        (Status(500), ServerError, "server"),
        (Status(502), ServerError, "server"),
        (Status(401), AuthenticationFailed, "auth"),
        (Status(403), AuthenticationFailed, "auth"),
        (Status(400), RequestRejected, "rejected"),
        (Status(404), ModelNotFound, "not_found"),
        (Status(429), RateLimited, "rate_limit"),
        (Garbage(), BadResponse, "bad_response"),
        (Truncated(), ConnectionFailed, "transport"),
        (Status(200, body={"unexpected": "shape"}), BadResponse, "bad_response"),
    ],
)
async def test_failure_maps_to_our_type(
    provider: Provider,
    stub_server: StubServer,
    behaviour: Any,
    error: type[ProviderError],
    kind: str,
) -> None:
    stub_server.script(behaviour)

    with pytest.raises(error) as info:
        await provider.generate(ask())

    assert type(info.value) is error
    assert info.value.kind == kind  # the error_type an errored attempt records
    if isinstance(behaviour, Status) and behaviour.code >= 400:
        assert info.value.status == behaviour.code
    assert stub_server.count == 1


async def test_error_body_message_is_surfaced(provider: Provider, stub_server: StubServer) -> None:
    bodies: dict[str, dict[str, Any]] = {
        "openai": {"error": {"message": "bad temperature", "type": "invalid_request_error"}},
        "anthropic": {
            "type": "error",
            "error": {"type": "invalid_request_error", "message": "bad temperature"},
        },
        "ollama": {"error": "bad temperature"},
    }
    body = bodies[provider.family]
    stub_server.script(Status(400, body=body))

    with pytest.raises(RequestRejected, match=r"HTTP 400 .*: bad temperature$"):
        await provider.generate(ask())


async def test_429_with_retry_after_seconds(provider: Provider, stub_server: StubServer) -> None:
    stub_server.script(Status(429, retry_after=1))

    with pytest.raises(RateLimited) as info:
        await provider.generate(ask())

    assert info.value.retry_after == 1.0
    assert info.value.retryable


async def test_429_with_retry_after_http_date(provider: Provider, stub_server: StubServer) -> None:
    stub_server.script(
        Status(429, retry_after=email.utils.formatdate(time.time() + 30, usegmt=True))
    )

    with pytest.raises(RateLimited) as info:
        await provider.generate(ask())

    assert info.value.retry_after is not None
    assert 25 <= info.value.retry_after <= 31


async def test_429_without_retry_after(provider: Provider, stub_server: StubServer) -> None:
    stub_server.script(Status(429))

    with pytest.raises(RateLimited) as info:
        await provider.generate(ask())

    assert info.value.retry_after is None


async def test_hang_past_timeout(provider: Provider, stub_server: StubServer) -> None:
    stub_server.script(Hang(5))
    started = time.monotonic()

    with pytest.raises(ProviderTimeout):
        await provider.generate(ask(timeout=0.2))

    assert time.monotonic() - started < 2


async def test_delay_within_timeout_still_answers(
    provider: Provider, stub_server: StubServer
) -> None:
    stub_server.delay = 0.05
    assert (await provider.generate(ask(timeout=2))).text == "hello there"


async def test_recovers_after_failures(provider: Provider, stub_server: StubServer) -> None:
    """A script is consumed one behaviour per request, then normal answers resume."""
    stub_server.script(Status(500), Ok(), Truncated(), Hang(5))

    with pytest.raises(ServerError):
        await provider.generate(ask())
    assert (await provider.generate(ask())).text == "hello there"
    with pytest.raises(ConnectionFailed):
        await provider.generate(ask())
    with pytest.raises(ProviderTimeout):
        await provider.generate(ask(timeout=0.2))
    assert (await provider.generate(ask())).text == "hello there"
    assert stub_server.count == 5
    assert stub_server.pending() == 0


async def test_connection_refused() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and has no listener
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    for make in FAMILIES.values():
        provider = make(f"http://127.0.0.1:{port}")
        try:
            with pytest.raises(ConnectionFailed):
                await provider.generate(ask())
        finally:
            await provider.aclose()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("3", 3.0),
        (" 1.5 ", 1.5),
        ("-4", 0.0),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # in the past: retry now
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_future_http_date() -> None:
    value = email.utils.formatdate(time.time() + 120, usegmt=True)
    seconds = parse_retry_after(value)
    assert seconds is not None
    assert 115 <= seconds <= 121
