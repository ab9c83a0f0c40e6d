"""The engine end to end over real HTTP: retries, errors, cache, samples, events, store rows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from benchlab import api
from benchlab.domain import GenerationParams, ModelProfile, Price, ScorerSpec
from benchlab.engine.config import RunConfig
from benchlab.engine.events import AttemptFinished, Recorder, RunFinished, RunStarted
from benchlab.store import Store
from support.servers import Garbage, Hang, Status, StubServer, Truncated
from support.suites import write_jsonl_suite


def _config(suite: Path, db_url: str, **kw: Any) -> RunConfig:
    models = kw.pop("models", None) or [ModelProfile(name="openai/stub", spec="openai/stub")]
    base: dict[str, Any] = dict(
        suites=[str(suite)],
        models=models,
        scorers=[ScorerSpec(name="numeric")],
        db=db_url,
        retry_base_delay=0.01,
        retry_max_delay=0.05,
        concurrency=4,
    )
    base.update(kw)
    return RunConfig(**base)


def _env(server: StubServer) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.openai_base_url, "OPENAI_API_KEY": "sk-test"}


async def test_every_case_is_asked_once_scored_and_stored(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 20)
    result = await api.arun(_config(suite, db_url), env=_env(stub_server))
    assert result.status == "completed"
    assert stub_server.count == 20
    (model,) = result.summary["models"]
    assert model["attempts"] == 20 and model["errors"] == 0
    assert model["pass_rate"] == 1.0
    assert model["tokens"]["input"] > 0 and model["tokens"]["output"] == 40
    assert model["cost_usd"] is None  # no price for openai/stub: unknown, not 0
    assert set(model["by_category"]) == {"cat0", "cat1", "cat2"}
    attempts = list(result.attempts())
    assert sorted(a.case_id for a in attempts) == sorted(f"c{i}" for i in range(20))
    first = attempts[0]
    assert first.prompt[-1]["role"] == "user" and first.output == first.prompt[-1]["content"]
    assert first.scores[0].scorer == "numeric" and first.scores[0].passed is True
    sent = stub_server.requests[0]
    assert sent["headers"]["authorization"] == "Bearer sk-test"


async def test_transient_errors_are_retried_and_retry_after_honoured(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 3)
    stub_server.script(Status(429, retry_after=0.2), Status(500), Garbage(), Truncated())
    import time

    started = time.perf_counter()
    result = await api.arun(_config(suite, db_url, concurrency=1), env=_env(stub_server))
    elapsed = time.perf_counter() - started
    assert result.summary["models"][0]["errors"] == 0
    assert result.summary["models"][0]["pass_rate"] == 1.0
    assert stub_server.count == 3 + 4
    assert elapsed >= 0.2  # waited as Retry-After said, not the 10 ms base backoff
    retries = sorted(a.retries for a in result.attempts())
    assert retries == [0, 0, 4]


async def test_final_failure_is_recorded_and_run_goes_on(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 4)
    stub_server.script(Status(401), Hang(2.0), Hang(2.0), Hang(2.0))
    result = await api.arun(
        _config(suite, db_url, concurrency=1, retries=2, timeout=0.2), env=_env(stub_server)
    )
    assert result.status == "completed"
    by_error = sorted((a.error_type or "") for a in result.attempts())
    assert by_error == ["", "", "auth", "timeout"]
    model = result.summary["models"][0]
    assert model["errors"] == 2 and model["attempts"] == 4
    assert model["pass_rate"] == 1.0  # over the judged attempts: an error is not a fail
    assert set(model["errors_by_kind"]) == {"auth", "timeout"}
    timed_out = next(a for a in result.attempts() if a.error_type == "timeout")
    assert timed_out.retries == 2 and "0.2" in (timed_out.error_message or "")


async def test_a_rerun_asks_again_unless_cache_is_asked_for(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    """The cache is opt-in (issue 11): a run measures; `cache=True` reuses stored answers,
    says how many and from when, and counts them at cost 0."""
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 10)
    priced = [ModelProfile(name="openai/stub", spec="openai/stub", price=Price(input=1, output=1))]
    first = await api.arun(_config(suite, db_url, models=priced), env=_env(stub_server))
    assert stub_server.count == 10
    assert first.summary["cache"] == {"used": 0, "from": None, "to": None}
    assert first.summary["models"][0]["cached"] == 0
    assert first.summary["models"][0]["cost_usd"] > 0
    again = await api.arun(_config(suite, db_url, models=priced), env=_env(stub_server))
    assert stub_server.count == 20  # asked again: nothing said to reuse
    assert not any(a.cached for a in again.attempts())
    config = _config(suite, db_url, models=priced, cache=True)
    reused = await api.arun(config, env=_env(stub_server))
    assert stub_server.count == 20
    assert reused.run_id not in (first.run_id, again.run_id)
    assert all(a.cached and a.cost_usd == 0.0 for a in reused.attempts())
    model = reused.summary["models"][0]
    assert model["pass_rate"] == 1.0 and model["cached"] == 10
    assert model["cost_usd"] == 0.0  # a fully cached run costs nothing
    block = reused.summary["cache"]
    assert block["used"] == 10
    # The newest answer to a request is the one kept: these are the second run's.
    asked = sorted(at.isoformat() for at in _finish_times(again))
    reused_at = min(_finish_times(reused)).isoformat()
    assert asked[0] <= block["from"] <= block["to"] <= reused_at
    assert max(_finish_times(first)).isoformat() < block["from"]


def _finish_times(result: api.RunResult) -> list[datetime]:
    """When each attempt of a finished run finished; every one of them has a time."""
    times = []
    for attempt in result.attempts():
        assert attempt.finished_at is not None, attempt
        times.append(attempt.finished_at)
    return times


async def test_a_tracker_sees_the_model_change(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    """Day 1 every answer is right; the model changes; day 2 (same seed, same config) must
    report the new answers, not re-serve day 1's from the cache."""
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 6)
    day1 = await api.arun(_config(suite, db_url, seed=7), env=_env(stub_server))
    assert day1.summary["models"][0]["pass_rate"] == 1.0

    def changed(payload: dict[str, Any]) -> str:
        number = int(payload["messages"][-1]["content"].split()[-1])
        return "wrong" if number % 3 == 0 else str(number)

    stub_server.answer = changed
    day2 = await api.arun(_config(suite, db_url, seed=7), env=_env(stub_server))
    assert stub_server.count == 12  # day 2 sent its 6 requests
    assert day2.summary["models"][0]["pass_rate"] == pytest.approx(4 / 6)
    assert day2.summary["cache"]["used"] == 0


