"""`semantic`: cosine similarity of answer and reference embeddings, passed above a threshold.

For open answers that are right in other words, where string and fuzzy
matching fail. Offline by default (all-MiniLM-L6-v2); or any
OpenAI-compatible embeddings endpoint. Vectors are looked up in this order:
the scorer's own memory (references repeat across models and samples), the
store's embeddings table (shared by every run), and only then the model, in
batches. The value is the best cosine over the case's references, floored at
0 so that it stays on the [0, 1] scale the summaries expect; the raw cosine
is in the details.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from benchlab.domain import Case
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.embedding import LOCAL_MODEL, Batcher, Embedder, make_embedder
from benchlab.scorers.match import expected_strings
from benchlab.scorers.normalize import preview

_MEMORY = 4096  # vectors kept in the scorer (references, mostly)


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


class SemanticScorer:
    def __init__(self, embedder: Embedder, threshold: float, batch: int, use_cache: bool) -> None:
        self.name = "semantic"
        self.threshold = threshold
        self._embedder = embedder
        self._batch = batch
        self._batcher: Batcher | None = None
        self._batching_for: ScoreContext | None = None
        self._use_cache = use_cache
        self._memory: OrderedDict[str, list[float]] = OrderedDict()

    async def vectors(self, texts: list[str], ctx: ScoreContext) -> dict[str, list[float]]:
        """Vectors of distinct texts: memory, then the store, then the model (batched)."""
        found: dict[str, list[float]] = {}
        missing: list[str] = []
        for text in dict.fromkeys(texts):
            vector = self._memory.get(text)
            if vector is None:
                missing.append(text)
            else:
                found[text] = vector
        cache = ctx.embeddings if self._use_cache else None
        model = self._embedder.key
        if missing and cache is not None:
            stored = cache.get_embeddings(model, missing)
            found.update(stored)
            missing = [t for t in missing if t not in stored]
        if missing:
            fresh = dict(zip(missing, await self._batcher_for(ctx).embed(missing), strict=True))
            found.update(fresh)
            if cache is not None:
                cache.put_embeddings(model, fresh)
        for text, vector in found.items():
            self._memory[text] = vector
            self._memory.move_to_end(text)
        while len(self._memory) > _MEMORY:
            self._memory.popitem(last=False)
        return found

    def _batcher_for(self, ctx: ScoreContext) -> Batcher:
        """One batcher per context (a run lends one for all its scores): batches are sent
        through the context they were asked in."""
        if self._batcher is None or self._batching_for is not ctx:
            embedder = self._embedder

            async def embed(texts: list[str]) -> list[list[float]]:
                return await embedder.embed(texts, ctx)

            self._batcher = Batcher(embed, size=self._batch)
            self._batching_for = ctx
        return self._batcher

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        # A written-out reference answer beats terse `expected` keywords for meaning.
        refs = [case.reference] if case.reference else expected_strings(case, self.name)
        vectors = await self.vectors([answer.output, *refs], ctx)
        got = vectors[answer.output]
        best, best_ref = -1.0, refs[0]
        for ref in refs:
            similarity = cosine(got, vectors[ref])
            if similarity > best:
                best, best_ref = similarity, ref
        passed = best >= self.threshold
        return ScoreResult(
            value=min(1.0, max(0.0, best)),
            passed=passed,
            explanation=f"cosine {best:.3f} vs {preview(best_ref)} "
            f"({'>=' if passed else '<'} threshold {self.threshold:g})",
            details={"cosine": best, "model": self._embedder.key, "reference": best_ref},
        )

    async def aclose(self) -> None:
        await self._embedder.aclose()


def semantic(
    *,
    threshold: float = 0.7,
    model: str = LOCAL_MODEL,
    base_url: str | None = None,
    api_key_env: str | None = None,
    batch_size: int = 64,
    timeout: float = 60.0,
    retries: int = 4,
    retry_delay: float = 0.5,
    device: str = "cpu",
    cache: bool = True,
) -> SemanticScorer:
    """`model`: the offline default or `provider/model` of an OpenAI-compatible endpoint
    (`base_url` overrides where it is); `threshold` on the cosine similarity."""
    limit = float(threshold)
    if not -1.0 <= limit <= 1.0:
        raise ValueError(f"threshold must be a cosine in [-1, 1], got {threshold}")
    if int(batch_size) < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    embedder: Any = make_embedder(
        str(model),
        base_url=base_url,
        api_key_env=api_key_env,
        timeout=float(timeout),
        retries=int(retries),
        retry_delay=float(retry_delay),
        device=str(device),
        batch_size=int(batch_size),
    )
    return SemanticScorer(embedder, limit, int(batch_size), bool(cache))
