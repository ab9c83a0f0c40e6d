"""The scorer interface: an async call from (case, answer) to a verdict.

Async because the next scorer families call models themselves (judges,
embeddings) or run programs (code execution). They do so through
`ScoreContext`, which the engine implements with the same providers, limits,
retries and cache as the attempts; scorers never import the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from benchlab.domain import Case, Price
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
    """What the engine lends a scorer: model calls with the run's limits, retries and cache.

    The engine's context also offers `judge_model` (the run's `--judge-model`),
    `price(model)` and `embeddings` (a store-backed `EmbeddingCache`); they are
    read through the helpers below, so a context written for tests needs only
    `generate`.
    """

    async def generate(self, model: str, request: GenerateRequest) -> Completion: ...


class EmbeddingCache(Protocol):
    """Vectors kept across runs, keyed by (embedding model, text)."""

    def get_embeddings(self, model: str, texts: Sequence[str]) -> dict[str, list[float]]: ...

    def put_embeddings(self, model: str, vectors: Mapping[str, Sequence[float]]) -> None: ...


def run_judge_model(ctx: ScoreContext) -> str | None:
    """The judge the run was told to use (`--judge-model`), if any."""
    value = getattr(ctx, "judge_model", None)
    return value if isinstance(value, str) and value else None


def model_price(ctx: ScoreContext, model: str) -> Price | None:
    """What `model` costs, when the context knows (a judge's spend is reported apart)."""
    price = getattr(ctx, "price", None)
    found = price(model) if callable(price) else None
    return found if isinstance(found, Price) else None


def embedding_cache(ctx: ScoreContext) -> EmbeddingCache | None:
    found = getattr(ctx, "embeddings", None)
    return found if found is not None and hasattr(found, "get_embeddings") else None


@runtime_checkable
class Scorer(Protocol):
    name: str

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult: ...


class NoModels:
    """A ScoreContext for scoring outside a run: any model call is a clear error."""

    async def generate(self, model: str, request: GenerateRequest) -> Completion:
        raise RuntimeError(f"scorer asked for model {model!r} but no engine is attached")
