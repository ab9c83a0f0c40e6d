"""Building a `RunConfig` from user input, with errors that name the flag."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from benchlab.domain import ModelProfile
from benchlab.engine.config import RunConfig
from benchlab.errors import ConfigError

_FLAG = {
    "suites": "SUITE",
    "models": "--model",
    "limit": "--limit",
    "seed": "--seed",
    "samples": "--samples",
    "concurrency": "--concurrency",
    "timeout": "--timeout",
    "retries": "--retries",
    "scorers": "--scorer",
    "tags": "--tag",
    "temperature": "--temperature",
    "max_tokens": "--max-tokens",
}


def _flag_error(exc: ValidationError) -> ConfigError:
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    name = next((p for p in reversed(loc) if p in _FLAG), loc[0] if loc else "")
    flag = _FLAG.get(name, name)
    value = err.get("input")
    return ConfigError(f"{flag} {value!r}: {err['msg']}" if flag else err["msg"])


def build_config(
    data: dict[str, Any], *, param_overrides: dict[str, Any] | None = None
) -> RunConfig:
    models: list[ModelProfile] = data.get("models", [])
    if param_overrides:
        updated = []
        for profile in models:
            try:
                params = profile.params.model_validate(
                    {**profile.params.model_dump(), **param_overrides}
                )
            except ValidationError as exc:
                raise _flag_error(exc) from exc
            updated.append(profile.model_copy(update={"params": params}))
        data = {**data, "models": updated}
    try:
        return RunConfig.model_validate(data)
    except ValidationError as exc:
        raise _flag_error(exc) from exc
