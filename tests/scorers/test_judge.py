"""The rubric judge over real HTTP: the stub server plays the judge, reached through the engine."""

from __future__ import annotations

import json
from typing import Any

import pytest

from benchlab.domain import Case, ScorerSpec
from benchlab.errors import ConfigError
from benchlab.scorers.base import Answer
from benchlab.scorers.judge import JudgeScorer
from benchlab.scorers.judging import template_hash
from benchlab.scorers.registry import build_scorer
from support.judging import garbage_judge, judge_context, rubric_judge
from support.servers import Garbage, Status, StubServer, last_user_text


def _judge(**options: Any) -> JudgeScorer:
    scorer = build_scorer(ScorerSpec(name="judge", options=options))
    assert isinstance(scorer, JudgeScorer)
    return scorer


CASE = Case(id="q1", input="What is the capital of Australia?", expected="Canberra")
ANSWER = Answer(output="Canberra is the capital.", model="m")


def _env(server: StubServer) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.openai_base_url}


async def test_one_criterion_scored_normalised_and_explained(
    stub_server: StubServer, db_url: str
) -> None:
    stub_server.answer = rubric_judge({"accuracy": 8})
    scorer = _judge(judge_model="openai/judge", threshold=0.7)
    async with judge_context(db_url, _env(stub_server)) as ctx:
        result = await scorer.score(CASE, ANSWER, ctx)
    assert result.value == pytest.approx(7 / 9)  # 8 on 1..10
    assert result.passed is True
    assert "accuracy 8" in result.explanation and "because" in result.explanation
    assert result.details is not None
    verdict = result.details["criteria"]["accuracy"]
    assert verdict == {
        "score": 8.0,
        "normalized": pytest.approx(7 / 9),
        "scale": [1.0, 10.0],
        "reasoning": "because",
    }
    judge = result.details["judge"]
    assert judge["model"] == "openai/judge" and judge["calls"] == 1 and judge["reasks"] == 0
    assert judge["template_sha256"] == scorer.template_sha256
    # the request: JSON mode, temperature 0, the reference shown, the answer shown
    request = stub_server.requests[0]["json"]
    assert request["response_format"] == {"type": "json_object"}
    assert request["temperature"] == 0
    prompt = last_user_text(request)
    assert "[Reference answer" in prompt and "Canberra" in prompt
    assert "Canberra is the capital." in prompt and "What is the capital" in prompt
    assert judge["input_tokens"] > 0 and judge["output_tokens"] > 0


async def test_no_reference_section_when_the_case_has_none(
    stub_server: StubServer, db_url: str
) -> None:
    stub_server.answer = rubric_judge({"helpfulness": 3})
    scorer = _judge(judge_model="openai/judge", criteria=["helpfulness"])
    case = Case(id="open", input="Write a haiku about rain.")
    async with judge_context(db_url, _env(stub_server)) as ctx:
        result = await scorer.score(case, ANSWER, ctx)
    assert "[Reference answer" not in last_user_text(stub_server.requests[0]["json"])
    assert result.value == pytest.approx(2 / 9) and result.passed is False


async def test_several_criteria_in_one_call_weighted(stub_server: StubServer, db_url: str) -> None:
    stub_server.answer = rubric_judge({"accuracy": 10, "conciseness": 1, "tone": 3})
    scorer = _judge(
        judge_model="openai/judge",
        criteria=[
            "accuracy",
            {"name": "conciseness", "weight": 3},
            {"name": "tone", "description": "Is it polite?", "scale": [1, 5]},
        ],
    )
    async with judge_context(db_url, _env(stub_server)) as ctx:
        result = await scorer.score(CASE, ANSWER, ctx)
    assert stub_server.count == 1
    prompt = last_user_text(stub_server.requests[0]["json"])
    assert '"criteria"' in prompt and "- tone (score 1 to 5" in prompt and "Is it polite?" in prompt
    assert result.details is not None
    crit = result.details["criteria"]
    assert crit["tone"]["normalized"] == pytest.approx(0.5)
    assert crit["conciseness"]["reasoning"] == "because conciseness"
    assert result.value == pytest.approx((1.0 + 3 * 0.0 + 0.5) / 5)


