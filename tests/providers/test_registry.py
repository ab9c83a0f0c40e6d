"""From model specs to providers: families, endpoints, keys, prices, models files."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchlab.domain import ModelProfile
from benchlab.errors import ConfigError, MissingCredentials
from benchlab.providers.pricing import builtin_price
from benchlab.providers.profiles import load_models_file, resolve_models
from benchlab.providers.registry import ProviderPool, api_key_for, endpoint_for


def _p(spec: str, **kw: object) -> ModelProfile:
    return ModelProfile(name=spec, spec=spec, **kw)  # type: ignore[arg-type]


def test_endpoints_follow_flags_then_env_then_defaults() -> None:
    assert endpoint_for(_p("openai/gpt-4.1"), {}) == "https://api.openai.com/v1"
    assert endpoint_for(_p("openai/x"), {"OPENAI_BASE_URL": "http://h:1/v1/"}) == "http://h:1/v1"
    assert (
        endpoint_for(_p("openai/x", base_url="http://own/v1"), {"OPENAI_BASE_URL": "http://h:1/v1"})
        == "http://own/v1"
    )
    assert endpoint_for(_p("openrouter/google/gemini-2.5-pro"), {}) == (
        "https://openrouter.ai/api/v1"
    )
    assert endpoint_for(_p("lmstudio/qwen"), {}) == "http://localhost:1234/v1"
    assert endpoint_for(_p("lmstudio/qwen"), {"LMSTUDIO_BASE_URL": "http://b:9/v1"}) == (
        "http://b:9/v1"
    )
    assert endpoint_for(_p("ollama/llama3.2"), {"OLLAMA_HOST": "http://o:11434"}) == (
        "http://o:11434"
    )
    assert endpoint_for(_p("anthropic/claude-haiku-4-5"), {}) == "https://api.anthropic.com"


def test_keys_required_for_vendor_endpoints_only() -> None:
    with pytest.raises(MissingCredentials, match="OPENAI_API_KEY"):
        api_key_for(_p("openai/gpt-4.1"), {})
    with pytest.raises(MissingCredentials, match="OPENROUTER_API_KEY"):
        api_key_for(_p("openrouter/x/y"), {})
    with pytest.raises(MissingCredentials, match="ANTHROPIC_API_KEY"):
        api_key_for(_p("anthropic/claude-haiku-4-5"), {})
    assert api_key_for(_p("openai/local"), {"OPENAI_BASE_URL": "http://127.0.0.1:8000/v1"}) is None
    assert api_key_for(_p("openai/x"), {"OPENAI_API_KEY": "sk"}) == "sk"
    assert api_key_for(_p("lmstudio/x"), {}) is None
    with pytest.raises(MissingCredentials, match="MY_KEY"):
        api_key_for(_p("openai/x", base_url="http://h/v1", api_key_env="MY_KEY"), {})


def test_unknown_provider_and_missing_model_name() -> None:
    with pytest.raises(ConfigError, match="unknown provider 'nosuch'"):
        resolve_models(["nosuch/model"])
    with pytest.raises(ConfigError, match="openai/MODEL"):
        resolve_models(["openai"])
    assert resolve_models(["oracle"])[0].provider == "oracle"


async def test_one_provider_per_endpoint() -> None:
    pool = ProviderPool({"OPENAI_API_KEY": "k"})
    a = pool.get(_p("openai/gpt-4.1"))
    b = pool.get(_p("openai/gpt-4.1-mini"))
    c = pool.get(_p("openai/x", base_url="http://other/v1"))
    assert a is b and a is not c
    await pool.aclose()


def test_prices_builtin_known_unknown_and_free() -> None:
    price = builtin_price("openai/gpt-4.1")
    assert price is not None and price.input == 2.0 and price.output == 8.0
    assert builtin_price("openai/some-private-finetune") is None
    free = builtin_price("ollama/llama3.2")
    assert free is not None and free.input == 0 == free.output
    (unknown,) = resolve_models(["openai/some-private-finetune"])
    assert unknown.price is None
    assert price.cost(1_000_000, 500_000) == pytest.approx(6.0)


def test_models_file_profiles_override_prices_and_select_by_name(tmp_path: Path) -> None:
    path = tmp_path / "models.yaml"
    path.write_text(
        "models:\n"
        "  fast: {spec: openai/gpt-4.1-mini, params: {temperature: 0}}\n"
        "  accurate: {spec: openai/gpt-4.1, price: {input: 1, output: 2}, max_concurrency: 3}\n"
    )
    profiles = load_models_file(path)
    assert [p.name for p in profiles] == ["fast", "accurate"]
    assert profiles[0].price is not None and profiles[0].price.input == 0.40  # built-in
    assert profiles[1].price is not None and profiles[1].price.input == 1  # the file wins
    chosen = resolve_models(["accurate", "echo"], path)
    assert [p.name for p in chosen] == ["accurate", "echo"]
    assert chosen[0].max_concurrency == 3
    assert [p.name for p in resolve_models([], path)] == ["fast", "accurate"]
    with pytest.raises(ConfigError, match="given twice"):
        resolve_models(["fast", "fast"], path)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("models: []\n", "non-empty"),
        ("models:\n  - {spec: openai/x, price: {input: -1, output: 1}}\n", "price.input"),
        ("models:\n  - {name: a, spec: openai/x}\n  - {name: a, spec: openai/y}\n", "twice"),
        ("models:\n  - {name: a, spec: zz/x}\n", "unknown provider"),
        ("models: [\n", "invalid YAML"),
    ],
)
def test_models_file_errors_name_file_and_model(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_models_file(path)
    assert "m.yaml" in str(info.value) and needle in str(info.value)
