"""`run --dry-run` estimates the judges' calls, tokens and cost apart from the models'.

The suite has a rubric judge (two criteria in one call) and a stance judge, so
every attempt costs two judge calls; the judge is priced from the built-in
table (openai/gpt-4.1-mini: $0.40 / $1.60 per 1M tokens) unless told otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchlab import api
from benchlab.domain import ModelProfile
from benchlab.engine.config import RunConfig
from benchlab.engine.dry_run import JUDGE_REPLY_TOKENS
from benchlab.errors import ConfigError
from benchlab.store import Store
from support.runs import assert_user_error, cli
from support.servers import StubServer

JUDGE = "openai/gpt-4.1-mini"
IN_PRICE, OUT_PRICE = 0.40, 1.60


def _suite(tmp_path: Path, *, judge: dict[str, Any] | None = None, **stance: Any) -> Path:
    body = {
        "name": "judged",
        "scorers": [
            {"name": "contains"},
            {"name": "judge", "criteria": ["accuracy", "relevance"], "judge_model": JUDGE}
            | (judge or {}),
            {"name": "stance", "judge_model": JUDGE} | stance,
        ],
        "cases": [
            {"id": f"c{i}", "input": f"Is {i} even? Say why.", "expected": "yes" if i % 2 else "no"}
            for i in range(3)
        ],
    }
    path = tmp_path / "judged.yaml"
    path.write_text(yaml.safe_dump(body))
    return path


def _plan(suite: Path, db_url: str, **kw: Any) -> dict[str, Any]:
    models = [ModelProfile(name="echo", spec="echo"), ModelProfile(name="oracle", spec="oracle")]
    config = RunConfig(suites=[str(suite)], models=models, db=db_url, dry_run=True, **kw)
    return api.plan(config).as_dict()


def test_judge_calls_tokens_and_cost_per_judge_scorer(tmp_path: Path, db_url: str) -> None:
    report = _plan(_suite(tmp_path), db_url, samples=2)
    attempts = 3 * 2 * 2  # cases x models x samples
    assert report["requests"] == attempts
    judges = {j["scorer"]: j for j in report["judges"]}
    assert list(judges) == ["judge", "stance"]
    assert all(j["model"] == JUDGE and j["requests"] == attempts for j in judges.values())
    assert report["judge_requests"] == 2 * attempts
    # The rubric asks both criteria in one reply: two verdicts' allowance per call.
    assert judges["judge"]["output_tokens"] == attempts * 2 * JUDGE_REPLY_TOKENS
    assert judges["stance"]["output_tokens"] == attempts * JUDGE_REPLY_TOKENS
    for j in judges.values():
        # The judge reads the question, the answer and its instructions: more than the model.
        assert j["input_tokens"] > sum(m["input_tokens"] for m in report["models"])
        expected = (j["input_tokens"] * IN_PRICE + j["output_tokens"] * OUT_PRICE) / 1e6
        assert j["cost_usd"] == pytest.approx(expected)
    assert report["cost_usd"] == 0.0  # offline models are free; the key means models only
    judge_cost = sum(j["cost_usd"] for j in judges.values())
    assert report["judge_cost_usd"] == pytest.approx(judge_cost)
    assert report["total_cost_usd"] == pytest.approx(judge_cost)
    with Store(db_url) as store:
        assert store.list_runs() == []


def test_judge_input_is_the_rendered_prompt_with_an_answer_of_estimated_length(
    tmp_path: Path, db_url: str
) -> None:
    # A template that shows the judge only the answer: its input is the answer's estimate.
    bare = {"template": "{{ answer }}", "system": None, "criteria": ["accuracy"]}
    report = _plan(_suite(tmp_path, judge=bare), db_url)
    (judge,) = [j for j in report["judges"] if j["scorer"] == "judge"]
    assert judge["input_tokens"] == sum(m["output_tokens"] for m in report["models"])
    assert judge["output_tokens"] == judge["requests"] * JUDGE_REPLY_TOKENS


def test_separate_criteria_and_max_tokens(tmp_path: Path, db_url: str) -> None:
    separate = {"separate": True, "max_tokens": 25}
    report = _plan(_suite(tmp_path, judge=separate), db_url)
    (judge,) = [j for j in report["judges"] if j["scorer"] == "judge"]
    assert judge["requests"] == 3 * 2 * 2  # one call per criterion
    assert judge["output_tokens"] == judge["requests"] * 25  # the scorer's cap wins


def test_run_judge_model_overrides_and_unknown_price_is_null(tmp_path: Path, db_url: str) -> None:
    report = _plan(_suite(tmp_path), db_url, judge_model="openai/in-house-judge")
    assert {j["model"] for j in report["judges"]} == {"openai/in-house-judge"}
    assert all(j["cost_usd"] is None for j in report["judges"])
    assert report["judge_cost_usd"] is None and report["total_cost_usd"] is None
    assert report["cost_usd"] == 0.0  # the models' own estimate is still known


def test_no_score_estimates_no_judge(tmp_path: Path, db_url: str) -> None:
    report = _plan(_suite(tmp_path), db_url, score=False)
    assert report["judges"] == [] and report["judge_requests"] == 0
    assert report["judge_cost_usd"] == 0.0 and report["total_cost_usd"] == report["cost_usd"]


def test_a_judge_without_a_model_is_a_config_error(tmp_path: Path, db_url: str) -> None:
    path = tmp_path / "nojudge.yaml"
    path.write_text(
        yaml.safe_dump(
            {"name": "nojudge", "scorers": ["stance"], "cases": [{"id": "a", "input": "?"}]}
        )
    )
    with pytest.raises(ConfigError, match="needs a judge model"):
        _plan(path, db_url)


def test_cli_dry_run_sends_nothing(tmp_path: Path, stub_server: StubServer) -> None:
    suite = str(_suite(tmp_path))
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url, "OPENAI_API_KEY": "sk-test"}
    db = ["--db", str(tmp_path / "d.db")]
    common = [suite, "-m", "openai/gpt-4.1", "--dry-run", *db]
    result = cli("run", *common, "--json", "--max-cost", "1", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [j["requests"] for j in data["judges"]] == [3, 3]
    assert data["total_cost_usd"] == pytest.approx(data["cost_usd"] + data["judge_cost_usd"])
    assert data["over_budget"] is False

    unknown = cli("run", *common, "--judge-model", "openai/judge", env={**env, "COLUMNS": "200"})
    assert unknown.returncode == 0, unknown.stderr
    assert "3 requests + 6 judge calls" in unknown.stdout
    assert "Estimate per judge" in unknown.stdout and "openai/judge" in unknown.stdout
    assert "judges unknown" in unknown.stdout
    assert stub_server.count == 0  # an estimate never calls a model or a judge

    assert_user_error(
        cli("run", "rent-sycophancy", "-m", "echo", "--dry-run", *db), "needs a judge model"
    )