async def test_separate_asks_one_call_per_criterion(stub_server: StubServer, db_url: str) -> None:
    stub_server.answer = rubric_judge({"accuracy": 10, "relevance": 10})
    scorer = _judge(judge_model="openai/judge", criteria=["accuracy", "relevance"], separate=True)
    async with judge_context(db_url, _env(stub_server)) as ctx:
        result = await scorer.score(CASE, ANSWER, ctx)
    assert stub_server.count == 2 and result.value == 1.0
    assert result.details is not None and result.details["judge"]["calls"] == 2


async def test_invalid_json_is_re_asked_then_accepted(stub_server: StubServer, db_url: str) -> None:
    replies = iter(["no idea, honestly", '{"score": 42}', '{"score": 9, "reasoning": "ok"}'])
    stub_server.answer = lambda payload: next(replies)
    scorer = _judge(judge_model="openai/judge")
    async with judge_context(db_url, _env(stub_server)) as ctx:
        result = await scorer.score(CASE, ANSWER, ctx)
    assert result.value == pytest.approx(8 / 9)
    assert result.details is not None and result.details["judge"]["reasks"] == 2
    # the re-ask shows the judge its own reply and what was wrong with it
    last = stub_server.requests[2]["json"]["messages"]
    assert last[-2] == {"role": "assistant", "content": '{"score": 42}'}
    assert "outside 1..10" in last[-1]["content"]


async def test_reply_never_valid_is_an_error_never_a_zero(
    stub_server: StubServer, db_url: str
) -> None:
    stub_server.answer = garbage_judge
    scorer = _judge(judge_model="openai/judge", reasks=1)
    async with judge_context(db_url, _env(stub_server)) as ctx:
        result = await scorer.score(CASE, ANSWER, ctx)
    assert result.value is None and result.passed is None  # an error: no verdict
    assert result.details is not None and result.details["error_kind"] == "scorer"
    assert "no valid JSON in 2 tries" in result.explanation
    assert "maybe a seven" in result.explanation
    assert result.details is not None and result.details["error"] == "judge_invalid_json"
    assert result.details["judge"]["calls"] == 2 == stub_server.count


async def test_429s_and_broken_bodies_are_retried_by_the_engine(
    stub_server: StubServer, db_url: str
) -> None:
    stub_server.answer = rubric_judge({"accuracy": 10})
    stub_server.script(Status(429, retry_after=0.01), Garbage(), Status(503))
    scorer = _judge(judge_model="openai/judge")
    async with judge_context(db_url, _env(stub_server), retries=4) as ctx:
        result = await scorer.score(CASE, ANSWER, ctx)
    assert result.value == 1.0 and stub_server.count == 4


async def test_judge_that_stays_rate_limited_is_an_error_verdict(
    stub_server: StubServer, db_url: str
) -> None:
    stub_server.script(*[Status(429, retry_after=0.01)] * 3)
    scorer = _judge(judge_model="openai/judge")
    async with judge_context(db_url, _env(stub_server), retries=2) as ctx:
        result = await scorer.score(CASE, ANSWER, ctx)
    assert result.value is None and result.passed is None
    assert result.explanation.startswith("judge error: judge call failed: HTTP 429")
    assert result.details is not None and result.details["error"] == "RateLimited"
    assert result.details["error_kind"] == "rate_limit"


async def test_a_verdict_is_cached_by_judge_and_prompt(
    stub_server: StubServer, db_url: str
) -> None:
    stub_server.answer = rubric_judge({"accuracy": 6})
    scorer = _judge(judge_model="openai/judge")
    async with judge_context(db_url, _env(stub_server)) as ctx:
        first = await scorer.score(CASE, ANSWER, ctx)
    async with judge_context(db_url, _env(stub_server)) as ctx:
        again = await scorer.score(CASE, ANSWER, ctx)
        other = await scorer.score(CASE, Answer(output="Sydney"), ctx)
    assert first.value == again.value and other.value == first.value
    assert stub_server.count == 2  # the repeat was free; a different answer was asked


