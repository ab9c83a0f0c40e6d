"""Schedules: suites run on cron expressions by `benchlab serve --schedules FILE`.

A schedules file is YAML::

    timezone: Europe/Paris          # optional, default UTC; any IANA zone name
    schedules:
      - name: daily-sample          # letters, digits, '.', '_', '-'; unique in the file
        cron: "0 6 * * *"           # 5 fields, or @hourly @daily @weekly @monthly @yearly
        suite: quickstart           # or suites: [a, b]; files are relative to this file
        models: [oracle, echo]      # like --model; or a models.yaml path like --models
        limit: 50
        seed: 7
        tags: {kind: tracker}

plus, optionally, `timezone`, `enabled`, `models_file` (pick `models` by
name from it), `samples`, `concurrency`, `timeout`, `retries`, `scorers`,
`max_cost`, `judge_model`, `temperature`, `max_tokens` and `cache`, each
meaning what the `benchlab run` flag of the same name means (`cache: true`
reuses stored answers; the default asks the model every time, so a daily
schedule tracks the model as it is that day).

Everything is checked when the file is loaded, before a server starts: cron
expressions, time zones, suites (loaded, so a broken suite file is caught
now and not at 6 a.m.), models and their API keys, and finally the whole
`RunConfig`, built by the same `engine.validation.build_config` that `benchlab run`
uses. A mistake is one `ConfigError` naming the file, the line and the
schedule. `cronsim` (the cron engine healthchecks.io uses, with Debian cron's
DST rules) is imported inside functions, so only `serve --schedules` pays
for it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from benchlab.domain import ScorerSpec
from benchlab.engine.config import RunConfig
from benchlab.errors import ConfigError, UserError, api_text

# Debian cron's shorthands; cronsim reads only the five-field form.
MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
FIELDS = "minute hour day-of-month month day-of-week"
DEFAULT_TIMEZONE = "UTC"
# Set on every scheduled run; a schedule's own `tags` may not take them over.
SCHEDULE_TAG = "schedule"


class _Spec(BaseModel):
    """One schedule as written; types and bounds here, cross-checks in `_build`."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
    cron: str
    timezone: str | None = None
    enabled: bool = True
    suite: str | None = Field(default=None, min_length=1)
    suites: list[str] | None = Field(default=None, min_length=1)
    models: list[str] | str
    models_file: str | None = None
    limit: int | None = Field(default=None, gt=0)
    seed: int = 0
    samples: int = Field(default=1, gt=0)
    concurrency: int | None = Field(default=None, gt=0)
    timeout: float | None = Field(default=None, gt=0)
    retries: int | None = Field(default=None, ge=0)
    scorers: list[str | dict[str, Any]] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)
    max_cost: float | None = Field(default=None, gt=0)
    judge_model: str | None = Field(default=None, min_length=1)
    temperature: float | None = None
    max_tokens: int | None = Field(default=None, gt=0)
    cache: bool = False  # a tracker measures: reuse stored answers only when asked


KEYS = tuple(_Spec.model_fields)


@dataclass(frozen=True)
class Schedule:
    """A checked schedule: when it fires and the full run config it starts."""

    name: str
    cron: str  # as written (a macro stays a macro)
    expression: str  # the five-field form cronsim reads
    timezone: str
    suites: tuple[str, ...]  # as written in the file
    models: tuple[str, ...]  # profile names
    config: RunConfig  # db unset: the server's store is filled in at launch
    enabled: bool = True
    line: int | None = None

    @cached_property
    def zone(self) -> tzinfo:
        return _zone(self.timezone)

    def next_after(self, moment: datetime) -> datetime | None:
        """The first time strictly after `moment` that the schedule fires (UTC), or None
        when it is disabled. The cron fields are read in the schedule's time zone, with
        Debian cron's rules across DST changes (a skipped 02:30 runs at 03:00; a repeated
        one runs once)."""
        if not self.enabled:
            return None
        return next_time(self.expression, self.zone, moment)

    def describe(self) -> str:
        """The expression in words ("At 06:00 every day"), for the dashboard."""
        from cronsim import CronSim

        try:
            return CronSim(self.expression, datetime.now(UTC)).explain()
        except Exception:  # explain() is a nicety: never let it break a page
            return ""


@dataclass(frozen=True)
class ScheduleFile:
    path: Path
    timezone: str
    schedules: tuple[Schedule, ...]


def next_time(expression: str, zone: tzinfo, moment: datetime) -> datetime | None:
    """When a five-field cron expression next fires after `moment`, in UTC (None: never)."""
    from cronsim import CronSim

    if moment.tzinfo is None:
        raise ValueError("next_time needs an aware datetime")
    try:
        found = next(CronSim(expression, moment.astimezone(zone)))
    except StopIteration:  # cronsim gives up after 50 years without a match
        return None
    return found.astimezone(UTC)


