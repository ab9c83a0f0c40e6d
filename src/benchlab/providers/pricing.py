"""Built-in prices (US$ per 1M input / output tokens) for common models.

Public list prices as of 2026-11; a models file's `price:` overrides them. A
model that is not here has an unknown price, shown as unknown, never as 0.
Local and offline families cost nothing per token.
"""

from __future__ import annotations

from benchlab.domain import Price

_TABLE: dict[str, tuple[float, float]] = {
    # OpenAI
    "openai/gpt-5": (1.25, 10.0),
    "openai/gpt-5-mini": (0.25, 2.0),
    "openai/gpt-5-nano": (0.05, 0.40),
    "openai/gpt-4.1": (2.0, 8.0),
    "openai/gpt-4.1-mini": (0.40, 1.60),
    "openai/gpt-4.1-nano": (0.10, 0.40),
    "openai/gpt-4o": (2.50, 10.0),
    "openai/gpt-4o-mini": (0.15, 0.60),
    "openai/o3": (2.0, 8.0),
    "openai/o4-mini": (1.10, 4.40),
    # Anthropic
    "anthropic/claude-opus-4-5-20251101": (5.0, 25.0),
    "anthropic/claude-opus-4-5": (5.0, 25.0),
    "anthropic/claude-sonnet-4-5-20250929": (3.0, 15.0),
    "anthropic/claude-sonnet-4-5": (3.0, 15.0),
    "anthropic/claude-haiku-4-5-20251001": (1.0, 5.0),
    "anthropic/claude-haiku-4-5": (1.0, 5.0),
    "anthropic/claude-opus-4-1-20250805": (15.0, 75.0),
    "anthropic/claude-sonnet-4-20250514": (3.0, 15.0),
    "anthropic/claude-3-5-haiku-20241022": (0.80, 4.0),
    # OpenRouter routes (same list prices as the vendors)
    "openrouter/openai/gpt-4.1": (2.0, 8.0),
    "openrouter/openai/gpt-4.1-mini": (0.40, 1.60),
    "openrouter/anthropic/claude-sonnet-4.5": (3.0, 15.0),
    "openrouter/google/gemini-2.5-pro": (1.25, 10.0),
    "openrouter/google/gemini-2.5-flash": (0.30, 2.50),
    # Through LiteLLM
    "litellm/gemini/gemini-2.5-pro": (1.25, 10.0),
    "litellm/gemini/gemini-2.5-flash": (0.30, 2.50),
    "litellm/groq/llama-3.3-70b-versatile": (0.59, 0.79),
    "litellm/mistral/mistral-large-latest": (2.0, 6.0),
}


def builtin_price(spec: str) -> Price | None:
    """A free family's (local, offline) models cost 0; others are priced from the table."""
    from benchlab.providers.registry import find_family

    family = find_family(spec.split("/", 1)[0])
    if family is not None and family.free:
        return Price(input=0.0, output=0.0)
    found = _TABLE.get(spec)
    return None if found is None else Price(input=found[0], output=found[1])


def priced_models() -> dict[str, Price]:
    return {spec: Price(input=i, output=o) for spec, (i, o) in _TABLE.items()}
