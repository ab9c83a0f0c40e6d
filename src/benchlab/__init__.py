"""benchlab: run benchmark suites against many LLMs, score every answer, keep every run.

The public API is re-exported here and resolved lazily (PEP 562), so that
`import benchlab` and `benchlab --help` don't pay for SQLAlchemy, aiohttp or
the engine until they are used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # running
    "run": "benchlab.api",
    "arun": "benchlab.api",
    "resume": "benchlab.api",
    "aresume": "benchlab.api",
    "plan": "benchlab.api",
    "show": "benchlab.api",
    "list_runs": "benchlab.api",
    "export": "benchlab.api",
    "RunResult": "benchlab.api",
    # comparing and tracking
    "compare": "benchlab.api",
    "gate": "benchlab.api",
    "history": "benchlab.api",
    "report": "benchlab.api",
    "power": "benchlab.api",
    "spend": "benchlab.api",
    # judging and grids
    "score": "benchlab.api",
    "ascore": "benchlab.api",
    "pairwise": "benchlab.api",
    "apairwise": "benchlab.api",
    "build_cases": "benchlab.api",
    "RunConfig": "benchlab.engine.config",
    # concepts
    "Case": "benchlab.domain",
    "Message": "benchlab.domain",
    "SuiteHeader": "benchlab.domain",
    "ScorerSpec": "benchlab.domain",
    "ModelProfile": "benchlab.domain",
    "GenerationParams": "benchlab.domain",
    "Price": "benchlab.domain",
    "Attempt": "benchlab.domain",
    "Score": "benchlab.domain",
    "Run": "benchlab.domain",
    # suites, models, scorers, store
    "LoadedSuite": "benchlab.suites",
    "load_suite": "benchlab.suites",
    "resolve_models": "benchlab.providers.profiles",
    "load_models_file": "benchlab.providers.profiles",
    "register_scorer": "benchlab.scorers",
    "build_scorer": "benchlab.scorers",
    "Store": "benchlab.store",
    # production samples
    "log_sample": "benchlab.samples",
    # events
    "EventSink": "benchlab.engine.events",
    "AttemptFinished": "benchlab.engine.events",
    # errors
    "UserError": "benchlab.errors",
    "ConfigError": "benchlab.errors",
    "SuiteError": "benchlab.errors",
}

_ALIASES = {"register_scorer": "register"}

# Spelled out, not computed from _EXPORTS, so that type checkers see what is exported
# (mypy reads only a literal `__all__`); tests/test_exported_members.py keeps the two equal.
__all__ = [
    "Attempt",
    "AttemptFinished",
    "Case",
    "ConfigError",
    "EventSink",
    "GenerationParams",
    "LoadedSuite",
    "Message",
    "ModelProfile",
    "Price",
    "Run",
    "RunConfig",
    "RunResult",
    "Score",
    "ScorerSpec",
    "Store",
    "SuiteError",
    "SuiteHeader",
    "UserError",
    "__version__",
    "apairwise",
    "aresume",
    "arun",
    "ascore",
    "build_cases",
    "build_scorer",
    "compare",
    "export",
    "gate",
    "history",
    "list_runs",
    "load_models_file",
    "load_suite",
    "log_sample",
    "pairwise",
    "plan",
    "power",
    "register_scorer",
    "report",
    "resolve_models",
    "resume",
    "run",
    "score",
    "show",
    "spend",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'benchlab' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), _ALIASES.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:
    from benchlab.api import (
        RunResult,
        apairwise,
        aresume,
        arun,
        ascore,
        build_cases,
        compare,
        export,
        gate,
        history,
        list_runs,
        pairwise,
        plan,
        power,
        report,
        resume,
        run,
        score,
        show,
        spend,
    )
    from benchlab.domain import (
        Attempt,
        Case,
        GenerationParams,
        Message,
        ModelProfile,
        Price,
        Run,
        Score,
        ScorerSpec,
        SuiteHeader,
    )
    from benchlab.engine.config import RunConfig
    from benchlab.engine.events import AttemptFinished, EventSink
    from benchlab.errors import ConfigError, SuiteError, UserError
    from benchlab.providers.profiles import load_models_file, resolve_models
    from benchlab.samples import log_sample
    from benchlab.scorers import build_scorer
    from benchlab.scorers import register as register_scorer
    from benchlab.store import Store
    from benchlab.suites import LoadedSuite, load_suite
