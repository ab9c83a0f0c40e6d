"""The run engine: plan, record the run, drive every model's lane, persist, report progress.

Each model profile gets its own lane of workers (as many as its concurrency
bound), pulling work items from its own lazy stream, so a slow or throttled
model never blocks a fast one. Requests go through the run's `ModelGateway`
(gateway.py), which owns the lanes, limits, retries, answer cache and budget;
an attempt is three steps here: ask (through the gateway), score, record.
Finished attempts go to the store's `BatchWriter` without waiting; it writes
them in one transaction per flush interval on this same event loop
(store/writer.py says why not a thread), so a slow disk slows the run down
instead of piling up rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections.abc import Coroutine, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from benchlab import __version__
from benchlab.domain import Case, ModelProfile
from benchlab.engine._json import dumps_text
from benchlab.engine.attempt import (
    CallOutcome,
    ModelLane,
    error_text,
    new_attempt_id,
    overall_passed,
    score_answer,
    score_rows,
    scoring_error,
)
from benchlab.engine.budget import STOPPED
from benchlab.engine.collector import fewer_collections
from benchlab.engine.config import RunConfig
from benchlab.engine.events import AttemptFinished, EventBus, RunFinished, RunStarted, RunTotals
from benchlab.engine.gateway import GatewayContext, ModelGateway
from benchlab.engine.judges import judge_models
from benchlab.engine.loglikelihood import (
    as_completion,
    check_providers,
    loglikelihood_request,
    prompts_for_budget,
)
from benchlab.engine.plan import (
    SuitePlan,
    WorkItem,
    estimate,
    plan_suites,
    validate_cases,
    work_items,
)
from benchlab.engine.workers import run_workers
from benchlab.errors import ConfigError
from benchlab.providers.base import Completion, GenerateRequest
from benchlab.scorers.base import Answer, ScoreResult, close_scorers
from benchlab.scorers.reasoning import answer_text
from benchlab.store import Store
from benchlab.store.outcomes import run_spend
from benchlab.store.owner import HEARTBEAT_SECONDS
from benchlab.store.records import AttemptRecord, CaseRecord


@dataclass
class RunOutcome:
    run_id: str
    status: str
    totals: RunTotals
    error: str | None = None  # why the run failed (a model refused every request, say)
    spent_usd: float = 0.0  # what the run has really spent (resumed runs: in all)
    warnings: list[str] = field(default_factory=list)  # found while planning


def new_run_id() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{random.SystemRandom().getrandbits(24):06x}"


TOTALS_EVERY = 0.25  # seconds between RunTotals events: live views need no more
YIELD_EVERY = 16  # attempts a worker makes between turns it surely gives the event loop


@dataclass(slots=True)
class _Asked:
    """What the ask step got for one item: an answer (or the error), however it came."""

    completion: Completion | None
    latency_ms: float | None
    retries: int
    error: BaseException | None


class Engine:
    def __init__(
        self,
        config: RunConfig,
        store: Store,
        *,
        events: EventBus | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.events = events or EventBus()
        self.gateway = ModelGateway(config, store, env=env)
        self._ctx = GatewayContext(self.gateway)
        self._specs_json: dict[int, str] = {}
        self._totals_emitted = 0.0
        self._stored_suites: set[str] = set()
        self.warnings: list[str] = []  # for the user, found while planning (see prepare)

    # --- set-up ----------------------------------------------------------------------------
    def prepare(self) -> tuple[list[SuitePlan], int]:
        """Everything that can fail on bad input, before the run exists."""
        plans = plan_suites(self.config)
        for profile in self.config.models:
            self.gateway.pool.check(profile)
        check_providers(plans, self.config.models, self.gateway.pool)
        self.gateway.budget.check_priced(self.config.models)
        n_cases = validate_cases(plans, self.config.models)
        if n_cases == 0:
            raise ConfigError("no cases selected")
        judges: set[str] = set()
        for plan in plans if self.config.score else []:
            judges |= judge_models(plan.built_scorers(), self.config.judge_model, plan.name)
        self.gateway.check_judges(judges)
        self.warnings = _oracle_warnings(plans, self.config.models)
        return plans, n_cases

    # --- running ---------------------------------------------------------------------------
    async def run(self, *, resume_id: str | None = None, retry_errors: bool = False) -> RunOutcome:
        config = self.config
        gateway, budget = self.gateway, self.gateway.budget
        plans, n_cases = self.prepare()
        total = n_cases * len(config.models) * config.samples
        if resume_id is None:
            run_id = config.run_id or new_run_id()
            self.store.create_run(
                run_id,
                config=config.stored(),
                suites_info=[_suite_info(p) for p in plans],
                model_profiles=[m.model_dump(mode="json") for m in config.models],
                seed=config.seed,
                tags=config.tags,
                version=__version__,
            )
            done: set[tuple[str, str, str, int]] = set()
        else:
            run_id = resume_id
            self._check_same_suites(run_id, plans)
            budget.spent = run_spend(self.store, run_id)  # the cap is on the whole run
            prior = self.store.get_run(run_id)
            budget.check_room(
                run_id,
                same_cap_stopped=prior.status == STOPPED
                and prior.config.get("max_cost") == config.max_cost,
            )
            if retry_errors:
                self.store.delete_errored(run_id)
            done = self.store.finished_keys(run_id)
            self.store.set_status(run_id, "running")
        self.store.claim_run(run_id)
        totals = RunTotals(run_id=run_id, total=total, done=len(done))
        self.events.emit(
            RunStarted(
                run_id, total, len(done), [m.name for m in config.models], [p.name for p in plans]
            )
        )
        writer = gateway.open_writer()
        status = "failed"
        error: str | None = None
        heartbeat = asyncio.create_task(_heartbeat(self.store, run_id))
        try:
            if len(config.models) > 1:
                gateway.bound_total()
            with fewer_collections():
                await self._drive(run_id, plans, done, totals)
            stopped = budget.exhausted and totals.done < totals.total
            status = STOPPED if stopped else "completed"
            refused = [h.message() for h in gateway.health.values() if h.stopped is not None]
            if refused:  # a model refused every request (bad key, no such model)
                status, error = "failed", "\n".join(refused)
        except (asyncio.CancelledError, KeyboardInterrupt):
            status = "interrupted"
            raise
        except BaseException as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            heartbeat.cancel()
            await gateway.close_writer()  # a failed write is in writer.error
            if writer.error is not None and status == "completed":
                status, error = "failed", f"store write failed: {writer.error}"
            self.store.set_status(run_id, status, error=error)
            await gateway.aclose()
            await close_scorers(s for plan in plans for s in plan.built_scorers())
            self.events.emit(RunFinished(run_id, status, totals))
        if writer.error is not None:
            raise writer.error
        return RunOutcome(
            run_id,
            status,
            totals,
            error=error,
            spent_usd=budget.spent,
            warnings=self.warnings,
        )

    def _check_same_suites(self, run_id: str, plans: list[SuitePlan]) -> None:
        recorded = self.store.run_suite_hashes(run_id)
        for plan in plans:
            if recorded.get(plan.name) not in (None, plan.suite.hash):
                raise ConfigError(
                    f"run {run_id}: suite {plan.name!r} ({plan.suite.source}) changed since the "
                    "run started; resuming would mix two versions (start a new run instead)"
                )

    def _record_case(self, plan: SuitePlan, position: int, case: Case) -> None:
        writer = self.gateway.writer
        assert writer is not None
        if plan.suite.hash in self._stored_suites:
            return
        specs = plan.scorer_specs(case)
        scorers_json = self._specs_json.get(id(specs))
        if scorers_json is None:  # the suite's default list is shared: serialise it once
            scorers_json = json.dumps([s.model_dump() for s in specs])
            if not case.scorers:
                self._specs_json[id(specs)] = scorers_json
        writer.add_case(
            CaseRecord(
                suite_hash=plan.suite.hash,
                case_id=case.id,
                position=position,
                input=dumps_text(
                    case.input
                    if isinstance(case.input, str)
                    else [m.model_dump() for m in case.input],
                ),
                context=case.context,
                expected=None if case.expected is None else dumps_text(case.expected),
                scorers=scorers_json,
                category=case.category,
                metadata=dumps_text(case.metadata) if case.metadata else "{}",
            )
        )

    async def _drive(
        self,
        run_id: str,
        plans: list[SuitePlan],
        done: set[tuple[str, str, str, int]],
        totals: RunTotals,
    ) -> None:
        workers: list[Coroutine[Any, Any, None]] = []
        # A suite version stored whole by an earlier run (cases are keyed by content hash)
        # is not written again: re-running the same suite, the usual case, writes up to a
        # third fewer rows per attempt.
        self._stored_suites = {
            p.suite.hash for p in plans if self.store.count_cases(p.suite.hash) >= p.suite.n_cases
        }
        for index, profile in enumerate(self.config.models):
            lane = self.gateway.lane_for(profile.name)
            on_case = self._record_case if index == 0 else None
            items = self.gateway.with_cache(
                lane, work_items(plans, profile, self.config.samples, done, on_case)
            )
            width = min(profile.max_concurrency or self.config.concurrency, self.config.concurrency)
            workers.extend(self._worker(run_id, lane, items, totals) for _ in range(width))
        await run_workers(workers)

    async def _worker(
        self, run_id: str, lane: ModelLane, items: Iterator[WorkItem], totals: RunTotals
    ) -> None:
        gateway = self.gateway
        health = gateway.health_for(lane)
        budget, writer = gateway.budget, gateway.writer
        assert writer is not None
        # A shared generator: next() never awaits, so workers don't collide.
        for count, item in enumerate(items, 1):
            if count % YIELD_EVERY == 0:
                # An offline, cached or skipped item never suspends: without this a lane of
                # them holds the loop for the whole run, and Ctrl-C/SIGTERM wait until it ends.
                await asyncio.sleep(0)
            if budget.exhausted:  # --max-cost reached: send nothing more
                return
            if health.stopped is not None:  # bad key / no such model: drain, send nothing
                health.skipped += 1
                continue
            sent = False
            if not health.open and item.cached is None:
                async with health.probe:  # one request at a time until the lane has answered
                    if health.stopped is not None:
                        health.skipped += 1
                        continue
                    if not health.open:
                        if not await self._attempt(run_id, lane, item, totals):
                            return
                        sent = True
            # the lane answered: the waiting workers go on at full concurrency
            if not sent and not await self._attempt(run_id, lane, item, totals):
                return
            if writer.error is not None:
                raise writer.error

    async def _attempt(
        self, run_id: str, lane: ModelLane, item: WorkItem, totals: RunTotals
    ) -> bool:
        """Ask (or reuse), score and record one item; False when --max-cost left no room to
        send it."""
        asked = await self._ask(lane, item)
        if asked is None:
            return False
        completion = asked.completion
        results = [] if completion is None else await self._score(item, completion)
        self._record(run_id, item, asked, results, totals)
        return True

    async def _ask(self, lane: ModelLane, item: WorkItem) -> CallOutcome[Completion] | None:
        """The item's answer (or the error): reused from the cache, else asked through the
        gateway once the budget has room for it (None: it has none, send nothing)."""
        if item.cached is not None:
            cached = item.cached
            return CallOutcome(Completion(**cached["completion"]), cached.get("latency_ms"), 0)
        if item.suite.loglikelihood:
            return await self._ask_loglikelihood(lane, item)
        gateway = self.gateway
        profile = item.model
        case = item.case
        tokens_in, tokens_out = estimate(item)
        bound = gateway.budget.request_bound(
            profile.price,
            profile.name,
            item.messages,
            item.params.get("max_tokens"),
            tokens_out,
        )
        if not await gateway.budget.reserve(bound):
            return None
        request = GenerateRequest(
            model=profile.model_id,
            messages=item.messages,
            params=item.params,
            timeout=lane.timeout,
            suite=item.suite.name,
            case_id=case.id,
            sample=item.sample,
            reference=case.ideal_answer,
        )
        outcome = await gateway.send(lane, request, bound, tokens_in if lane.rate.active else 0)
        gateway.health_for(lane).observe(outcome.error)
        return outcome

    async def _ask_loglikelihood(
        self, lane: ModelLane, item: WorkItem
    ) -> CallOutcome[Completion] | None:
        """`_ask` for a log-likelihood suite: the continuations' logprobs, stored as the
        document the scorers read (engine/loglikelihood.py)."""
        gateway = self.gateway
        profile = item.model
        request = loglikelihood_request(item, lane.timeout)
        tokens_in, tokens_out = estimate(item)
        bound = gateway.budget.request_bound(
            profile.price, profile.name, prompts_for_budget(request), tokens_out, tokens_out
        )
        if not await gateway.budget.reserve(bound):
            return None
        asked = await gateway.loglikelihood(
            lane, request, bound, tokens_in if lane.rate.active else 0
        )
        gateway.health_for(lane).observe(asked.error)
        if asked.completion is None:
            return CallOutcome(None, asked.latency_ms, asked.retries, asked.error)
        try:
            completion = as_completion(asked.completion, item.case)
        except ValueError as exc:  # the provider answered for the wrong number of choices
            return CallOutcome(None, asked.latency_ms, asked.retries, exc)
        return CallOutcome(completion, asked.latency_ms, asked.retries)

    async def _score(self, item: WorkItem, completion: Completion) -> list[tuple[str, ScoreResult]]:
        """Every scorer's verdict on an answer (none with `run --no-score`: answers now,
        `benchlab score` later)."""
        if not self.config.score:
            return []
        case = item.case
        answer = Answer(
            output=answer_text(completion.text),
            model=item.model.name,
            sample=item.sample,
            tool_calls=completion.tool_calls,
            finish_reason=completion.finish_reason,
        )
        return await score_answer(case, answer, item.suite.scorers_for(case), self._ctx)

    def _record(
        self,
        run_id: str,
        item: WorkItem,
        asked: CallOutcome[Completion],
        results: list[tuple[str, ScoreResult]],
        totals: RunTotals,
    ) -> None:
        """The attempt's row and score rows to the writer, its answer to the cache, and the
        totals and events that report it."""
        case = item.case
        profile = item.model
        writer = self.gateway.writer
        assert writer is not None
        completion, latency, retries, error = (
            asked.completion,
            asked.latency_ms,
            asked.retries,
            asked.error,
        )
        attempt_id = new_attempt_id()
        if completion is not None:
            passed = overall_passed(results)
            price = profile.price
            cost = (
                0.0  # a reused answer costs nothing, whatever it cost when it was asked
                if item.cached is not None
                else None
                if price is None
                else price.cost(completion.input_tokens, completion.output_tokens)
            )
            failed = scoring_error(results)  # a scorer that raised: an error, not a fail
            record = _attempt_record(
                item,
                id=attempt_id,
                run_id=run_id,
                status="ok" if failed is None else "error",
                completion=completion,
                latency_ms=latency,
                cost_usd=cost,
                passed=passed,
                retries=retries,
                error=failed,
            )
            if item.cached is None and item.cache_key is not None:
                self.gateway.remember(item.cache_key, profile.spec, completion, latency)
        else:
            assert error is not None
            passed, cost = None, None  # a request that failed has no verdict
            record = _attempt_record(
                item,
                id=attempt_id,
                run_id=run_id,
                status="error",
                completion=None,
                latency_ms=latency,
                cost_usd=None,
                passed=None,
                retries=retries,
                error=error_text(error),
            )
        writer.add_attempt(record, score_rows(attempt_id, run_id, results))
        totals.done += 1
        totals.per_model[profile.name] = totals.per_model.get(profile.name, 0) + 1
        if record.status == "error":
            totals.errors += 1
        if passed:
            totals.passed += 1
        if item.cached is not None:
            totals.cached += 1
        if cost is None:
            totals.cost_known = totals.cost_known and completion is None
        else:
            totals.cost_usd += cost
        if self.events.sinks:
            now = time.monotonic()
            if now - self._totals_emitted >= TOTALS_EVERY:
                self._totals_emitted = now
                self.events.emit(totals)
            self.events.emit(
                AttemptFinished(
                    run_id=run_id,
                    suite=item.suite.name,
                    case_id=case.id,
                    model=profile.name,
                    sample=item.sample,
                    passed=passed,
                    scores={name: r.value for name, r in results},
                    latency_ms=latency,
                    cost_usd=cost,
                    cached=item.cached is not None,
                    error_type=record.error_type,
                    error_message=record.error_message,
                )
            )


def _attempt_record(
    item: WorkItem,
    *,
    id: int,
    run_id: str,
    status: Literal["ok", "error"],
    completion: Completion | None,
    latency_ms: float | None,
    cost_usd: float | None,
    passed: bool | None,
    retries: int,
    error: tuple[str, str] | None,
) -> AttemptRecord:
    """What the store keeps of one finished attempt (store/records.py)."""
    error_type, error_message = error if error is not None else (None, None)
    return AttemptRecord(
        id=id,
        run_id=run_id,
        suite=item.suite.name,
        case_id=item.case.id,
        model=item.model.name,
        sample=item.sample,
        status=status,
        category=item.case.category,
        prompt=item.prompt_json,
        output=None if completion is None else completion.text,
        reasoning=None if completion is None else completion.reasoning,
        tool_calls=None
        if completion is None or not completion.tool_calls
        else dumps_text(completion.tool_calls),
        finish_reason=None if completion is None else completion.finish_reason,
        input_tokens=None if completion is None else completion.input_tokens,
        output_tokens=None if completion is None else completion.output_tokens,
        latency_ms=latency_ms,
        cost_usd=cost_usd,
        error_type=error_type,
        error_message=error_message,
        cached=False if completion is None else item.cached is not None,
        cached_at=None if item.cached is None else item.cached.get("created_at"),
        retries=retries,
        passed=passed,
        finished_at=time.time(),
    )


def _oracle_warnings(plans: list[SuitePlan], models: list[ModelProfile]) -> list[str]:
    """`oracle` answers with each case's reference: name the cases that have none (their
    attempts are errors, see providers/offline.py), so that a suite is not read as wrong."""
    oracles = [m.name for m in models if m.provider == "oracle"]
    if not oracles:
        return []
    missing = [
        f"{plan.name}/{case.id}"
        for plan in plans
        for _, case in plan.cases()
        if case.ideal_answer is None
    ]
    if not missing:
        return []
    shown = ", ".join(missing[:10]) + (
        f" and {len(missing) - 10} more" if len(missing) > 10 else ""
    )
    return [
        f"warning: {len(missing)} case(s) have no expected answer, so {', '.join(oracles)} "
        f"cannot answer them (recorded as errors, not fails): {shown}"
    ]


async def _heartbeat(store: Store, run_id: str) -> None:
    """Say the run's owner is alive, so that readers can tell a dead one (store/owner.py)."""
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        with contextlib.suppress(Exception):  # a busy database: the next beat will do
            store.heartbeat(run_id)


def _suite_info(plan: SuitePlan) -> dict[str, Any]:
    suite = plan.suite
    return {
        "name": plan.name,
        "hash": suite.hash,
        "version": suite.header.version,
        "source": suite.source,
        "header": suite.header.model_dump(mode="json"),
        "n_cases": suite.n_cases,
    }
