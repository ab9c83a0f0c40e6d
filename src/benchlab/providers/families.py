"""Provider families, each declared once: its name, environment, endpoint and how to open it.

A family is a `Family` made by the `@family(...)` decorator around a function
that imports its provider module *inside* (so `litellm/...` does not import
litellm until used, and an offline run never imports aiohttp) and opens one
provider from an `Opening`. The built-ins below and a third-party package's
families are declared the same way; a package makes its family known through
an entry point in the group `benchlab.providers` naming the decorated object:

    [project.entry-points."benchlab.providers"]
    mine = "my_pkg.families:mine"

Adding a family is its provider module plus one declaration here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from benchlab.domain import ModelProfile
from benchlab.providers.base import Provider

if TYPE_CHECKING:
    from benchlab.store import Store


@dataclass(frozen=True)
class Opening:
    """What a family needs to open one provider (or to check it can, before any request)."""

    profile: ModelProfile
    endpoint: str
    api_key: str | None
    store: Store | None = None


Opener = Callable[[Opening], Provider]
Preflight = Callable[[Opening], object]


@dataclass(frozen=True)
class Family:
    name: str
    description: str
    open: Opener
    base_url_env: str | None = None
    default_base_url: str | None = None
    key_env: str | None = None
    key_required: bool = False
    needs_model: bool = True
    # No price to pay (local or offline): its models cost 0 without a price table entry.
    free: bool = False
    # One provider per model spec rather than per endpoint (each replay source is its own).
    one_per_spec: bool = False
    # The check before any request; by default the API key (`registry.api_key_for`).
    preflight: Preflight | None = None


def family(
    name: str,
    description: str,
    *,
    base_url_env: str | None = None,
    default_base_url: str | None = None,
    key_env: str | None = None,
    key_required: bool = False,
    needs_model: bool = True,
    free: bool = False,
    one_per_spec: bool = False,
    preflight: Preflight | None = None,
) -> Callable[[Opener], Family]:
    """Declare a family around its opener (the same for built-ins and plugins)."""

    def deco(opener: Opener) -> Family:
        return Family(
            name,
            description,
            opener,
            base_url_env,
            default_base_url,
            key_env,
            key_required,
            needs_model,
            free,
            one_per_spec,
            preflight,
        )

    return deco


def _openai_compatible(opening: Opening, name: str) -> Provider:
    from benchlab.providers.openai import OpenAIProvider

    headers = {"X-Title": "benchlab"} if name == "openrouter" else None
    provider = OpenAIProvider(opening.endpoint, opening.api_key, extra_headers=headers)
    provider.family = name
    return provider


@family(
    "openai",
    "OpenAI or any OpenAI-compatible server",
    base_url_env="OPENAI_BASE_URL",
    default_base_url="https://api.openai.com/v1",
    key_env="OPENAI_API_KEY",
    key_required=True,
)
def openai(opening: Opening) -> Provider:
    return _openai_compatible(opening, "openai")


@family(
    "openrouter",
    "OpenRouter (OpenAI-compatible)",
    base_url_env="OPENROUTER_BASE_URL",
    default_base_url="https://openrouter.ai/api/v1",
    key_env="OPENROUTER_API_KEY",
    key_required=True,
)
def openrouter(opening: Opening) -> Provider:
    return _openai_compatible(opening, "openrouter")


@family(
    "lmstudio",
    "LM Studio's local server",
    base_url_env="LMSTUDIO_BASE_URL",
    default_base_url="http://localhost:1234/v1",
    key_env="LMSTUDIO_API_KEY",
    free=True,
)
def lmstudio(opening: Opening) -> Provider:
    return _openai_compatible(opening, "lmstudio")


@family(
    "vllm",
    "a vLLM server",
    base_url_env="VLLM_BASE_URL",
    default_base_url="http://localhost:8000/v1",
    key_env="VLLM_API_KEY",
    free=True,
)
def vllm(opening: Opening) -> Provider:
    return _openai_compatible(opening, "vllm")


@family(
    "llamacpp",
    "llama.cpp's llama-server",
    base_url_env="LLAMACPP_BASE_URL",
    default_base_url="http://localhost:8080/v1",
    key_env="LLAMACPP_API_KEY",
    free=True,
)
def llamacpp(opening: Opening) -> Provider:
    return _openai_compatible(opening, "llamacpp")


@family(
    "anthropic",
    "Anthropic Messages API",
    base_url_env="ANTHROPIC_BASE_URL",
    default_base_url="https://api.anthropic.com",
    key_env="ANTHROPIC_API_KEY",
    key_required=True,
)
def anthropic(opening: Opening) -> Provider:
    from benchlab.providers.anthropic import AnthropicProvider

    return AnthropicProvider(opening.endpoint, opening.api_key)


@family(
    "ollama",
    "Ollama's native chat API",
    base_url_env="OLLAMA_HOST",
    default_base_url="http://localhost:11434",
    free=True,
)
def ollama(opening: Opening) -> Provider:
    from benchlab.providers.ollama import OllamaProvider

    return OllamaProvider(opening.endpoint)


# LiteLLM reads its own keys; the optional import is checked when the provider is opened.
@family("litellm", "any provider LiteLLM supports (optional extra)", preflight=lambda _: None)
def litellm(opening: Opening) -> Provider:
    from benchlab.providers.litellm_provider import LiteLLMProvider

    return LiteLLMProvider()


@family("oracle", "offline: answers each case's reference", needs_model=False, free=True)
def oracle(opening: Opening) -> Provider:
    from benchlab.providers.offline import OracleProvider

    return OracleProvider()


@family("echo", "offline: repeats the prompt", needs_model=False, free=True)
def echo(opening: Opening) -> Provider:
    from benchlab.providers.offline import EchoProvider

    return EchoProvider()


def _replay_answers(opening: Opening) -> object:
    from benchlab.providers.replay import recorded_answers

    return recorded_answers(opening.profile, opening.store)


@family(
    "replay",
    "offline: answers from a JSONL file or an earlier run id",
    free=True,
    one_per_spec=True,
    preflight=_replay_answers,
)
def replay(opening: Opening) -> Provider:
    from benchlab.providers.replay import ReplayProvider, recorded_answers

    answers = recorded_answers(opening.profile, opening.store)
    return ReplayProvider(opening.profile.model_id, answers)


BUILTINS: dict[str, Family] = {
    f.name: f for f in globals().copy().values() if isinstance(f, Family)
}