def parse_cron(text: str) -> str:
    """A cron expression (or macro) as the five-field form; ValueError says what is wrong."""
    from cronsim import CronSim, CronSimError

    expression = " ".join(text.split())
    if expression.startswith("@"):
        if expression.lower() not in MACROS:
            raise ValueError(f"unknown shorthand (known: {', '.join(MACROS)})")
        expression = MACROS[expression.lower()]
    if len(expression.split()) != 5:
        raise ValueError(f"expected 5 fields ({FIELDS}) or a shorthand such as @daily")
    try:
        probe = CronSim(expression, datetime.now(UTC))
    except CronSimError as exc:  # "Bad minute", "Bad day-of-month", ...
        raise ValueError(f"{str(exc).lower()} field") from None
    try:
        next(probe)
    except StopIteration:
        raise ValueError("never fires") from None
    return expression


def _zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (an IANA name such as Europe/Paris)"
        ) from None


def load_schedules(path: str | Path, *, env: Mapping[str, str] | None = None) -> ScheduleFile:
    """Read and check a schedules file; `env` is where model API keys are looked for."""
    import os

    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"--schedules {path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
        top_lines, item_lines = _positions(text)
    except yaml.YAMLError as exc:
        raise ConfigError(_yaml_problem(path, exc)) from None
    if not isinstance(data, dict) or "schedules" not in data:
        raise ConfigError(f"{path}: expected a mapping with a 'schedules:' list")
    for key in data:
        if key not in ("timezone", "schedules"):
            at = top_lines.get(str(key))
            hint = _hint(str(key), ("timezone", "schedules"))
            raise ConfigError(f"{_at(path, at)}: unknown top-level key {key!r}{hint}")
    default_zone = data.get("timezone", DEFAULT_TIMEZONE)
    if not isinstance(default_zone, str):
        raise ConfigError(f"{_at(path, top_lines.get('timezone'))}: timezone: expected a name")
    try:
        _zone(default_zone)
    except ValueError as exc:
        raise ConfigError(f"{_at(path, top_lines.get('timezone'))}: timezone: {exc}") from None
    entries = data["schedules"] or []
    if not isinstance(entries, list):
        raise ConfigError(f"{_at(path, top_lines.get('schedules'))}: schedules: expected a list")
    found: list[Schedule] = []
    seen: dict[str, int | None] = {}
    for index, entry in enumerate(entries):
        line, key_lines = item_lines[index] if index < len(item_lines) else (None, {})
        where = _Where(path, line, key_lines, _label(entry, index))
        schedule = _build(where, entry, default_zone, env if env is not None else os.environ)
        if schedule.name in seen:
            first = seen[schedule.name]
            also = f" (first at line {first})" if first else ""
            raise where.error(None, f"defined twice{also}")
        seen[schedule.name] = line
        found.append(schedule)
    return ScheduleFile(path, default_zone, tuple(found))


@dataclass(frozen=True)
class _Where:
    """Where a schedule sits in its file, for messages: `FILE:LINE: schedule 'NAME': ...`."""

    path: Path
    line: int | None
    key_lines: dict[str, int]
    label: str

    def error(self, key: str | None, problem: str) -> ConfigError:
        line = self.key_lines.get(key, self.line) if key else self.line
        return ConfigError(f"{_at(self.path, line)}: schedule {self.label}: {problem}")

    def relative(self, ref: str) -> str:
        """A file reference as written, resolved against the schedules file's folder."""
        target = Path(ref).expanduser()
        return str(target if target.is_absolute() else (self.path.parent / target).resolve())


def _build(where: _Where, entry: Any, default_zone: str, env: Mapping[str, str]) -> Schedule:
    if not isinstance(entry, dict):
        raise where.error(None, "expected a mapping (name, cron, suite, models, ...)")
    try:
        spec = _Spec.model_validate(entry)
    except ValidationError as exc:
        key, problem = _problem(exc)
        raise where.error(key, problem) from None
    try:
        expression = parse_cron(spec.cron)
    except ValueError as exc:
        raise where.error("cron", f"cron {spec.cron!r}: {exc}") from None
    zone = spec.timezone or default_zone
    try:
        _zone(zone)
    except ValueError as exc:
        raise where.error("timezone", f"timezone: {exc}") from None
    if (spec.suite is None) == (spec.suites is None):
        raise where.error(None, "give either 'suite' or 'suites' (one of them)")
    written = [spec.suite] if spec.suite is not None else list(spec.suites or [])
    suites = [_suite(where, ref) for ref in written]
    config = _config(where, spec, suites, env)
    return Schedule(
        name=spec.name,
        cron=spec.cron,
        expression=expression,
        timezone=zone,
        suites=tuple(written),
        models=tuple(m.name for m in config.models),
        config=config,
        enabled=spec.enabled,
        line=where.line,
    )


