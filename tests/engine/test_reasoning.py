"""A reasoning model's thinking is stored with the attempt and never scored (issue 13).

Real HTTP to the stub server in each family's wire format: thinking in the
provider's own field (OpenAI-compatible `reasoning_content`, Anthropic
`thinking` blocks, Ollama `thinking`) and inline `<think>` blocks in the
answer text. The thinking names the wrong letter on purpose: a scorer that
read it would fail the case.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from benchlab import api
from benchlab.domain import Case, ModelProfile, ScorerSpec, SuiteHeader
from benchlab.engine.config import RunConfig
from benchlab.suites import LoadedSuite
from support.servers import StubServer

THINKING = "Option A looks right. Answer: A. Hmm, no."


def _suite() -> LoadedSuite:
    header = SuiteHeader(name="mc", scorers=[ScorerSpec(name="choice")])
    cases = [Case(id=f"q{i}", input=f"Question {i}? A. x B. y", expected="B") for i in range(3)]
    return LoadedSuite.from_cases(header, cases)


def _env(server: StubServer) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": server.url + "/v1",
        "OPENAI_API_KEY": "sk-test",
        "ANTHROPIC_BASE_URL": server.url,
        "ANTHROPIC_API_KEY": "ak",
        "OLLAMA_HOST": server.url,
    }


@pytest.mark.parametrize("spec", ["openai/gpt-test", "anthropic/claude-haiku-4-5", "ollama/qwen3"])
def test_the_provider_reasoning_field_is_kept_and_not_scored(tmp_path: Path, spec: str) -> None:
    with StubServer(answer=lambda p: "B", reasoning=lambda p: THINKING) as server:
        config = RunConfig(
            suites=[_suite()],
            models=[ModelProfile(name="m", spec=spec)],
            db=f"sqlite:///{tmp_path}/r.db",
        )
        result = asyncio.run(api.arun(config, env=_env(server)))
    attempts = list(result.attempts())
    assert [a.status for a in attempts] == ["ok"] * 3
    assert all(a.reasoning == THINKING and a.output == "B" for a in attempts)
    assert all(a.passed for a in attempts)


def test_inline_think_blocks_are_stored_but_never_scored(tmp_path: Path) -> None:
    replies = {
        "q0": f"<think>{THINKING}</think>\n\nB",
        "q1": f"{THINKING}</think> The answer is B",  # the template opened <think> itself
        "q2": "<think>A? A. Surely A",  # ran out of tokens while thinking: no answer
    }

    def answer(payload: dict[str, Any]) -> str:
        text = payload["messages"][-1]["content"]
        return replies[f"q{text.split()[1].rstrip('?')}"]

    with StubServer(answer=answer) as server:
        config = RunConfig(
            suites=[_suite()],
            models=[ModelProfile(name="m", spec="openai/r1")],
            db=f"sqlite:///{tmp_path}/r.db",
        )
        result = asyncio.run(api.arun(config, env=_env(server)))
    by_case = {a.case_id: a for a in result.attempts()}
    assert {k: a.output for k, a in by_case.items()} == replies  # stored as given
    assert by_case["q0"].passed and by_case["q1"].passed
    assert by_case["q2"].passed is False  # the letters it weighed are not its answer
    assert by_case["q2"].status == "ok"  # a model's unfinished answer is not an error


def test_the_attempt_view_shows_the_reasoning_apart(tmp_path: Path) -> None:
    from benchlab.analysis.attempt_views import attempt_detail
    from benchlab.store import Store

    db = f"sqlite:///{tmp_path}/r.db"
    with StubServer(answer=lambda p: "B", reasoning=lambda p: THINKING) as server:
        config = RunConfig(
            suites=[_suite()], models=[ModelProfile(name="m", spec="openai/o")], db=db
        )
        result = asyncio.run(api.arun(config, env=_env(server)))
    first = next(iter(result.attempts()))
    with Store(db) as store:
        detail = attempt_detail(store, first.id)
    assert (detail.output, detail.reasoning) == ("B", THINKING)
