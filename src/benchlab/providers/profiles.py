"""Model profiles from `--model` specs and models files, with prices filled in.

A models file (YAML) lists profiles under `models:` (a list of mappings with
`name`, or a mapping from name to profile). `--model NAME` picks a profile of
the file by name, or is taken as a `provider/model` spec on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from benchlab.domain import ModelProfile
from benchlab.errors import ConfigError, OptionError
from benchlab.providers.pricing import builtin_price
from benchlab.providers.registry import check_spec


def _one_line(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def load_models_file(path: str | Path) -> list[ModelProfile]:
    """The model profiles of a models YAML file (`models:` list or mapping), validated:
    a mistake is a ConfigError naming the file and the profile."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"--models {path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"--models {path}: not a text file (byte {exc.start} is not UTF-8); "
            "expected a models YAML file"
        ) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}".replace("\n", " ")) from exc
    entries: Any = data.get("models") if isinstance(data, dict) else data
    if isinstance(entries, dict):
        entries = [{"name": name, **(body or {})} for name, body in entries.items()]
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: expected a non-empty 'models:' list of profiles")
    profiles: list[ModelProfile] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: model #{index}: expected a mapping")
        label = entry.get("name") or entry.get("spec") or f"#{index}"
        entry = dict(entry)
        entry.setdefault("name", entry.get("spec"))
        try:
            profile = ModelProfile.model_validate(entry)
        except ValidationError as exc:
            raise ConfigError(f"{path}: model {label!r}: {_one_line(exc)}") from exc
        if profile.name in seen:
            raise ConfigError(f"{path}: model {profile.name!r} is defined twice")
        seen.add(profile.name)
        try:
            check_spec(profile)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        profiles.append(with_price(profile))
    return profiles


def with_price(profile: ModelProfile) -> ModelProfile:
    if profile.price is not None:
        return profile
    price = builtin_price(profile.spec)
    return profile if price is None else profile.model_copy(update={"price": price})


def resolve_models(
    specs: list[str], models_file: str | Path | None = None, *, option: str = "models"
) -> list[ModelProfile]:
    """The profiles a run uses, in the order given; names must be unique. `option` is what
    the user gave them as (`models`, or `judge_model` for a judge), for the errors."""
    from_file = load_models_file(models_file) if models_file else []
    by_name = {p.name: p for p in from_file}
    if not specs:
        if not from_file:
            raise ConfigError("no model given: pass --model PROVIDER/MODEL or --models FILE")
        return from_file
    chosen: list[ModelProfile] = []
    for spec in specs:
        if spec in by_name:
            chosen.append(by_name[spec])
            continue
        if not spec.strip():
            raise OptionError(option, "{option}: empty model name")
        profile = ModelProfile(name=spec, spec=spec)
        try:
            check_spec(profile)
        except ConfigError as exc:
            raise OptionError(option, f"{{option}}: {exc}") from exc
        chosen.append(with_price(profile))
    names = [p.name for p in chosen]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise OptionError(option, f"{{option}}: {', '.join(dupes)} given twice")
    return chosen