def _suite(where: _Where, ref: str) -> str:
    """The suite reference the engine gets (files made absolute), loaded once to check it."""
    from benchlab.suites import load_suite
    from benchlab.suites.generated import FORMATS
    from benchlab.suites.loader import looks_like_name

    kind, sep, rest = ref.partition(":")
    key = "suite" if where.key_lines.get("suite") else "suites"
    if sep and kind in FORMATS:
        resolved = f"{kind}:{where.relative(rest)}"
    elif ref.startswith("builtin:") or looks_like_name(ref):
        resolved = ref
    else:
        resolved = where.relative(ref)
    try:
        load_suite(resolved)
    except UserError as exc:
        raise where.error(key, f"suite {ref!r}: {exc}") from None
    return resolved


def _config(where: _Where, spec: _Spec, suites: list[str], env: Mapping[str, str]) -> RunConfig:
    """The run config, built exactly as `benchlab run` builds it."""
    from benchlab.engine.validation import build_config, parse_scorer
    from benchlab.providers.profiles import resolve_models
    from benchlab.providers.registry import api_key_for

    if SCHEDULE_TAG in spec.tags:
        raise where.error("tags", f"tags: {SCHEDULE_TAG!r} is set by the scheduler")
    try:
        if isinstance(spec.models, str):
            if spec.models_file is not None:
                raise ConfigError("give models as a list when models_file picks from a file")
            profiles = resolve_models([], where.relative(spec.models))
        else:
            models_file = where.relative(spec.models_file) if spec.models_file else None
            profiles = resolve_models(spec.models, models_file)
        for profile in profiles:
            api_key_for(profile, env)
    except UserError as exc:
        raise where.error("models", api_text(exc)) from None  # named as in the file
    try:
        scorers = [
            parse_scorer(s) if isinstance(s, str) else ScorerSpec.model_validate(s)
            for s in spec.scorers
        ]
    except (UserError, ValidationError) as exc:
        message = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        raise where.error("scorers", f"scorers: {message}") from None
    data: dict[str, Any] = {
        "suites": suites,
        "models": profiles,
        "limit": spec.limit,
        "seed": spec.seed,
        "samples": spec.samples,
        "scorers": scorers,
        "cache": spec.cache,
        "tags": {"source": "schedule", **spec.tags, SCHEDULE_TAG: spec.name},
        "max_cost": spec.max_cost,
        "judge_model": spec.judge_model,
    }
    for key in ("concurrency", "timeout", "retries"):
        if getattr(spec, key) is not None:
            data[key] = getattr(spec, key)
    overrides = {
        k: v
        for k, v in (("temperature", spec.temperature), ("max_tokens", spec.max_tokens))
        if v is not None
    }
    try:
        return build_config(data, param_overrides=overrides)
    except UserError as exc:
        raise where.error(None, str(exc)) from None


def _problem(exc: ValidationError) -> tuple[str | None, str]:
    """The first pydantic error as (key, message), in the file's own words."""
    err = exc.errors(include_url=False)[0]
    loc = [str(p) for p in err["loc"]]
    key = loc[0] if loc else None
    if err["type"] == "extra_forbidden" and key is not None:
        return key, f"unknown key {key!r}{_hint(key, KEYS)}"
    if err["type"] == "missing":
        return None, f"missing {key!r}"
    if key == "name" and err["type"] == "string_pattern_mismatch":
        return key, f"name {err['input']!r}: use letters, digits, '.', '_' or '-' (up to 100)"
    if key == "models":
        return key, "models: expected a list of model specs or profile names, or a models file"
    if key == "scorers":
        return key, "scorers: expected a list of scorer names or {name: ..., option: ...} mappings"
    return key, f"{'.'.join(loc)}: {err['msg']}"


def _hint(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"


def _label(entry: Any, index: int) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    return repr(name) if isinstance(name, str) and name else f"#{index + 1}"


def _at(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


def _positions(text: str) -> tuple[dict[str, int], list[tuple[int, dict[str, int]]]]:
    """1-based lines of the top-level keys, and of each schedule and of its keys."""
    import yaml

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    top: dict[str, int] = {}
    items: list[tuple[int, dict[str, int]]] = []
    if not isinstance(root, yaml.MappingNode):
        return top, items
    for key, value in root.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        top[key.value] = key.start_mark.line + 1
        if key.value == "schedules" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                keys: dict[str, int] = {}
                if isinstance(item, yaml.MappingNode):
                    for k, _ in item.value:
                        if isinstance(k, yaml.ScalarNode):
                            keys[k.value] = k.start_mark.line + 1
                items.append((item.start_mark.line + 1, keys))
    return top, items


def _yaml_problem(path: Path, exc: Any) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
    where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
    context = str(getattr(exc, "context", None) or "")
    alias = "alias" in problem or "alias" in context  # a cron field starting with '*'
    hint = ' (quote cron expressions: cron: "*/15 * * * *")' if alias else ""
    return f"{where}: invalid YAML: {problem}{hint}"
