"""The scorer interface: an async call from (case, answer) to a verdict.

Async because the next scorer families call models themselves (judges,
embeddings) or run programs (code execution). They do so through
`ScoreContext`, which the engine implements with the same providers, limits,
retries and cache as the attempts; scorers never import the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from benchlab.domain import Case, ModelProfile, Price
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


class EmbeddingCache(Protocol):
    """Vectors kept across runs, keyed by (embedding model, text)."""

    def get_embeddings(self, model: str, texts: Sequence[str]) -> dict[str, list[float]]: ...

    def put_embeddings(self, model: str, vectors: Mapping[str, Sequence[float]]) -> None: ...


class ScoreContext(Protocol):
    """What the engine lends a scorer: everything a scorer may use beyond (case, answer).

    Model calls (`generate`, `embed`) go through the run's gateway, with its
    limits, retries, response cache and budget; the rest says how the run was
    asked to score. A context written for tests implements all of it (see
    `NoModels`), so a scorer reads these members directly and never probes.
    """

    @property
    def judge_model(self) -> str | None:
        """The judge the run was told to use (`--judge-model`), if any."""
        ...

    @property
    def executor(self) -> str | None:
        """Where code runs (`--executor`: local, ray); None: the default."""
        ...

    @property
    def embeddings(self) -> EmbeddingCache | None:
        """Vectors stored across runs; None when there is no store."""
        ...

    def price(self, model: str) -> Price | None:
        """What `model` costs, when known (a judge's spend is reported apart)."""
        ...

    async def generate(self, model: str, request: GenerateRequest) -> Completion: ...

    async def embed(
        self, model: ModelProfile, texts: list[str], *, retry: EmbedRetry | None = None
    ) -> list[list[float]]:
        """Vectors of `texts` from an embeddings endpoint, in order. `retry`, when given,
        replaces the run's retry count and first delay for this model (the `semantic`
        scorer's own options)."""
        ...


@dataclass(frozen=True, slots=True)
class EmbedRetry:
    """How often and how soon an embedding request is tried again (the scorer's options)."""

    retries: int
    delay: float


@runtime_checkable
class Scorer(Protocol):
    name: str

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult: ...


@runtime_checkable
class ClosingScorer(Protocol):
    """A scorer that holds resources (worker pools, sessions) and releases them in `aclose`."""

    async def aclose(self) -> None: ...


async def close_scorers(scorers: Iterable[Scorer]) -> None:
    """Release every scorer's resources once (a suite's scorers are shared by its cases)."""
    seen: set[int] = set()
    for scorer in scorers:
        if isinstance(scorer, ClosingScorer) and id(scorer) not in seen:
            seen.add(id(scorer))
            await scorer.aclose()


class NoModels:
    """A ScoreContext for scoring outside a run: any model call is a clear error.

    `executor` picks where code-running scorers run (None: the default)."""

    judge_model: str | None = None
    embeddings: EmbeddingCache | None = None

    def __init__(self, executor: str | None = None) -> None:
        self.executor = executor

    def price(self, model: str) -> Price | None:
        return None

    async def generate(self, model: str, request: GenerateRequest) -> Completion:
        raise RuntimeError(f"scorer asked for model {model!r} but no engine is attached")

    async def embed(
        self, model: ModelProfile, texts: list[str], *, retry: EmbedRetry | None = None
    ) -> list[list[float]]:
        raise RuntimeError(
            f"scorer asked for embeddings from {model.spec!r} but no engine is attached"
        )
