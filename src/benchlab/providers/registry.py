"""From a model profile to a live provider: families by name, one provider per endpoint.

Each family knows its environment variables and default endpoint. Provider
modules are imported only when a family is used (`litellm/...` must not import
litellm, and an offline run must not import aiohttp). A missing API key is a
`MissingCredentials` error raised here, before any request is sent.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchlab.domain import ModelProfile
from benchlab.errors import ConfigError, MissingCredentials
from benchlab.providers.base import Provider

if TYPE_CHECKING:
    from benchlab.store import Store


@dataclass(frozen=True)
class Family:
    name: str
    description: str
    base_url_env: str | None = None
    default_base_url: str | None = None
    key_env: str | None = None
    key_required: bool = False
    needs_model: bool = True


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family(
            "openai",
            "OpenAI or any OpenAI-compatible server",
            "OPENAI_BASE_URL",
            "https://api.openai.com/v1",
            "OPENAI_API_KEY",
            key_required=True,
        ),
        Family(
            "openrouter",
            "OpenRouter (OpenAI-compatible)",
            "OPENROUTER_BASE_URL",
            "https://openrouter.ai/api/v1",
            "OPENROUTER_API_KEY",
            key_required=True,
        ),
        Family(
            "lmstudio",
            "LM Studio's local server",
            "LMSTUDIO_BASE_URL",
            "http://localhost:1234/v1",
            "LMSTUDIO_API_KEY",
        ),
        Family(
            "vllm", "a vLLM server", "VLLM_BASE_URL", "http://localhost:8000/v1", "VLLM_API_KEY"
        ),
        Family(
            "llamacpp",
            "llama.cpp's llama-server",
            "LLAMACPP_BASE_URL",
            "http://localhost:8080/v1",
            "LLAMACPP_API_KEY",
        ),
        Family(
            "anthropic",
            "Anthropic Messages API",
            "ANTHROPIC_BASE_URL",
            "https://api.anthropic.com",
            "ANTHROPIC_API_KEY",
            key_required=True,
        ),
        Family("ollama", "Ollama's native chat API", "OLLAMA_HOST", "http://localhost:11434"),
        Family("litellm", "any provider LiteLLM supports (optional extra)"),
        Family("oracle", "offline: answers each case's reference", needs_model=False),
        Family("echo", "offline: repeats the prompt", needs_model=False),
        Family("replay", "offline: answers from a JSONL file or an earlier run id"),
    )
}


def check_spec(profile: ModelProfile) -> Family:
    family = FAMILIES.get(profile.provider)
    if family is None:
        known = ", ".join(sorted(FAMILIES))
        raise ConfigError(
            f"model {profile.name!r}: unknown provider {profile.provider!r} (known: {known})"
        )
    if family.needs_model and not profile.model_id:
        raise ConfigError(f"model {profile.name!r}: write it as {family.name}/MODEL")
    return family


def endpoint_for(profile: ModelProfile, env: Mapping[str, str]) -> str:
    family = check_spec(profile)
    if profile.base_url:
        return profile.base_url.rstrip("/")
    if family.base_url_env and env.get(family.base_url_env):
        return env[family.base_url_env].rstrip("/")
    return (family.default_base_url or f"offline:{family.name}").rstrip("/")


def api_key_for(profile: ModelProfile, env: Mapping[str, str]) -> str | None:
    family = check_spec(profile)
    key_env = profile.api_key_env or family.key_env
    key = env.get(key_env) if key_env else None
    if key:
        return key
    endpoint = endpoint_for(profile, env)
    # A custom endpoint (vLLM, a test server) usually needs no key; the vendor's own always does.
    if family.key_required and endpoint == (family.default_base_url or "").rstrip("/"):
        raise MissingCredentials(
            f"model {profile.name!r} needs an API key: set {key_env}"
            + (
                f" (or point {family.base_url_env} at a compatible server)"
                if family.base_url_env
                else ""
            )
        )
    if profile.api_key_env and not key:
        raise MissingCredentials(f"model {profile.name!r}: {profile.api_key_env} is not set")
    return None


class ProviderPool:
    """Opens providers on demand and shares one per (family, endpoint, key)."""

    def __init__(self, env: Mapping[str, str], store: Store | None = None) -> None:
        self._env = env
        self._store = store
        self._open: dict[tuple[str, str, str | None], Provider] = {}

    def check(self, profile: ModelProfile) -> None:
        """Everything that can be wrong before the first request (spec, key, replay source)."""
        endpoint_for(profile, self._env)
        if profile.provider == "replay":
            self._replay_answers(profile)
        elif profile.provider == "litellm":
            pass  # the optional import is checked when the provider is opened
        else:
            api_key_for(profile, self._env)

    def get(self, profile: ModelProfile) -> Provider:
        family = check_spec(profile)
        endpoint = endpoint_for(profile, self._env)
        key = (
            None
            if not family.key_env and not profile.api_key_env
            else api_key_for(profile, self._env)
        )
        pool_key = (family.name, endpoint if family.name != "replay" else profile.spec, key)
        provider = self._open.get(pool_key)
        if provider is None:
            provider = self._create(family, profile, endpoint, key)
            self._open[pool_key] = provider
        return provider

    def _create(
        self, family: Family, profile: ModelProfile, endpoint: str, key: str | None
    ) -> Provider:
        name = family.name
        if name in ("openai", "openrouter", "lmstudio", "vllm", "llamacpp"):
            from benchlab.providers.openai import OpenAIProvider

            headers = {"X-Title": "benchlab"} if name == "openrouter" else None
            provider: Provider = OpenAIProvider(endpoint, key, extra_headers=headers)
            provider.family = name
            return provider
        if name == "anthropic":
            module: Any = importlib.import_module("benchlab.providers.anthropic")
            return module.AnthropicProvider(endpoint, key)  # type: ignore[no-any-return]
        if name == "ollama":
            module = importlib.import_module("benchlab.providers.ollama")
            return module.OllamaProvider(endpoint)  # type: ignore[no-any-return]
        if name == "litellm":
            module = importlib.import_module("benchlab.providers.litellm_provider")
            return module.LiteLLMProvider()  # type: ignore[no-any-return]
        if name == "replay":
            from benchlab.providers.replay import ReplayProvider

            return ReplayProvider(profile.model_id, self._replay_answers(profile))
        from benchlab.providers.offline import EchoProvider, OracleProvider

        factories: dict[str, Callable[[], Provider]] = {
            "oracle": OracleProvider,
            "echo": EchoProvider,
        }
        return factories[name]()

    def _replay_answers(self, profile: ModelProfile) -> dict[Any, str]:
        from benchlab.providers.replay import load_replay_file

        source = profile.model_id
        path = Path(source)
        if path.is_file():
            return dict(load_replay_file(path))
        if self._store is not None and not source.endswith((".jsonl", ".json")):
            from benchlab.errors import NotFound

            try:
                run = self._store.get_run(source)
            except NotFound:
                pass
            else:
                recorded = self._store.recorded_outputs(run.id)
                return {(s, c, n): out for (s, c, n), out in recorded.items()}
        raise ConfigError(f"model {profile.name!r}: {source!r} is neither a file nor a run id")

    async def aclose(self) -> None:
        for provider in self._open.values():
            await provider.aclose()
        self._open.clear()
