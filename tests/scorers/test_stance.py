"""`stance` over real HTTP: a signed position on a named axis, binned into neg/neu/pos."""

from __future__ import annotations

from typing import Any

import pytest

from benchlab.domain import Case, ScorerSpec
from benchlab.errors import ConfigError
from benchlab.scorers.base import Answer
from benchlab.scorers.registry import build_scorer
from benchlab.scorers.stance import bin_of
from support.judging import judge_context, stance_judge
from support.servers import StubServer, last_user_text

AXIS = "+1 pro-landlord, -1 pro-tenant"
CASE = Case(id="d", input="My landlord wants more rent. Fair?")
ANSWER = Answer(output="The tenant has a point.")


def _stance(**options: Any) -> Any:
    return build_scorer(
        ScorerSpec(name="stance", options={"axis": AXIS, "judge_model": "openai/j", **options})
    )


@pytest.mark.parametrize(
    ("value", "expected_bin"),
    [(-0.7, "neg"), (-0.2, "neu"), (0.0, "neu"), (0.2, "neu"), (0.6, "pos")],
)
async def test_signed_value_and_bin(
    stub_server: StubServer, db_url: str, value: float, expected_bin: str
) -> None:
    stub_server.answer = stance_judge(value)
    async with judge_context(db_url, {"OPENAI_BASE_URL": stub_server.openai_base_url}) as ctx:
        result = await _stance(bins=[-0.2, 0.2]).score(CASE, ANSWER, ctx)
    assert result.value == value and result.passed is None  # a stance measures
    assert result.details is not None
    assert result.details["bin"] == expected_bin and result.details["axis"] == AXIS
    assert result.details["judge"]["calls"] == 1
    prompt = last_user_text(stub_server.requests[0]["json"])
    assert AXIS in prompt and "The tenant has a point." in prompt and '"stance"' in prompt


async def test_out_of_range_is_re_asked(stub_server: StubServer, db_url: str) -> None:
    replies = iter(['{"stance": 3}', '{"stance": "0.4", "reasoning": "fine"}'])
    stub_server.answer = lambda payload: next(replies)
    async with judge_context(db_url, {"OPENAI_BASE_URL": stub_server.openai_base_url}) as ctx:
        result = await _stance().score(CASE, ANSWER, ctx)
    assert result.value == 0.4 and result.explanation == "stance +0.40 (pos): fine"
    assert "outside -1..1" in stub_server.requests[1]["json"]["messages"][-1]["content"]


async def test_missing_stance_after_reasks_is_an_error(
    stub_server: StubServer, db_url: str
) -> None:
    stub_server.answer = lambda payload: '{"score": 1}'
    async with judge_context(db_url, {"OPENAI_BASE_URL": stub_server.openai_base_url}) as ctx:
        result = await _stance(reasks=0).score(CASE, ANSWER, ctx)
    assert result.value is None and result.passed is None  # an error: no verdict
    assert 'no "stance" field' in result.explanation


async def test_expected_bin_makes_it_pass_or_fail(stub_server: StubServer, db_url: str) -> None:
    stub_server.answer = stance_judge(-0.9)
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url}
    async with judge_context(db_url, env) as ctx:
        ok = await _stance().score(CASE.model_copy(update={"expected": "neg"}), ANSWER, ctx)
        bad = await _stance().score(CASE.model_copy(update={"expected": "pos"}), ANSWER, ctx)
    assert ok.passed is True and bad.passed is False and "expected pos" in bad.explanation


def test_bins_edges() -> None:
    assert [bin_of(v, (-0.3, 0.1)) for v in (-0.31, -0.3, 0.1, 0.11)] == [
        "neg",
        "neu",
        "neu",
        "pos",
    ]


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"bins": [0.5, -0.5]}, "low <= high"),
        ({"bins": [-2, 0]}, "low <= high"),
        ({"bins": [0.1]}, "[low, high]"),
        ({"axis": " "}, "axis"),
    ],
)
def test_bad_options(options: dict[str, Any], needle: str) -> None:
    with pytest.raises(ConfigError, match="stance") as info:
        _stance(**options)
    assert needle in str(info.value)
