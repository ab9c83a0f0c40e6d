"""Judges played by the stub server, and the engine's scorer context over it.

Each judge is an `answer` callable for `StubServer`: it reads the prompt the
real judge would read and replies the way a real judge might (valid JSON,
JSON in prose, garbage, a position-biased pairwise verdict).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from benchlab.engine.config import RunConfig
from benchlab.engine.gateway import ModelGateway
from benchlab.providers.profiles import resolve_models
from benchlab.scorers.base import ScoreContext
from benchlab.store import Store
from support.servers import last_user_text

Judge = Callable[[dict[str, Any]], str]


def section(prompt: str, name: str, end: str) -> str:
    """The text of a judge prompt between `[name]` and `end` ("" when there is none)."""
    head = f"[{name}]\n"
    if head not in prompt:
        return ""
    return prompt.split(head, 1)[1].split(end, 1)[0].strip()


def rubric_judge(scores: dict[str, float], reasoning: str = "because") -> Judge:
    """Replies `{"criteria": {...}}` with these scores (or `{"score"}` for one criterion)."""

    def answer(payload: dict[str, Any]) -> str:
        prompt = last_user_text(payload)
        asked = [name for name in scores if f"- {name} (" in prompt]
        if len(asked) == 1:
            return json.dumps({"score": scores[asked[0]], "reasoning": reasoning})
        body = {n: {"score": scores[n], "reasoning": f"{reasoning} {n}"} for n in asked}
        return "Here is my grading:\n```json\n" + json.dumps({"criteria": body}) + "\n```"

    return answer


def stance_judge(value: float | Callable[[str], float]) -> Judge:
    def answer(payload: dict[str, Any]) -> str:
        prompt = last_user_text(payload)
        stance = value(prompt) if callable(value) else value
        return json.dumps({"stance": stance, "reasoning": "leans"})

    return answer


def first_position_judge(payload: dict[str, Any]) -> str:
    """Always prefers whatever it reads first: the position bias pairwise must expose."""
    return '{"winner": "A", "reasoning": "the first one reads better"}'


def longer_answer_judge(payload: dict[str, Any]) -> str:
    """Prefers the longer answer wherever it stands (consistent in both orders)."""
    prompt = last_user_text(payload)
    a = section(prompt, "Answer A", "\n\n[Answer B]")
    b = section(prompt, "Answer B", "\n\nReply with only")
    winner = "tie" if len(a) == len(b) else ("A" if len(a) > len(b) else "B")
    return json.dumps({"winner": winner, "reasoning": f"{len(a)} vs {len(b)} characters"})


def garbage_judge(payload: dict[str, Any]) -> str:
    return "I think the answer is quite good, maybe a seven."


@asynccontextmanager
async def judge_context(
    db_url: str, env: dict[str, str], *, judge_model: str | None = None, retries: int = 3
) -> AsyncIterator[ScoreContext]:
    """The gateway's scorer context (lanes, retries, cache) with no run around it."""
    config = RunConfig(
        suites=["quickstart"],
        models=resolve_models(["oracle"]),
        db=db_url,
        judge_model=judge_model,
        retries=retries,
        retry_base_delay=0.01,
        retry_max_delay=0.05,
    )
    with Store(db_url) as store:
        async with ModelGateway(config, store, env=env).session() as ctx:
            yield ctx