async def test_cache_is_never_shared_between_models_or_params(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 5)
    models = [
        ModelProfile(name="a", spec="openai/model-a"),
        ModelProfile(name="b", spec="openai/model-b"),
        ModelProfile(name="a-hot", spec="openai/model-a", params=GenerationParams(temperature=1.0)),
    ]
    result = await api.arun(_config(suite, db_url, models=models), env=_env(stub_server))
    assert stub_server.count == 15
    assert not any(a.cached for a in result.attempts())
    assert {m["model"] for m in result.summary["models"]} == {"a", "b", "a-hot"}
    hot = [r["json"] for r in stub_server.requests if r["json"].get("temperature") == 1.0]
    assert len(hot) == 5 and all(r["model"] == "model-a" for r in hot)


async def test_samples_and_events(tmp_path: Path, db_url: str, stub_server: StubServer) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 3)
    recorder = Recorder()
    profile = ModelProfile(name="m", spec="openai/m", params=GenerationParams(seed=7))
    result = await api.arun(
        _config(suite, db_url, samples=3, models=[profile]),
        env=_env(stub_server),
        sinks=[recorder],
    )
    assert stub_server.count == 9
    seeds = sorted(r["json"]["seed"] for r in stub_server.requests)
    assert seeds == [7, 7, 7, 8, 8, 8, 9, 9, 9]  # one fixed seed would make samples identical
    kinds = [type(e) for e in recorder.events]
    assert kinds[0] is RunStarted and kinds[-1] is RunFinished
    finished = [e for e in recorder.events if isinstance(e, AttemptFinished)]
    assert len(finished) == 9
    assert {(e.case_id, e.sample) for e in finished} == {
        (f"c{i}", s) for i in range(3) for s in range(3)
    }
    assert all(e.scores == {"numeric": 1.0} for e in finished)
    assert result.summary["models"][0]["attempts"] == 9


