"""From a model profile to a live provider: families by name, one provider per endpoint.

Each family (declared once, in `families.py` or by a plugin) knows its
environment variables, default endpoint and how to open its provider; provider
modules are imported only when a family is used (`litellm/...` must not import
litellm, and an offline run must not import aiohttp). A family that is not
built in is looked up in the installed packages' entry points (group
`benchlab.providers`), only then. A missing API key is a `MissingCredentials`
error raised here, before any request is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING

from benchlab.domain import ModelProfile
from benchlab.errors import ConfigError, MissingCredentials
from benchlab.providers.base import Provider
from benchlab.providers.families import BUILTINS, Family, Opening

if TYPE_CHECKING:
    from benchlab.store import Store

ENTRY_POINT_GROUP = "benchlab.providers"

# The built-in families by name (declared in families.py); plugins join `_LOADED` when first used.
FAMILIES: Mapping[str, Family] = BUILTINS
_LOADED: dict[str, Family] = {}


def _plugins() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _load_plugin(ep: EntryPoint) -> Family:
    where = f"entry point {ep.name} = {ep.value} ({ENTRY_POINT_GROUP})"
    try:
        found = ep.load()
    except Exception as exc:  # a broken plugin is the user's setup, not a crash of ours
        raise ConfigError(f"provider {ep.name!r}: cannot load {where}: {exc}") from exc
    if not isinstance(found, Family) or found.name != ep.name:
        raise ConfigError(
            f"provider {ep.name!r}: {where} is not a family named {ep.name!r} "
            "(declare it with benchlab.providers.families.family)"
        )
    return found


def find_family(name: str) -> Family | None:
    """The family called `name`: built in, else an installed plugin's; None when unknown."""
    found = FAMILIES.get(name) or _LOADED.get(name)
    if found is None:
        ep = _plugins().get(name)
        if ep is not None:
            found = _LOADED[name] = _load_plugin(ep)
    return found


def all_families() -> list[Family]:
    """Every family, built-ins first (their declaration order), then plugins by name."""
    plugins = sorted(n for n in _plugins() if n not in FAMILIES)
    return [*FAMILIES.values(), *(f for n in plugins if (f := find_family(n)) is not None)]


def check_spec(profile: ModelProfile) -> Family:
    family = find_family(profile.provider)
    if family is None:
        known = ", ".join(sorted({*FAMILIES, *_LOADED, *_plugins()}))
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
        endpoint = endpoint_for(profile, self._env)
        family = check_spec(profile)
        if family.preflight is not None:
            family.preflight(Opening(profile, endpoint, None, self._store))
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
        pool_key = (family.name, profile.spec if family.one_per_spec else endpoint, key)
        provider = self._open.get(pool_key)
        if provider is None:
            provider = family.open(Opening(profile, endpoint, key, self._store))
            self._open[pool_key] = provider
        return provider

    async def aclose(self) -> None:
        for provider in self._open.values():
            await provider.aclose()
        self._open.clear()
