"""Judges inside real runs, `--no-score`, and scoring passes kept beside the run's own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchlab import api
from benchlab.domain import ScorerSpec
from benchlab.engine.config import RunConfig
from benchlab.errors import ConfigError, MissingCredentials
from benchlab.providers.profiles import resolve_models
from benchlab.store import Store
from benchlab.store.passes import list_passes, start_pass
from benchlab.store.stats import for_runs
from support.servers import StubServer

JUDGE = "openai/gpt-4o-mini"  # priced built in: $0.15 / $0.60 per 1M tokens


def _suite(tmp_path: Path, scorers: list[Any] | None = None) -> Path:
    path = tmp_path / "open.yaml"
    doc = {
        "name": "open",
        "scorers": scorers or [{"name": "judge", "criteria": ["accuracy"], "threshold": 0.6}],
        "cases": [
            {"id": "paris", "input": "Capital of France?", "expected": "Paris"},
            {"id": "four", "input": "2 + 2?", "expected": "4"},
            {"id": "haiku", "input": "A haiku about rain.", "expected": "rain"},
        ],
    }
    path.write_text(json.dumps(doc))
    return path


def _replay(tmp_path: Path, answers: dict[str, str]) -> str:
    path = tmp_path / "answers.jsonl"
    path.write_text(
        "".join(json.dumps({"case_id": k, "output": v}) + "\n" for k, v in answers.items())
    )
    return f"replay/{path}"


def _by_answer(scores: dict[str, float]) -> Any:
    """A judge that grades accuracy by which answer it reads."""

    def answer(payload: dict[str, Any]) -> str:
        prompt = payload["messages"][-1]["content"]
        graded = prompt.split("[Answer to grade]\n", 1)[1].split("\n", 1)[0]
        return json.dumps({"score": scores.get(graded, 1), "reasoning": f"graded {graded}"})

    return answer


def _config(db: str, suite: Path, models: list[str], **extra: Any) -> RunConfig:
    return RunConfig(
        suites=[str(suite)],
        models=resolve_models(models),
        db=db,
        retry_base_delay=0.01,
        **extra,
    )


def test_judge_in_a_run_counts_judge_spend_apart(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    stub_server.answer = _by_answer({"Paris": 10, "4": 9, "drizzle": 2})
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url}
    model = _replay(tmp_path, {"paris": "Paris", "four": "4", "haiku": "drizzle"})
    result = api.run(_config(db_url, _suite(tmp_path), [model], judge_model=JUDGE), env=env)
    assert result.status == "completed" and stub_server.count == 3
    entry = result.summary["models"][0]
    assert entry["pass_rate"] == pytest.approx(2 / 3)
    assert entry["scores"]["judge"]["n"] == 3
    tokens = entry["judge_tokens"]
    assert tokens["input"] > 0 and tokens["output"] > 0
    expected_cost = (tokens["input"] * 0.15 + tokens["output"] * 0.60) / 1e6
    assert entry["judge_cost_usd"] == pytest.approx(expected_cost)
    assert entry["judge_calls"] == 3
    assert entry["cost_usd"] in (None, 0.0)  # the replayed model's own spend is untouched
    attempt = next(a for a in result.attempts() if a.case_id == "haiku")
    details = attempt.scores[0].details
    assert details is not None and details["criteria"]["accuracy"]["reasoning"] == "graded drizzle"


def test_a_judging_scorer_without_a_judge_fails_before_the_run(tmp_path: Path, db_url: str) -> None:
    with pytest.raises(ConfigError, match=r"needs a judge model.*--judge-model"):
        api.run(_config(db_url, _suite(tmp_path), ["oracle"]))
    with pytest.raises(MissingCredentials, match="OPENAI_API_KEY"):
        api.run(_config(db_url, _suite(tmp_path), ["oracle"], judge_model=JUDGE), env={})
    with Store(db_url) as store:
        assert store.list_runs() == []


def test_no_score_then_score_passes_kept_side_by_side(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url}
    model = _replay(tmp_path, {"paris": "Paris", "four": "5", "haiku": "drizzle"})
    run = api.run(_config(db_url, _suite(tmp_path), [model], score=False), env=env)
    assert run.status == "completed" and stub_server.count == 0
    assert run.summary["models"][0]["pass_rate"] is None and run.summary["score_pass"] == 0
    assert all(not a.scores for a in run.attempts())

    # pass 1: the recorded scorers (the judge), with a judge named now
    stub_server.answer = _by_answer({"Paris": 10, "5": 2, "drizzle": 8})
    first = api.score(run.run_id, db=db_url, judge_model=JUDGE, env=env)
    assert first["scoring"] == {
        "pass_no": 1,
        "status": "completed",
        "scored": 3,
        "errors": 0,
        "skipped": [],
    }
    assert first["score_pass"] == 1
    assert first["models"][0]["pass_rate"] == pytest.approx(2 / 3)
    assert first["models"][0]["judge_calls"] == 3

    # pass 2: other scorers; nothing is asked of any model again
    sent = stub_server.count
    second = api.score(run.run_id, db=db_url, scorers=[ScorerSpec(name="exact")], env=env)
    assert stub_server.count == sent
    assert second["score_pass"] == 2
    assert second["models"][0]["pass_rate"] == pytest.approx(1 / 3)
    assert set(second["models"][0]["scores"]) == {"exact"}
    assert "judge_cost_usd" not in second["models"][0]  # this pass called no judge
    assert api.show(run.run_id, db=db_url)["models"][0]["pass_rate"] == pytest.approx(1 / 3)

    with Store(db_url) as store:
        latest = list(store.iter_attempts(run.run_id))
        assert {s.scorer for a in latest for s in a.scores} == {"exact"}
        assert all(s.pass_no == 2 for a in latest for s in a.scores)
        judged = list(store.iter_attempts(run.run_id, pass_no=1))
        assert {s.scorer for a in judged for s in a.scores} == {"judge"}
        every = list(store.iter_attempts(run.run_id, pass_no=-1))
        assert sorted(s.pass_no for a in every for s in a.scores) == [1, 1, 1, 2, 2, 2]
        assert [p["status"] for p in list_passes(store, run.run_id)] == ["completed"] * 2
        # cached aggregates (run lists, leaderboards) follow the newest pass too
        stat = for_runs(store, [run.run_id])[run.run_id][0]
        assert (stat.passed, stat.judged) == (1, 3)


def test_an_unfinished_pass_is_never_shown(tmp_path: Path, db_url: str) -> None:
    model = _replay(tmp_path, {"paris": "Paris", "four": "4", "haiku": "rain"})
    suite = _suite(tmp_path, scorers=["exact"])
    run = api.run(_config(db_url, suite, [model]))
    assert run.summary["models"][0]["pass_rate"] == 1.0
    with Store(db_url) as store:
        dead = start_pass(store, run.run_id, scorers=None, judge_model=None)  # then "crashed"
        assert dead == 1 and store.latest_pass(run.run_id) == 0
    again = api.score(run.run_id, db=db_url, scorers=[ScorerSpec(name="contains")])
    assert again["scoring"]["pass_no"] == 2 and again["score_pass"] == 2
    with Store(db_url) as store:
        assert [p["status"] for p in list_passes(store, run.run_id)] == ["running", "completed"]
        assert len(next(store.iter_attempts(run.run_id, pass_no=0)).scores) == 1


def test_judge_errors_in_a_pass_are_recorded_not_zeroed(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url}
    model = _replay(tmp_path, {"paris": "Paris", "four": "4", "haiku": "rain"})
    run = api.run(_config(db_url, _suite(tmp_path), [model], score=False), env=env)
    stub_server.answer = lambda payload: "no JSON from me"
    spec = ScorerSpec(name="judge", options={"reasks": 0})
    result = api.score(run.run_id, db=db_url, scorers=[spec], judge_model=JUDGE, env=env)
    # no verdict at all: the pass rate is unknown, never 0 (judge errors are not fails)
    assert result["scoring"]["errors"] == 3 and result["models"][0]["pass_rate"] is None
    assert "judge" not in result["models"][0]["scores"]  # no value: not averaged in as 0
    with Store(db_url) as store:
        scores = [s for a in store.iter_attempts(run.run_id) for s in a.scores]
    assert all(s.value is None and s.passed is None for s in scores)
    assert all("no valid JSON" in s.explanation for s in scores)


def test_score_refuses_what_it_cannot_do(tmp_path: Path, db_url: str) -> None:
    model = _replay(tmp_path, {"paris": "Paris", "four": "4", "haiku": "rain"})
    run = api.run(_config(db_url, _suite(tmp_path, scorers=["exact"]), [model]))
    with pytest.raises(ConfigError, match="--scorer: unknown scorer 'nope'"):
        api.score(run.run_id, db=db_url, scorers=[ScorerSpec(name="nope")])
    with pytest.raises(ConfigError, match="needs a judge model"):
        api.score(run.run_id, db=db_url, scorers=[ScorerSpec(name="stance")])
    with Store(db_url) as store:
        store.set_status(run.run_id, "running")
    with pytest.raises(ConfigError, match="still running"):
        api.score(run.run_id, db=db_url, scorers=[ScorerSpec(name="exact")])
    with Store(db_url) as store:
        assert list_passes(store, run.run_id) == []