async def test_oracle_passes_quickstart_and_echo_does_not(db_url: str) -> None:
    config = RunConfig(
        suites=["quickstart"],
        models=[ModelProfile(name="oracle", spec="oracle"), ModelProfile(name="echo", spec="echo")],
        db=db_url,
    )
    result = await api.arun(config)
    rates = {m["model"]: m["pass_rate"] for m in result.summary["models"]}
    assert rates["oracle"] == 1.0
    assert rates["echo"] < 0.5
    assert all(m["cost_usd"] == 0.0 for m in result.summary["models"])


async def test_replay_file_and_missing_answers(tmp_path: Path, db_url: str) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 3)
    answers = tmp_path / "answers.jsonl"
    answers.write_text('{"case_id": "c0", "output": "0"}\n{"case_id": "c1", "output": "7"}\n')
    config = RunConfig(
        suites=[str(suite)],
        models=[ModelProfile(name="r", spec=f"replay/{answers}")],
        scorers=[ScorerSpec(name="numeric")],
        db=db_url,
    )
    result = await api.arun(config)
    by_case = {a.case_id: a for a in result.attempts()}
    assert by_case["c0"].passed is True
    assert by_case["c1"].passed is False and by_case["c1"].status == "ok"
    assert by_case["c2"].status == "error" and by_case["c2"].error_type == "not_found"
    # replay an earlier run by id: same outputs, same verdicts
    again = await api.arun(
        config.model_copy(
            update={"models": [ModelProfile(name="r2", spec=f"replay/{result.run_id}")]}
        )
    )
    assert {a.case_id: a.output for a in again.attempts() if a.status == "ok"} == {
        "c0": "0",
        "c1": "7",
    }


async def test_limit_and_seed_pick_the_same_cases(tmp_path: Path, db_url: str) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 50, categories=5)
    picks = []
    for _ in range(2):
        config = RunConfig(
            suites=[str(suite)],
            models=[ModelProfile(name="oracle", spec="oracle")],
            scorers=[ScorerSpec(name="exact")],
            db=db_url,
            limit=10,
            seed=3,
        )
        result = await api.arun(config)
        picks.append(sorted(a.case_id for a in result.attempts()))
    assert picks[0] == picks[1] and len(picks[0]) == 10
    other = await api.arun(config.model_copy(update={"seed": 4}))
    assert sorted(a.case_id for a in other.attempts()) != picks[0]


def test_dry_run_sends_nothing_and_estimates_cost(tmp_path: Path, db_url: str) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 10)
    from benchlab.domain import Price

    config = _config(
        suite,
        db_url,
        dry_run=True,
        models=[ModelProfile(name="m", spec="openai/gpt-4.1", price=Price(input=2, output=8))],
    )
    report = api.plan(config).as_dict()
    assert report["requests"] == 10 and report["cases"] == 10
    (m,) = report["models"]
    assert m["input_tokens"] > 0
    assert m["cost_usd"] == pytest.approx((m["input_tokens"] * 2 + m["output_tokens"] * 8) / 1e6)
    assert report["example_prompt"][-1]["content"] == "answer 0"
    with Store(db_url) as store:
        assert store.list_runs() == []


