"""`--max-cost`: stop at the cap, resume under a higher one; cached answers are free."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchlab import api
from benchlab.errors import ConfigError
from benchlab.store import Store
from benchlab.store.outcomes import run_spend
from support.runs import make_run, priced_models, replay, suite
from support.servers import StubServer

N = 30


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    s = suite(tmp_path, N)
    # 1000 US$ per 1M tokens: each of these small attempts costs about 0.004 US$
    models = priced_models(tmp_path / "m.json", {"paid": (replay(tmp_path / "r.jsonl", N), 1000)})
    return s, models


def test_stops_at_the_cap_and_resumes_with_a_higher_one(tmp_path: Path, db_url: str) -> None:
    s, models = _setup(tmp_path)
    stopped = make_run(db_url, s, "paid", models_file=models, max_cost=0.03, concurrency=1)
    assert stopped.status == "stopped_budget"
    first = stopped.summary["models"][0]
    assert 0 < first["attempts"] < N
    # Never past the cap (the old engine overshot by a request); at most a few requests short
    # of it, as each request holds an upper bound of its cost until it is answered.
    assert 0.015 <= first["cost_usd"] <= 0.03
    with Store(db_url) as store:
        assert store.get_run(stopped.run_id).status == "stopped_budget"
        assert run_spend(store, stopped.run_id) == pytest.approx(first["cost_usd"])
    with pytest.raises(ConfigError, match="already spent"):
        api.resume(stopped.run_id, db=db_url)  # the same cap: nothing could be sent
    done = api.resume(stopped.run_id, db=db_url, overrides={"max_cost": 10.0})
    assert done.status == "completed" and done.summary["models"][0]["attempts"] == N
    with Store(db_url) as store:
        assert store.count_attempts(stopped.run_id) == N  # nothing asked twice


def test_cached_answers_cost_nothing_against_the_cap(tmp_path: Path, db_url: str) -> None:
    s, models = _setup(tmp_path)
    full = make_run(db_url, s, "paid", models_file=models)
    assert full.summary["models"][0]["cost_usd"] > 0.05
    again = make_run(db_url, s, "paid", models_file=models, max_cost=0.01, cache=True)
    assert again.status == "completed"  # every answer came from the cache
    assert again.summary["models"][0]["cost_usd"] == 0.0  # a reused answer costs nothing
    with Store(db_url) as store:
        assert run_spend(store, again.run_id) == 0.0


def test_a_cap_needs_known_prices(tmp_path: Path, db_url: str) -> None:
    s = suite(tmp_path, 3)
    with pytest.raises(ConfigError, match="--max-cost: no known price for openai/stub"):
        make_run(db_url, s, "openai/stub", max_cost=1.0, env={"OPENAI_API_KEY": "sk-x"})


async def test_judge_spend_counts_against_the_cap(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    """A free model judged by a priced one: only the judge's spend can stop the run."""
    from typing import Any

    from benchlab.domain import ModelProfile, ScorerSpec
    from benchlab.engine.config import RunConfig
    from benchlab.providers.base import GenerateRequest
    from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
    from benchlab.scorers.registry import register
    from support.suites import write_jsonl_suite

    class PricedJudge:
        name = "priced-judge"

        async def score(self, case: Any, answer: Answer, ctx: ScoreContext) -> ScoreResult:
            await ctx.generate(  # built-in price: US$ 2 per 1M input tokens
                "openai/gpt-4.1",
                GenerateRequest(model="", messages=[{"role": "user", "content": answer.output}]),
            )
            return ScoreResult(1.0, True)

    register("priced-judge-test")(lambda: PricedJudge())
    suite_file = write_jsonl_suite(tmp_path / "s.jsonl", 40)
    config = RunConfig(
        suites=[str(suite_file)],
        models=[ModelProfile(name="echo", spec="echo")],  # free
        scorers=[ScorerSpec(name="priced-judge-test")],
        db=db_url,
        concurrency=1,
        max_cost=5e-5,  # each judge call costs about 2e-5 (2 words in at 2, out at 8 per 1M)
    )
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url, "OPENAI_API_KEY": "k"}
    result = await api.arun(config, env=env)
    assert result.status == "stopped_budget"
    assert 2 <= stub_server.count <= 4  # far before the 40 cases
