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


PROMPT_TOKENS, ANSWER_TOKENS = 8, 50  # what the stub bills per request, whatever it is asked
PRICE = 1000.0  # US$ per 1M tokens in and out: 0.058 US$ a request


def test_the_cap_holds_at_high_concurrency(tmp_path: Path) -> None:
    """Issue 11: `--max-cost 0.30` at concurrency 16 spent $0.72 and ended `completed`. Requests
    in flight now hold their cost bound: the provider's own bill stays under the cap, the run
    ends stopped_budget with exit 1 and says where it stopped and how to go on."""
    import json
    import re

    from support.runs import cli

    cap = 0.30
    per_request = (PROMPT_TOKENS + ANSWER_TOKENS) * PRICE / 1e6
    s = suite(tmp_path, 40)
    models = tmp_path / "models.json"
    models.write_text(
        json.dumps(
            {
                "models": [
                    {
                        "name": "metered",
                        "spec": "openai/metered",
                        "params": {"max_tokens": ANSWER_TOKENS},
                        "price": {"input": PRICE, "output": PRICE},
                    }
                ]
            }
        )
    )
    db = f"sqlite:///{tmp_path / 'b.db'}"
    with StubServer(usage=(PROMPT_TOKENS, ANSWER_TOKENS), delay=0.05) as server:
        env = {"OPENAI_BASE_URL": server.openai_base_url, "OPENAI_API_KEY": "k"}
        out = cli(
            "run", str(s), "--models", str(models), "--max-cost", str(cap), "--scorer",
            "numeric", "--concurrency", "16", "--db", db, "--json", "--quiet", env=env,
        )  # fmt: skip
        billed = server.count * per_request
        assert server.max_in_flight >= 2  # the cap did not serialise the run from the start
    assert out.returncode == 1, out.stderr
    assert billed <= cap + 1e-12  # the provider's bill: never past the cap
    assert billed >= cap - 2 * per_request  # and not far short of it either
    summary = json.loads(out.stdout)
    assert summary["status"] == "stopped_budget"
    assert summary["budget"]["cap_usd"] == cap
    assert summary["budget"]["spent_usd"] == pytest.approx(billed)
    assert summary["budget"]["not_sent"] == 40 - server.count
    line = out.stderr.strip().splitlines()[-1]
    assert f"spent ${billed:.4f} of ${cap:.2f}" in line
    assert f"{40 - server.count} attempts not sent" in line
    assert re.search(rf"benchlab resume {summary['run_id']} --max-cost \d+\.\d\d", line)
    with Store(db) as store:
        assert run_spend(store, summary["run_id"]) == pytest.approx(billed)