async def test_adaptive_concurrency_backs_off_on_429(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    from benchlab.engine.runner import Engine

    suite = write_jsonl_suite(tmp_path / "s.jsonl", 8)
    stub_server.script(*[Status(429, retry_after=0.01)] * 4)
    with Store(db_url) as store:
        engine = Engine(_config(suite, db_url, concurrency=8), store, env=_env(stub_server))
        outcome = await engine.run()
        (limiter,) = engine.gateway._endpoint_limits.values()
    assert outcome.status == "completed" and outcome.totals.errors == 0
    assert limiter.limit < 8  # halved on the 429s, and not yet grown back to the bound


async def test_concurrency_bounds_global_and_per_model(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 30)
    stub_server.delay = 0.03
    models = [
        ModelProfile(name="wide", spec="openai/wide"),
        ModelProfile(name="narrow", spec="openai/narrow", max_concurrency=2),
    ]
    result = await api.arun(
        _config(suite, db_url, models=models, concurrency=5), env=_env(stub_server)
    )
    assert result.status == "completed" and stub_server.count == 60
    assert stub_server.max_in_flight == 5  # the global bound is reached and never passed
    assert stub_server.max_in_flight_by_model["narrow"] == 2


async def test_anthropic_and_ollama_through_the_engine_keep_tool_calls(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 2)
    stub_server.tool_calls = lambda payload: [{"name": "lookup", "arguments": {"q": "x"}}]
    env = {
        "ANTHROPIC_BASE_URL": stub_server.url,
        "ANTHROPIC_API_KEY": "ak",
        "OLLAMA_HOST": stub_server.url,
    }
    models = [
        ModelProfile(name="claude", spec="anthropic/claude-haiku-4-5"),
        ModelProfile(name="llama", spec="ollama/llama3.2"),
    ]
    result = await api.arun(_config(suite, db_url, models=models), env=env)
    assert result.status == "completed"
    paths = sorted({r["path"] for r in stub_server.requests})
    assert paths == ["/api/chat", "/v1/messages"]
    for attempt in result.attempts():
        assert attempt.status == "ok", attempt.error_message
        assert attempt.tool_calls and attempt.tool_calls[0]["function"]["name"] == "lookup"
        assert attempt.finish_reason == "tool_calls"
    claude = next(m for m in result.summary["models"] if m["model"] == "claude")
    assert claude["cost_usd"] is not None and claude["cost_usd"] > 0  # built-in price


async def test_scorers_holding_resources_are_closed_after_the_run(
    tmp_path: Path, db_url: str
) -> None:
    from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
    from benchlab.scorers.registry import register

    closed: list[str] = []

    class Closing:
        name = "closing"

        async def score(self, case: Any, answer: Answer, ctx: ScoreContext) -> ScoreResult:
            return ScoreResult(1.0, True)

        async def aclose(self) -> None:
            closed.append(self.name)

    register("closing-test")(lambda: Closing())
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 3)
    config = RunConfig(
        suites=[str(suite)],
        models=[ModelProfile(name="echo", spec="echo")],
        scorers=[ScorerSpec(name="closing-test")],
        db=db_url,
    )
    result = await api.arun(config)
    assert result.summary["models"][0]["pass_rate"] == 1.0
    assert closed == ["closing"]


async def test_scorers_call_models_through_the_engine_with_cache(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    """A judge-like scorer asks a model via ScoreContext: same retries, same cache."""
    from benchlab.engine.events import RunTotals
    from benchlab.providers.base import GenerateRequest
    from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
    from benchlab.scorers.registry import register

    class AskJudge:
        name = "ask-judge"

        async def score(self, case: Any, answer: Answer, ctx: ScoreContext) -> ScoreResult:
            reply = await ctx.generate(
                "openai/judge",
                GenerateRequest(
                    model="", messages=[{"role": "user", "content": "7"}], params={"temperature": 0}
                ),
            )
            return ScoreResult(float(reply.text) / 10, True, reply.text)

    register("ask-judge-test")(lambda: AskJudge())
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 3)
    stub_server.script(Status(503))  # the judge's first call is retried like any attempt
    config = RunConfig(
        suites=[str(suite)],
        models=[ModelProfile(name="echo", spec="echo")],
        scorers=[ScorerSpec(name="ask-judge-test")],
        db=db_url,
        retry_base_delay=0.01,
    )
    recorder = Recorder()
    result = await api.arun(config, env=_env(stub_server), sinks=[recorder])
    assert [s.value for a in result.attempts() for s in a.scores] == [0.7, 0.7, 0.7]
    judged = [r for r in stub_server.requests if r["json"]["model"] == "judge"]
    assert 2 <= len(judged) <= 4  # 503 + first answer (+ concurrent misses before it is cached)
    assert any(isinstance(e, RunTotals) for e in recorder.events)
    before = stub_server.count
    await api.arun(config, env=_env(stub_server))
    assert stub_server.count == before  # the verdicts came from the cache


