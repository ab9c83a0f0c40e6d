"""Pairwise judging: which of two models answered a case better, asked in both orders.

Judges prefer whichever answer they read first (or second) more often than
the answers deserve, so every comparison is asked twice with the answers
swapped. A verdict counts only when both orders agree; otherwise it is a tie
and is counted as order-inconsistent, which makes the judge's position bias
visible instead of letting it leak into the win rates. Calls go through a
model gateway (gateway.py: lanes, retries, response cache), so re-running a
comparison is free.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from benchlab.domain import Case
from benchlab.engine.gateway import ModelGateway
from benchlab.engine.rescore import stored_config
from benchlab.engine.workers import run_workers
from benchlab.errors import ConfigError
from benchlab.scorers import judge_prompts as prompts
from benchlab.scorers.base import ScoreContext
from benchlab.scorers.judging import (
    JudgeOptions,
    JudgeUsage,
    ask_json,
    compile_template,
    judge_errors,
    question_text,
    reasoning_of,
    reference_text,
    template_hash,
)
from benchlab.store import Store
from benchlab.store.passes import iter_answers

Key = tuple[str, str, int]  # (suite, case_id, sample)


@dataclass
class Verdict:
    """One case judged for one pair of models, in both orders."""

    suite: str
    case_id: str
    sample: int
    a: str
    b: str
    first: str | None = None  # a shown as "A": winner "a", "b" or "tie"
    second: str | None = None  # b shown as "A", mapped back to "a" / "b" / "tie"
    reasoning: tuple[str, str] = ("", "")
    error: str | None = None

    @property
    def outcome(self) -> str | None:
        """ "a", "b" or "tie" (disagreeing orders are a tie); None when the judge failed."""
        if self.error is not None or self.first is None or self.second is None:
            return None
        return self.first if self.first == self.second else "tie"

    @property
    def inconsistent(self) -> bool:
        return self.outcome is not None and self.first != self.second


def _winner(data: dict[str, Any]) -> tuple[str, str]:
    raw = data.get("winner")
    value = raw.strip().lower() if isinstance(raw, str) else ""
    value = {"a": "A", "b": "B", "tie": "tie", "draw": "tie", "none": "tie"}.get(value, "")
    if not value:
        raise ValueError(f'"winner" must be "A", "B" or "tie", got {raw!r}')
    return value, reasoning_of(data)


class PairwiseJudge:
    def __init__(self, judge_model: str, options: JudgeOptions, template: str | None) -> None:
        self.model = judge_model
        self.options = options
        source = template or prompts.PAIRWISE_TEMPLATE
        self._template = compile_template(source, "pairwise")
        self.usage = JudgeUsage(judge_model, template_hash(prompts.JUDGE_SYSTEM, source))

    async def ask(self, ctx: ScoreContext, case: Case, first: str, second: str) -> tuple[str, str]:
        """The winner ("A", "B" or "tie") with `first` shown as A, and the judge's reasoning."""
        text = self._template.render(
            question=question_text(case),
            reference=reference_text(case),
            context=case.context,
            metadata=case.metadata,
            answer_a=first,
            answer_b=second,
            reply_format=prompts.PAIRWISE_REPLY,
        )
        messages = [
            {"role": "system", "content": prompts.JUDGE_SYSTEM},
            {"role": "user", "content": text},
        ]
        return await ask_json(ctx, self.model, messages, _winner, self.options, self.usage)

    async def judge(self, ctx: ScoreContext, case: Case, verdict: Verdict, a: str, b: str) -> None:
        try:
            (w1, r1), (w2, r2) = await asyncio.gather(
                self.ask(ctx, case, a, b), self.ask(ctx, case, b, a)
            )
        except judge_errors() as exc:
            verdict.error = f"{type(exc).__name__}: {exc}"
            return
        verdict.first = {"A": "a", "B": "b"}.get(w1, "tie")
        verdict.second = {"A": "b", "B": "a"}.get(w2, "tie")
        verdict.reasoning = (r1, r2)


def _cases(store: Store, run_id: str) -> dict[tuple[str, str], Case]:
    out: dict[tuple[str, str], Case] = {}
    for suite, suite_hash in store.run_suite_hashes(run_id).items():
        for row in store.iter_cases(suite_hash):
            out[(suite, row["id"])] = Case.model_validate(
                {
                    "id": row["id"],
                    "input": row["input"],
                    "context": row["context"],
                    "expected": row["expected"],
                    "metadata": row["metadata"] or {},
                }
            )
    return out


def chosen_models(run_models: list[str], wanted: list[str] | None, run_id: str) -> list[str]:
    models = list(run_models) if not wanted else list(dict.fromkeys(wanted))
    unknown = [m for m in models if m not in run_models]
    if unknown:
        raise ConfigError(
            f"--models: {unknown[0]!r} is not a model of run {run_id} "
            f"(its models: {', '.join(run_models)})"
        )
    if len(models) < 2:
        raise ConfigError(f"--models: pairwise needs at least two models, got {len(models)}")
    return models


async def judge_pairs(
    store: Store,
    run_id: str,
    judge_model: str,
    *,
    models: list[str] | None = None,
    options: JudgeOptions | None = None,
    template: str | None = None,
    concurrency: int | None = None,
    cache: bool = True,
    env: Mapping[str, str] | None = None,
) -> tuple[list[str], list[Verdict], PairwiseJudge]:
    """Every pair of models on every case (and sample) both answered, judged both ways."""
    run = store.get_run(run_id)
    chosen = chosen_models(run.models, models, run.id)
    overrides: dict[str, Any] = {"judge_model": judge_model, "concurrency": concurrency}
    if not cache:
        overrides["judge_cache"] = False
    config = stored_config(store, run.id, overrides)
    gateway = ModelGateway(config, store, env=env)
    gateway.check_judges({judge_model})
    judge = PairwiseJudge(judge_model, options or JudgeOptions(judge_model), template)
    cases = _cases(store, run.id)
    answers: dict[Key, dict[str, str]] = {}
    for stored in iter_answers(store, run.id):
        if stored.model in chosen:
            key = (stored.suite, stored.case_id, stored.sample)
            answers.setdefault(key, {})[stored.model] = stored.output
    verdicts: list[Verdict] = []
    jobs: list[tuple[Case, Verdict, str, str]] = []
    for a, b in itertools.combinations(chosen, 2):
        for key in sorted(answers):
            got = answers[key]
            case = cases.get(key[:2])
            if case is None or a not in got or b not in got:
                continue
            verdict = Verdict(key[0], key[1], key[2], a, b)
            verdicts.append(verdict)
            jobs.append((case, verdict, got[a], got[b]))
    async with gateway.session() as ctx:

        async def worker(queue: Iterator[tuple[Case, Verdict, str, str]]) -> None:
            for case, verdict, answer_a, answer_b in queue:
                await judge.judge(ctx, case, verdict, answer_a, answer_b)

        shared = iter(jobs)
        await run_workers([worker(shared) for _ in range(max(1, config.concurrency // 2))])
    return chosen, verdicts, judge
