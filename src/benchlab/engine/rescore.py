"""Scoring passes: score a run's stored answers again without asking the models again.

A new judge, a fixed scorer, a run made with `--no-score`: the answers are
already paid for, so `benchlab score` reads them back, scores them with the
scorers asked for (or each case's recorded ones) and keeps the verdicts as a
new pass beside the old ones. The cases come from the store (what the run
really asked), not from today's suite file. Judges go through a model gateway
(gateway.py: lanes, retries, response cache) like in a run, so a pass that
repeats an earlier judge's questions costs nothing.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from benchlab.domain import Case, ScorerSpec
from benchlab.engine.attempt import overall_passed, score_answer, score_rows
from benchlab.engine.config import RunConfig
from benchlab.engine.gateway import ModelGateway
from benchlab.engine.judges import judge_models
from benchlab.engine.workers import run_workers
from benchlab.errors import ConfigError
from benchlab.scorers.base import Answer, Scorer, close_scorers
from benchlab.scorers.reasoning import answer_text
from benchlab.scorers.registry import build_scorer
from benchlab.store import Store
from benchlab.store.passes import StoredAnswer, add_scores, finish_pass, iter_answers, start_pass
from benchlab.store.records import ScoreRecord

FLUSH_ROWS = 500


@dataclass
class PassOutcome:
    run_id: str
    pass_no: int
    status: str
    scored: int = 0
    errors: int = 0  # verdicts that are scorer errors (a judge that gave no valid JSON, say)
    skipped: list[str] = field(default_factory=list)


def stored_config(store: Store, run_id: str, overrides: Mapping[str, Any]) -> RunConfig:
    """The run's own config (models, limits, cache), with what a pass may change."""
    run = store.get_run(run_id)
    data = {**run.config, **{k: v for k, v in overrides.items() if v is not None}}
    return RunConfig.model_validate({**data, "db": None, "run_id": run.id})


class _Cases:
    """The run's cases as recorded, with their scorers built once per distinct spec list."""

    def __init__(self, store: Store, run_id: str, specs: list[ScorerSpec] | None) -> None:
        self._specs = specs
        self.cases: dict[tuple[str, str], Case] = {}
        self.scorers: dict[tuple[str, str], list[Scorer]] = {}
        self._built: dict[str, list[Scorer]] = {}
        for suite, suite_hash in store.run_suite_hashes(run_id).items():
            for row in store.iter_cases(suite_hash):
                self._add(suite, row)

    def _add(self, suite: str, row: dict[str, Any]) -> None:
        case = Case.model_validate(
            {
                "id": row["id"],
                "input": row["input"],
                "context": row["context"],
                "expected": row["expected"],
                "metadata": row["metadata"] or {},
            }
        )
        recorded = [ScorerSpec.model_validate(s) for s in row["scorers"] or []]
        specs = self._specs if self._specs is not None else recorded
        if not specs:
            raise ConfigError(
                f"suite {suite!r}: case {case.id!r} has no recorded scorer; pass --scorer NAME"
            )
        key = json.dumps([s.model_dump() for s in specs], sort_keys=True, default=str)
        built = self._built.get(key)
        if built is None:
            try:
                built = self._built[key] = [build_scorer(s) for s in specs]
            except ConfigError as exc:
                raise ConfigError(f"--scorer: {exc}") from exc
        self.cases[(suite, case.id)] = case
        self.scorers[(suite, case.id)] = built

    def all_scorers(self) -> list[Scorer]:
        return [s for group in self._built.values() for s in group]


async def score_pass(
    store: Store,
    run_id: str,
    *,
    scorers: list[ScorerSpec] | None = None,
    judge_model: str | None = None,
    concurrency: int | None = None,
    cache: bool = True,
    env: Mapping[str, str] | None = None,
    executor: str | None = None,
) -> PassOutcome:
    """Score every answered attempt of a run again, as a new pass (see the module doc)."""
    run = store.get_run(run_id)
    if run.status == "running":
        raise ConfigError(
            f"run {run.id} is still running (or died without a word: `benchlab resume "
            f"{run.id}` first); score it once it has finished"
        )
    run_id = run.id
    # Where code runs is not what is measured: a pass may run it elsewhere than the run did.
    overrides = {
        "judge_model": judge_model,
        "concurrency": concurrency,
        "score": True,
        "executor": executor,
    }
    if not cache:
        overrides["judge_cache"] = False
    config = stored_config(store, run_id, overrides)
    cases = _Cases(store, run_id, scorers)
    gateway = ModelGateway(config, store, env=env)
    gateway.check_judges(judge_models(cases.all_scorers(), config.judge_model, run_id))
    pass_no = start_pass(
        store,
        run_id,
        scorers=None if scorers is None else [s.model_dump() for s in scorers],
        judge_model=config.judge_model,
    )
    outcome = PassOutcome(run_id, pass_no, "failed")
    verdicts: dict[int, bool | None] = {}
    rows: list[ScoreRecord] = []
    answers = iter_answers(store, run_id)
    try:
        async with gateway.session() as ctx:

            async def worker(queue: Iterator[StoredAnswer]) -> None:
                for stored in queue:  # a shared generator: workers never get the same item
                    key = (stored.suite, stored.case_id)
                    case = cases.cases.get(key)
                    if case is None:
                        outcome.skipped.append(f"{stored.suite}/{stored.case_id}")
                        continue
                    answer = Answer(
                        output=answer_text(stored.output),
                        model=stored.model,
                        sample=stored.sample,
                        tool_calls=stored.tool_calls,
                        finish_reason=stored.finish_reason,
                    )
                    results = await score_answer(case, answer, cases.scorers[key], ctx)
                    verdicts[stored.id] = overall_passed(results)
                    outcome.scored += 1
                    outcome.errors += sum(
                        1 for _, r in results if r.details and "error" in r.details
                    )
                    rows.extend(score_rows(stored.id, run_id, results, pass_no))
                    if len(rows) >= FLUSH_ROWS:
                        add_scores(store, rows)
                        rows.clear()

            await run_workers([worker(answers) for _ in range(config.concurrency)])
        add_scores(store, rows)
        outcome.status = "completed"
    except (asyncio.CancelledError, KeyboardInterrupt):
        outcome.status = "interrupted"
        raise
    finally:
        await close_scorers(cases.all_scorers())
        finish_pass(
            store,
            run_id,
            pass_no,
            outcome.status,
            passed=verdicts,
            scored=outcome.scored,
            errors=outcome.errors,
        )
    return outcome