async def test_a_suite_stored_whole_is_not_written_again(
    tmp_path: Path, stub_server: StubServer
) -> None:
    """Cases are keyed by the suite's content hash: a re-run of it writes only attempts."""
    import sqlite3

    db = tmp_path / "cases.db"
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 10)
    await api.arun(_config(suite, f"sqlite:///{db}", limit=4), env=_env(stub_server))
    with sqlite3.connect(db) as conn:  # count every insert the store tries, ignored or not
        conn.execute("CREATE TABLE case_writes (n INTEGER)")
        conn.execute(
            "CREATE TRIGGER count_case_writes BEFORE INSERT ON cases "
            "BEGIN INSERT INTO case_writes VALUES (1); END"
        )

    def writes() -> int:
        with sqlite3.connect(db) as conn:
            return int(conn.execute("SELECT count(*) FROM case_writes").fetchone()[0])

    full = await api.arun(_config(suite, f"sqlite:///{db}"), env=_env(stub_server))
    assert writes() == 10  # only 4 of 10 were stored: the whole suite is written
    again = await api.arun(_config(suite, f"sqlite:///{db}", cache=False), env=_env(stub_server))
    assert writes() == 10  # stored whole: nothing written
    assert again.summary["models"][0]["attempts"] == 10
    assert [a.expected for a in again.attempts()] == [a.expected for a in full.attempts()]


async def test_judges_reuse_a_verdict_on_an_unchanged_answer(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    """The cache being opt-in for answers does not make an unchanged answer's verdict cost
    twice: the model is asked again, the judge is not (unless judge_cache is off)."""
    from support.judging import rubric_judge
    from support.servers import echo_answer

    judge = rubric_judge({"accuracy": 8})

    def answer(payload: dict[str, Any]) -> str:
        return judge(payload) if payload["model"] == "judge" else echo_answer(payload)

    stub_server.answer = answer
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 4)
    scorer = ScorerSpec(name="judge", options={"criteria": ["accuracy"]})
    config = _config(suite, db_url, scorers=[scorer], judge_model="openai/judge")

    def calls(model: str) -> int:
        return sum(r["json"]["model"] == model for r in stub_server.requests)

    await api.arun(config, env=_env(stub_server))
    assert (calls("stub"), calls("judge")) == (4, 4)
    await api.arun(config, env=_env(stub_server))
    assert (calls("stub"), calls("judge")) == (8, 4)  # answers asked again, verdicts reused
    fresh = config.model_copy(update={"judge_cache": False})
    await api.arun(fresh, env=_env(stub_server))
    assert (calls("stub"), calls("judge")) == (12, 8)


async def test_the_runs_executor_reaches_code_scorers_and_is_not_recorded(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--executor` is a choice of machinery: it travels in the config to the scorers'
    context (an unknown one is the scorer's error), never through os.environ, and is not
    stored with the run (which measures the same either way)."""
    import json
    import os

    monkeypatch.delenv("BENCHLAB_EXECUTOR", raising=False)
    suite = tmp_path / "code.jsonl"
    case = {"id": "c", "input": "def f():\n", "expected": {"test": "assert True"}}
    suite.write_text(json.dumps(case) + "\n")
    config = RunConfig(
        suites=[str(suite)],
        models=[ModelProfile(name="echo", spec="echo")],
        scorers=[ScorerSpec(name="python_tests")],
        db=db_url,
        executor="elsewhere",
    )
    result = await api.arun(config)
    assert "BENCHLAB_EXECUTOR" not in os.environ
    with Store(db_url) as store:
        (attempt,) = store.iter_attempts(result.run_id)
        stored = store.get_run(result.run_id).config
    assert attempt.status == "error" and attempt.error_type == "scorer"
    assert "unknown executor 'elsewhere'" in (attempt.error_message or "")
    assert "executor" not in stored
