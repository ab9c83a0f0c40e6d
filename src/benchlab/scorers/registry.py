"""Scorers by name: a factory per name, rebuilt from (name, options) stored on a run.

A factory takes the options as keyword arguments and returns a `Scorer`; a
wrong option is a `ConfigError` naming the scorer and the option. A name with a
colon (`package.module:function`) is a custom scorer, imported only when used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from benchlab.domain import ScorerSpec
from benchlab.errors import ConfigError
from benchlab.scorers.base import Scorer

Factory = Callable[..., Scorer]
F = TypeVar("F", bound=Factory)

_FACTORIES: dict[str, Factory] = {}
# Where each built-in lives: building one scorer imports only its module (the code-execution
# ones pull in the sandbox, the judges the engine's judge plumbing; start-up time counts).
_BUILTINS: dict[str, str] = {
    "exact": "match",
    "contains": "match",
    "regex": "match",
    "numeric": "numeric",
    "fuzzy": "fuzzy",
    "choice": "choice",
    "json": "json_scorer",
    "python_tests": "code_exec",
    "stdio_tests": "stdio_exec",
    "task_tests": "task_exec",
    "judge": "judge",
    "stance": "stance",
    "semantic": "semantic",
}
_BUILTIN_MODULES = tuple(f"benchlab.scorers.{m}" for m in dict.fromkeys(_BUILTINS.values()))
_loaded = False


def register(name: str) -> Callable[[F], F]:
    """Register a scorer factory under `name` (built-ins and plugins use the same hook)."""

    def deco(factory: F) -> F:
        _FACTORIES[name] = factory
        return factory

    return deco


def _load_builtins() -> None:
    global _loaded
    if not _loaded:
        import importlib

        for module in _BUILTIN_MODULES:
            importlib.import_module(module)
        _loaded = True


def scorer_names() -> list[str]:
    _load_builtins()
    return sorted(_FACTORIES)


def build_scorer(spec: ScorerSpec) -> Scorer:
    """Instantiate a scorer from its spec; every mistake is a ConfigError naming the scorer."""
    if ":" in spec.name:
        from benchlab.scorers.custom import custom_scorer

        return custom_scorer(spec.name, spec.options)
    factory = _FACTORIES.get(spec.name)
    if factory is None and spec.name in _BUILTINS:
        import importlib

        importlib.import_module(f"benchlab.scorers.{_BUILTINS[spec.name]}")
        factory = _FACTORIES.get(spec.name)
    if factory is None:
        _load_builtins()
        factory = _FACTORIES.get(spec.name)
    if factory is None:
        known = ", ".join(sorted(_FACTORIES))
        raise ConfigError(f"unknown scorer {spec.name!r} (known: {known}; or module:function)")
    options: dict[str, Any] = {k: v for k, v in spec.options.items() if k != "as"}
    try:
        scorer = factory(**options)
    except TypeError as exc:
        raise ConfigError(f"scorer {spec.name!r}: bad options {options!r}: {exc}") from exc
    except ValueError as exc:
        raise ConfigError(f"scorer {spec.name!r}: {exc}") from exc
    if "as" in spec.options:
        scorer.name = str(spec.options["as"])
    return scorer
