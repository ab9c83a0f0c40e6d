"""The scorer interface: an async call from (case, answer) to a verdict.

Async because the next scorer families call models themselves (judges,
embeddings) or run programs (code execution). They do so through
`ScoreContext`, which the engine implements with the same providers, limits,
retries and cache as the attempts; scorers never import the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from benchlab.domain import Case
from benchlab.providers.base import Completion, GenerateRequest


@dataclass(slots=True)
class Answer:
    """What a scorer sees of an attempt."""

    output: str
    model: str = ""
    sample: int = 0
    tool_calls: list[dict[str, Any]] | None = None
    finish_reason: str | None = None


@dataclass(slots=True)
class ScoreResult:
    """`value` in [0, 1] (or a signed scale for stance-like scorers); `passed` may be None
    when a scorer only measures."""

    value: float | None
    passed: bool | None
    explanation: str = ""
    details: dict[str, Any] | None = field(default=None)


class ScoreContext(Protocol):
    """What the engine lends a scorer: model calls with the run's limits, retries and cache."""

    async def generate(self, model: str, request: GenerateRequest) -> Completion: ...


@runtime_checkable
class Scorer(Protocol):
    name: str

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult: ...


class NoModels:
    """A ScoreContext for scoring outside a run: any model call is a clear error."""

    async def generate(self, model: str, request: GenerateRequest) -> Completion:
        raise RuntimeError(f"scorer asked for model {model!r} but no engine is attached")
