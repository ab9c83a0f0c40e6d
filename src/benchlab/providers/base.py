"""The small interface every provider implements, and the two records it exchanges.

A provider adapts one API family. It gets a `GenerateRequest` (OpenAI-style
messages plus generation params), returns a `Completion`, and raises only the
types in `providers.errors`; one that serves embeddings also takes an
`EmbedRequest`. Retries, rate limits, caching and timing belong to
the engine, so a provider stays a thin translation of the wire format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(slots=True)
class GenerateRequest:
    """What to ask one model once: a slots dataclass, built per attempt and never validated."""

    model: str
    messages: list[dict[str, Any]]
    params: dict[str, Any] = field(default_factory=dict)
    timeout: float | None = None
    response_format: dict[str, Any] | None = None
    tools: list[dict[str, Any]] | None = None
    # Who is asking: offline providers (oracle, replay) answer from these, remote ones ignore them.
    suite: str = ""
    case_id: str = ""
    sample: int = 0
    reference: Any = None


@dataclass(slots=True)
class Completion:
    text: str
    tool_calls: list[dict[str, Any]] | None = None
    finish_reason: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    # What a reasoning model returned apart from its answer (OpenAI-compatible
    # `reasoning_content` / `reasoning`, Anthropic `thinking` blocks, Ollama `thinking`):
    # stored with the attempt, never scored.
    reasoning: str | None = None
    # Taken from the response cache, not asked now: nothing was paid for it.
    from_cache: bool = False


@dataclass(slots=True)
class EmbedRequest:
    """Texts to embed with one model once (an OpenAI-style `/embeddings` call)."""

    model: str
    texts: list[str]
    timeout: float | None = None


@runtime_checkable
class Provider(Protocol):
    """One API family at one endpoint; one HTTP session per endpoint."""

    family: str
    endpoint: str

    async def generate(self, request: GenerateRequest) -> Completion: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class EmbeddingProvider(Protocol):
    """A provider that also serves embeddings (the OpenAI-compatible ones).

    Like `generate`, `embed` is one request with no retry: the engine's gateway
    sends both through the same limits and retries.
    """

    family: str
    endpoint: str

    async def embed(self, request: EmbedRequest) -> list[list[float]]: ...


def estimate_tokens(text: str) -> int:
    """A provider-neutral token estimate (about four characters per token).

    Used for dry runs, rate limiting and offline models; real counts come from
    the provider's usage fields.
    """
    return max(1, (len(text) + 3) // 4) if text else 0


def messages_text(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("content") or "") for m in messages)
