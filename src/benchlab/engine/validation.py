"""Building a `RunConfig` from user input, with errors that name the option (the CLI's
flag, the API's field)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from benchlab.domain import GenerationParams, ModelProfile, ScorerSpec
from benchlab.engine.config import RunConfig
from benchlab.errors import ConfigError, OptionError


def _flag_error(exc: ValidationError) -> ConfigError:
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    options = {*RunConfig.model_fields, *GenerationParams.model_fields}
    name = next((p for p in reversed(loc) if p in options), None)
    if name is None:
        return ConfigError(f"{'.'.join(loc)}: {err['msg']}" if loc else err["msg"])
    value = err.get("input")
    return OptionError(name, f"{{option}} {value!r}: {err['msg']}")


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


def parse_scorer(text: str) -> ScorerSpec:
    """`--scorer NAME`, or with options as an inline mapping:
    `--scorer '{name: judge, criteria: [accuracy, helpfulness], threshold: 0.7}'`."""
    if not text.lstrip().startswith("{"):
        if not text.strip():
            raise ConfigError("--scorer: empty scorer name")
        return ScorerSpec(name=text.strip())
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"--scorer {text!r}: {problem}") from None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise ConfigError(f"--scorer {text!r}: expected a mapping with a `name`")
    try:
        return ScorerSpec.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"--scorer {text!r}: {exc.errors()[0]['msg']}") from None