async def test_run_judge_model_beats_the_suites(stub_server: StubServer, db_url: str) -> None:
    stub_server.answer = rubric_judge({"accuracy": 10})
    scorer = _judge(judge_model="openai/suite-judge")
    async with judge_context(db_url, _env(stub_server), judge_model="openai/run-judge") as ctx:
        result = await scorer.score(CASE, ANSWER, ctx)
    assert stub_server.requests[0]["json"]["model"] == "run-judge"
    assert result.details is not None and result.details["judge"]["model"] == "openai/run-judge"


async def test_custom_template_is_rendered_and_hashed(stub_server: StubServer, db_url: str) -> None:
    stub_server.answer = rubric_judge({"accuracy": 5})
    template = (
        "Q: {{ question }}\nA: {{ answer }}\n"
        "{% for c in criteria %}- {{ c.name }} (\n{% endfor %}{{ reply_format }}"
    )
    scorer = _judge(judge_model="openai/judge", template=template, system=None)
    async with judge_context(db_url, _env(stub_server)) as ctx:
        result = await scorer.score(CASE, ANSWER, ctx)
    messages = stub_server.requests[0]["json"]["messages"]
    assert len(messages) == 1 and messages[0]["content"].startswith("Q: What is the capital")
    assert result.details is not None
    assert result.details["judge"]["template_sha256"] == template_hash(None, template)
    assert template_hash(None, template) != _judge(judge_model="x").template_sha256


async def test_template_error_is_an_error_verdict(stub_server: StubServer, db_url: str) -> None:
    scorer = _judge(judge_model="openai/judge", template="{{ nope }}")
    async with judge_context(db_url, _env(stub_server)) as ctx:
        result = await scorer.score(CASE, ANSWER, ctx)
    assert result.passed is None and "template error" in result.explanation
    assert stub_server.count == 0


async def test_no_judge_model_anywhere_is_an_error_verdict(db_url: str) -> None:
    async with judge_context(db_url, {}) as ctx:
        result = await _judge().score(CASE, ANSWER, ctx)
    assert result.passed is None and "--judge-model" in result.explanation


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"criteria": ["vibes"]}, "needs a description"),
        ({"criteria": []}, "non-empty"),
        ({"criteria": ["accuracy", "accuracy"]}, "given twice"),
        ({"criteria": [{"name": "x", "description": "d", "scale": [5, 1]}]}, "low to high"),
        ({"threshold": 2}, "threshold"),
        ({"reasks": -1}, "reasks"),
        ({"template": "{% if %}"}, "template syntax error"),
        ({"bogus": 1}, "bad options"),
    ],
)
def test_bad_options_name_the_scorer(options: dict[str, Any], needle: str) -> None:
    with pytest.raises(ConfigError, match="judge") as info:
        _judge(**options)
    assert needle in str(info.value)


def test_builtin_criteria_all_have_descriptions() -> None:
    scorer = _judge(
        criteria=[
            "accuracy",
            "relevance",
            "coherence",
            "completeness",
            "conciseness",
            "helpfulness",
            "safety",
        ]
    )
    assert all(c.description for c in scorer.criteria)
    assert json.dumps([c.view() for c in scorer.criteria])


@pytest.mark.parametrize("family", ["anthropic", "ollama"])
async def test_other_families_judge_too(stub_server: StubServer, db_url: str, family: str) -> None:
    stub_server.answer = rubric_judge({"accuracy": 10})
    env = {
        "ANTHROPIC_BASE_URL": stub_server.url,
        "ANTHROPIC_API_KEY": "k",
        "OLLAMA_HOST": stub_server.url,
    }
    scorer = _judge(judge_model=f"{family}/judge")
    async with judge_context(db_url, env) as ctx:
        result = await scorer.score(CASE, ANSWER, ctx)
    assert result.value == 1.0
    request = stub_server.requests[0]["json"]
    if family == "anthropic":  # no JSON mode in the Messages API: the prompt asks for JSON
        assert "response_format" not in request and "strict, impartial" in request["system"]
    else:
        assert request["format"] == "json"
