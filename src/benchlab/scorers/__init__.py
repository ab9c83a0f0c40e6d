"""Scorers: turn (case, answer) into a verdict. Built-in families load on first lookup.

Only the interface and the registry are imported here; the scorer modules
(and rapidfuzz / jsonschema behind them) load when a scorer is first built,
so `import benchlab.scorers` stays cheap for the CLI.
"""

from benchlab.scorers.base import Answer, ScoreContext, Scorer, ScoreResult
from benchlab.scorers.registry import build_scorer, register, scorer_names

__all__ = [
    "Answer",
    "ScoreContext",
    "ScoreResult",
    "Scorer",
    "build_scorer",
    "register",
    "scorer_names",
]
