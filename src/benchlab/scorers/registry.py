"""Scorers by name: a factory per name, rebuilt from (name, options) stored on a run.

A factory takes the options as keyword arguments and returns a `Scorer`; a
wrong option is a `ConfigError` naming the scorer and the option. A name with a
colon (`package.module:function`) is a custom scorer, imported only when used.

Every named scorer is declared once, as `name -> "module:factory"`: the
built-ins in `BUILTINS` below, a third-party package in its entry points
(group `benchlab.scorers`, e.g. `mine = "my_pkg.scoring:mine"` under
`[project.entry-points."benchlab.scorers"]`). Both resolve the same way, and
only when the name is used: building one scorer imports only its module (the
code-execution ones pull in the sandbox, the judges the engine's judge
plumbing; start-up time counts), and the installed packages' metadata is read
only for a name that is not built in.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from typing import Any, TypeVar, cast

from benchlab.domain import ScorerSpec
from benchlab.errors import ConfigError
from benchlab.scorers.base import Scorer

Factory = Callable[..., Scorer]
F = TypeVar("F", bound=Factory)

ENTRY_POINT_GROUP = "benchlab.scorers"

# The built-ins, written as a plugin writes its entry points. Adding a scorer is its module
# plus one line here; a built-in's name cannot be taken by a plugin.
BUILTINS: dict[str, str] = {
    "exact": "benchlab.scorers.match:exact",
    "contains": "benchlab.scorers.match:contains",
    "regex": "benchlab.scorers.match:regex",
    "numeric": "benchlab.scorers.numeric:numeric",
    "fuzzy": "benchlab.scorers.fuzzy:fuzzy",
    "choice": "benchlab.scorers.choice:choice",
    "json": "benchlab.scorers.json_scorer:json_scorer",
    "python_tests": "benchlab.scorers.code_exec:python_tests",
    "stdio_tests": "benchlab.scorers.stdio_exec:stdio_tests",
    "task_tests": "benchlab.scorers.task_exec:task_tests",
    "judge": "benchlab.scorers.judge:judge",
    "stance": "benchlab.scorers.stance:stance",
    "semantic": "benchlab.scorers.semantic:semantic",
    "ifeval": "benchlab.scorers.ifeval.scorer:ifeval",
    "loglikelihood": "benchlab.scorers.loglikelihood:loglikelihood",
    "mc2": "benchlab.scorers.mc2:mc2",
    "gsm8k": "benchlab.scorers.gsm8k:gsm8k",
    "mmlu_pro": "benchlab.scorers.mmlu_pro:mmlu_pro",
    "math": "benchlab.scorers.math_answer:math_answer",
}

# Factories resolved so far, and those registered at run time (`register`: a notebook, a test).
_FACTORIES: dict[str, Factory] = {}


def register(name: str) -> Callable[[F], F]:
    """Register a factory in this process only; a package declares an entry point instead."""

    def deco(factory: F) -> F:
        _FACTORIES[name] = factory
        return factory

    return deco


def _plugins() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _resolve(name: str, ref: str) -> Factory:
    module_name, _, attr = ref.partition(":")
    module = importlib.import_module(module_name)
    factory: object = getattr(module, attr) if attr else module
    if not callable(factory):
        raise ConfigError(f"scorer {name!r}: {ref} is not a scorer factory")
    return cast(Factory, factory)


def _load_plugin(ep: EntryPoint) -> Factory:
    where = f"entry point {ep.name} = {ep.value} ({ENTRY_POINT_GROUP})"
    try:
        return _resolve(ep.name, ep.value)
    except ConfigError as exc:
        raise ConfigError(f"{exc}: {where}") from exc
    except Exception as exc:  # a broken plugin is the user's setup, not a crash of ours
        raise ConfigError(f"scorer {ep.name!r}: cannot load {where}: {exc}") from exc


def find_factory(name: str) -> Factory | None:
    """The factory named `name` (run-time, built-in, then installed plugins), or None."""
    factory = _FACTORIES.get(name)
    if factory is None:
        ref = BUILTINS.get(name)
        if ref is not None:
            factory = _resolve(name, ref)
        else:
            ep = _plugins().get(name)
            if ep is None:
                return None
            factory = _load_plugin(ep)
        _FACTORIES[name] = factory
    return factory


def scorer_names() -> list[str]:
    """Every name `build_scorer` accepts, without importing any scorer module."""
    return sorted({*BUILTINS, *_FACTORIES, *_plugins()})


def build_scorer(spec: ScorerSpec) -> Scorer:
    """Instantiate a scorer from its spec; every mistake is a ConfigError naming the scorer."""
    if ":" in spec.name:
        from benchlab.scorers.custom import custom_scorer

        return custom_scorer(spec.name, spec.options)
    factory = find_factory(spec.name)
    if factory is None:
        known = ", ".join(scorer_names())
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
