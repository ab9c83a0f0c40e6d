"""The library functions that the CLI (and later the server) are thin layers over.

>>> import benchlab
>>> result = benchlab.run(benchlab.RunConfig(suites=["quickstart"],
...                       models=benchlab.resolve_models(["oracle"])))
>>> result.summary["models"][0]["pass_rate"]
1.0
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, TypeVar

from benchlab.analysis.export import export_run
from benchlab.analysis.summary import summarize_run
from benchlab.domain import Attempt, Run, ScorerSpec
from benchlab.engine.config import RunConfig
from benchlab.engine.events import EventBus, EventSink
from benchlab.errors import ConfigError
from benchlab.store import Store

if TYPE_CHECKING:
    from benchlab.analysis.gate import GateResult
    from benchlab.analysis.run_views import RunPage
    from benchlab.analysis.spend import MonthlySpend
    from benchlab.engine.dry_run import DryRunReport
    from benchlab.engine.runner import RunOutcome
    from benchlab.suites import LoadedSuite


T = TypeVar("T")


@dataclass
class RunResult:
    """A finished (or stopped) run: its id and status, the summary `show --json` prints,
    the database it is in, and warnings found while planning (e.g. cases `oracle` cannot
    answer)."""

    run_id: str
    status: str
    summary: dict[str, Any]
    db: str
    warnings: list[str] = field(default_factory=list)

    def attempts(self, model: str | None = None) -> Iterator[Attempt]:
        """The run's attempts (one model's with `model`), streamed from the store."""
        with Store(self.db) as store:
            yield from store.iter_attempts(self.run_id, model=model)


async def arun(
    config: RunConfig,
    *,
    sinks: list[EventSink] | None = None,
    env: Mapping[str, str] | None = None,
) -> RunResult:
    """Run a suite set against models; returns when every attempt is stored."""
    from benchlab.engine.runner import Engine

    if config.dry_run:
        raise ConfigError("dry runs don't create a run: call benchlab.plan(config)")
    with Store(config.db) as store:
        engine = Engine(config, store, events=EventBus(sinks), env=env)
        outcome = await engine.run()
        _write_code_artifacts(store, outcome.run_id)
        return RunResult(
            outcome.run_id,
            outcome.status,
            _summary(store, outcome, config),
            store.url,
            outcome.warnings,
        )


def run(
    config: RunConfig,
    *,
    sinks: list[EventSink] | None = None,
    env: Mapping[str, str] | None = None,
) -> RunResult:
    """Run `config` to the end and return its result (`arun` for async code).

    Works where an event loop is already running (Jupyter, an async web app):
    the run then goes on its own loop in a worker thread while this call waits.
    `sinks` see the engine's events (progress); `env` replaces os.environ for
    API keys and base URLs.
    """
    return run_sync(arun(config, sinks=sinks, env=env))


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(coro)`, also from inside a running event loop.

    asyncio.run refuses to nest, and a notebook cell always runs inside one;
    there the coroutine runs on a fresh loop in a worker thread. Interrupting
    the wait (Jupyter's stop button) cancels the run, which ends `interrupted`
    and stays resumable, as Ctrl-C does on the command line.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import concurrent.futures
    import threading

    started = threading.Event()
    state: dict[str, Any] = {}

    def in_thread() -> T:
        loop = asyncio.new_event_loop()
        try:
            task = loop.create_task(coro)
            state["loop"], state["task"] = loop, task
            started.set()
            return loop.run_until_complete(task)
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="benchlab") as pool:
        future = pool.submit(in_thread)
        try:
            return future.result()
        except KeyboardInterrupt:
            if started.wait(5):
                state["loop"].call_soon_threadsafe(state["task"].cancel)
            concurrent.futures.wait([future])
            raise


async def aresume(
    run_id: str,
    *,
    db: str | None = None,
    retry_errors: bool = False,
    sinks: list[EventSink] | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    suites: list[str | LoadedSuite] | None = None,
) -> RunResult:
    """Finish an interrupted run: finished attempts are kept, only the rest are asked.

    The run's own stored config is used (not today's flags or files), so the
    same cases are asked of the same model profiles; `overrides` may change
    only how the run is executed (concurrency, timeout, retries, cache, executor).
    A run of suites built in code (recorded as `memory:NAME`) needs them again
    in `suites`; a suite whose content changed since is refused.
    """
    from benchlab.engine.runner import Engine

    allowed = {
        "concurrency",
        "timeout",
        "retries",
        "retry_base_delay",
        "retry_max_delay",
        "cache",
        "flush_interval",
        "max_cost",
        "executor",
    }
    with Store(db, must_exist=True) as store:
        stored = store.get_run(run_id)
        owner = store.run_owner(stored.id) if stored.status == "running" else None
        if owner is not None:  # alive: two processes would ask the same attempts
            raise ConfigError(
                f"run {stored.id} is still running ({owner.describe()}); "
                "resume it once that process has stopped"
            )
        data = dict(stored.config)
        for key, value in (overrides or {}).items():
            if key not in allowed:
                raise ConfigError(f"resume: {key} cannot change on resume")
            data[key] = value
        data["suites"] = _resume_suites(stored.id, data["suites"], suites)
        config = RunConfig.model_validate({**data, "db": db, "run_id": stored.id})
        engine = Engine(config, store, events=EventBus(sinks), env=env)
        outcome = await engine.run(resume_id=stored.id, retry_errors=retry_errors)
        return RunResult(
            outcome.run_id,
            outcome.status,
            _summary(store, outcome, config),
            store.url,
            outcome.warnings,
        )


def _resume_suites(
    run_id: str, recorded: list[str], given: list[str | LoadedSuite] | None
) -> list[str | LoadedSuite]:
    """The suites to resume with: the recorded ones, or those given (the same names)."""
    from benchlab.engine.config import IN_MEMORY

    in_memory = [ref[len(IN_MEMORY) :] for ref in recorded if ref.startswith(IN_MEMORY)]
    if given is None:
        if in_memory:
            raise ConfigError(
                f"run {run_id} used suites built in code ({', '.join(in_memory)}): pass them "
                "again, benchlab.resume(run_id, suites=[...])"
            )
        return list(recorded)
    names = [ref if isinstance(ref, str) else IN_MEMORY + ref.header.name for ref in given]
    if sorted(names) != sorted(recorded):
        raise ConfigError(f"run {run_id} ran suites {recorded}, not {names}")
    return list(given)


def _summary(store: Store, outcome: RunOutcome, config: RunConfig) -> dict[str, Any]:
    """The run's summary; a run stopped by --max-cost adds where it stopped (`budget`)."""
    summary = summarize_run(store, outcome.run_id)
    if outcome.status == "stopped_budget":
        summary["budget"] = {
            "cap_usd": config.max_cost,
            "spent_usd": outcome.spent_usd,
            "not_sent": max(0, outcome.totals.total - outcome.totals.done),
        }
    return summary


def resume(run_id: str, **kwargs: Any) -> RunResult:
    """`aresume` for code that is not async (works inside a running loop too, as `run`)."""
    return run_sync(aresume(run_id, **kwargs))


def plan(config: RunConfig) -> DryRunReport:
    """What a run would send, with token and cost estimates; sends nothing."""
    from benchlab.engine.dry_run import dry_run

    return dry_run(config)


def show(
    run_id: str, *, db: str | None = None, score_pass: str | int | None = None
) -> dict[str, Any]:
    """A stored run's summary per model, as `benchlab show RUN_ID --json` prints it: its
    verdicts and scores from one scoring pass (`score_pass`: a number, `judge=MODEL`, or
    None for the latest completed one)."""
    with Store(db, must_exist=True) as store:
        return summarize_run(store, run_id, score_pass=score_pass)


def show_failures(
    run_id: str, *, db: str | None = None, model: str | None = None, limit: int | None = None
) -> dict[str, Any]:
    """Failing and errored attempts with their reasons (`show --failures`)."""
    from benchlab.analysis.failures import list_failures

    with Store(db, must_exist=True) as store:
        return list_failures(store, run_id, model=model, limit=limit)


def show_factors(
    run_id: str,
    by: str | None,
    *,
    paired_by: str | None = None,
    db: str | None = None,
    score_pass: str | int | None = None,
) -> dict[str, Any]:
    """A grid run per level of one factor (`show --by`), with paired uplifts (`--paired-by`)."""
    from benchlab.analysis.factors import factor_report

    with Store(db, must_exist=True) as store:
        return factor_report(store, run_id, by, paired_by=paired_by, score_pass=score_pass)


def show_pivot(
    run_id: str,
    rows: str,
    cols: str,
    *,
    db: str | None = None,
    score_pass: str | int | None = None,
) -> dict[str, Any]:
    """A grid run's cases by two factors (`show --pivot ROWS,COLS`): mean, n and interval
    per pair of levels, per model."""
    from benchlab.analysis.factors import factor_pivot

    with Store(db, must_exist=True) as store:
        return factor_pivot(store, run_id, rows, cols, score_pass=score_pass)


def write_factor_csv(report: dict[str, Any], out: IO[str], *, db: str | None = None) -> int:
    """`show --by/--paired-by --csv`: the report shown, as summary-csv rows; returns how many."""
    from benchlab.analysis.factor_summary_csv import report_summary, write_csv

    with Store(db, must_exist=True) as store:
        return write_csv(report_summary(store, report), out)


def _write_code_artifacts(store: Store, run_id: str) -> None:
    """Code runs keep prompt.txt, response.txt, patch.diff, stdout.log, stderr.log per attempt."""
    from benchlab.analysis.summary_pass_at_k import is_code_run
    from benchlab.store import artifacts

    if is_code_run(store, store.get_run(run_id)):
        artifacts.write_run(store, run_id)


def show_attempt(
    run_id: str,
    selector: str,
    *,
    db: str | None = None,
    model: str | None = None,
    sample: int | None = None,
) -> list[dict[str, Any]]:
    """One attempt's artifacts (by attempt id, or by case id for every model and sample),
    written to its artifacts folder and returned with their text."""
    from benchlab.store import artifacts

    with Store(db, must_exist=True) as store:
        run = store.get_run(run_id)
        out = []
        for attempt in artifacts.find(store, run.id, selector, model=model, sample=sample):
            folder = artifacts.write(store, attempt)
            out.append(
                {
                    "attempt_id": str(attempt.id),
                    "case_id": attempt.case_id,
                    "model": attempt.model,
                    "sample": attempt.sample,
                    "passed": attempt.passed,
                    "error_type": attempt.error_type,
                    "error": attempt.error_message,
                    "scores": [
                        {
                            "scorer": s.scorer,
                            "value": s.value,
                            "passed": s.passed,
                            "explanation": s.explanation,
                            "pass_no": s.pass_no,
                        }
                        for s in attempt.scores
                    ],
                    "folder": str(folder),
                    "files": artifacts.contents(attempt),
                }
            )
        return out


def list_runs(
    *,
    db: str | None = None,
    limit: int | None = None,
    model: str | None = None,
    suite: str | None = None,
    status: str | None = None,
    tags: Mapping[str, str] | None = None,
) -> list[Run]:
    """Runs newest first, optionally of one model, suite or status, with all of `tags`
    (a dead run reads interrupted); the query `benchlab runs` and the server use too."""
    from benchlab.store.run_query import RunFilter, find_runs

    with Store(db, must_exist=True) as store:
        where = RunFilter(suite=suite, model=model, status=status, tags=dict(tags or {}))
        return find_runs(store.engine, where, limit=limit)


def run_rows(
    *,
    db: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    model: str | None = None,
    suite: str | None = None,
    status: str | None = None,
    tags: Mapping[str, str] | None = None,
    sort: str = "-created",
) -> RunPage:
    """Runs newest first (or by `sort`, one of `RUN_SORTS`) with their per-model totals
    (pass rate with interval, errors, cost): the rows `benchlab runs --json` prints and
    `GET /api/runs` answers."""
    from benchlab.analysis.run_views import run_list

    with Store(db, must_exist=True) as store:
        return run_list(
            store,
            suite=suite,
            model=model,
            status=status,
            tags=tags,
            limit=limit,
            offset=offset,
            sort=sort,
        )


def export(
    run_id: str,
    fmt: str,
    out: IO[str],
    *,
    db: str | None = None,
    score_pass: str | int | None = None,
) -> int:
    """Write a run to `out` as jsonl, csv, json or summary-csv (its scores from one scoring
    pass, default the latest); returns the rows written."""
    from benchlab.analysis.export import FORMATS

    if fmt not in FORMATS:  # the flag first: a wrong one is the mistake to name, whatever --db
        raise ConfigError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    with Store(db, must_exist=True) as store:
        return export_run(store, run_id, fmt, out, score_pass=score_pass)


# --- comparison and tracking (issue #6): the CLI and the server share these -------------------
def compare(
    run_a: str,
    run_b: str,
    *,
    db: str | None = None,
    model: str | None = None,
    model_a: str | None = None,
    model_b: str | None = None,
    alpha: float = 0.05,
    seed: int = 0,
    pass_a: str | int | None = None,
    pass_b: str | int | None = None,
) -> dict[str, Any]:
    """Run B against run A case by case, per model: delta, interval, p-value, flips, verdict.
    `pass_a`/`pass_b` pick each side's scoring pass (two passes of one run compare like
    two runs: judge A against judge B)."""
    from benchlab.analysis.compare import compare_runs

    with Store(db, must_exist=True) as store:
        found = compare_runs(
            store,
            run_a,
            run_b,
            model=model,
            model_a=model_a,
            model_b=model_b,
            alpha=alpha,
            seed=seed,
            pass_a=pass_a,
            pass_b=pass_b,
        )
        return found.as_dict()


def gate(
    baseline: str,
    candidate: str,
    *,
    db: str | None = None,
    max_drop: float = 0.0,
    min_pass_rate: float | None = None,
    alpha: float = 0.05,
    max_cost_increase: float | None = None,
    allow_errors: bool = False,
) -> GateResult:
    """The CI gate's decision (`.passed`), its checks, and what the markdown/JUnit are made of.

    Errored attempts fail the gate with an `errors` check unless `allow_errors`.
    """
    from benchlab.analysis.gate import GateOptions, run_gate

    options = GateOptions(max_drop, min_pass_rate, alpha, max_cost_increase, allow_errors)
    with Store(db, must_exist=True) as store:
        return run_gate(store, baseline, candidate, options)


def history(
    suite: str,
    *,
    db: str | None = None,
    model: str | None = None,
    last: int = 20,
    alpha: float = 0.05,
) -> dict[str, Any]:
    """A suite's pass rate per completed run (with intervals) and the significant changes."""
    from benchlab.analysis.history import history as suite_history

    with Store(db, must_exist=True) as store:
        return suite_history(store, suite, model=model, last=last, alpha=alpha)


def report(run_id: str, *, db: str | None = None, fmt: str = "md", last: int = 20) -> str:
    """A self-contained report of a run (markdown, or HTML with inline charts)."""
    from benchlab.analysis.render.formats import render_report
    from benchlab.analysis.report import build_report

    with Store(db, must_exist=True) as store:
        return render_report(build_report(store, run_id, last=last), fmt)


def power(
    rate: float,
    *,
    delta: float | None = None,
    cases: int | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    discordance: float | None = None,
) -> dict[str, Any]:
    """Cases needed to detect a drop of `delta` from `rate`, or the drop `cases` can detect."""
    from benchlab.analysis.stats.power import cases_needed, detectable_for_cases

    if (delta is None) == (cases is None):
        raise ConfigError("power: give exactly one of --delta or --cases")
    if delta is not None:
        return cases_needed(rate, delta, alpha=alpha, power=power, discordance=discordance)
    assert cases is not None
    return detectable_for_cases(rate, cases, alpha=alpha, power=power, discordance=discordance)


def spend(month: str | None = None, *, db: str | None = None) -> MonthlySpend:
    """Money really spent (cached answers excluded) in a month, per model and suite."""
    from benchlab.analysis.spend import month_bounds, monthly_spend

    month_bounds(month)  # the flag first: a wrong --month is the mistake to name, whatever --db
    with Store(db, must_exist=True) as store:
        return monthly_spend(store, month)


# --- judges, scoring passes and grids (issue #7) ----------------------------------------------
async def ascore(
    run_id: str,
    *,
    db: str | None = None,
    scorers: list[ScorerSpec] | None = None,
    judge_model: str | None = None,
    concurrency: int | None = None,
    cache: bool = True,
    env: Mapping[str, str] | None = None,
    executor: str | None = None,
) -> dict[str, Any]:
    """Score a stored run again (a new scoring pass beside the old ones); no model is asked
    again. `scorers` None re-uses each case's recorded scorers; `executor` is where code
    runs (local, ray). Returns the run's summary, which now reads the new pass, with
    `scoring` describing it."""
    from benchlab.engine.rescore import score_pass

    with Store(db, must_exist=True) as store:
        outcome = await score_pass(
            store,
            run_id,
            scorers=scorers,
            judge_model=judge_model,
            concurrency=concurrency,
            cache=cache,
            env=env,
            executor=executor,
        )
        summary = summarize_run(store, outcome.run_id)
        summary["scoring"] = {
            "pass_no": outcome.pass_no,
            "status": outcome.status,
            "scored": outcome.scored,
            "errors": outcome.errors,
            "skipped": outcome.skipped,
        }
        return summary


def score(run_id: str, **kwargs: Any) -> dict[str, Any]:
    """`ascore` for code that is not async (works inside a running loop too, as `run`)."""
    return run_sync(ascore(run_id, **kwargs))


async def apairwise(
    run_id: str,
    judge_model: str,
    *,
    db: str | None = None,
    models: list[str] | None = None,
    concurrency: int | None = None,
    seed: int = 0,
    cache: bool = True,
    env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Which model answered better, case by case, judged in both orders: win rates with
    intervals, the share of order-inconsistent verdicts, Bradley-Terry ratings (> 2 models)."""
    from benchlab.analysis.stats.pairwise import pairwise_report
    from benchlab.engine.pairwise import judge_pairs

    with Store(db, must_exist=True) as store:
        chosen, verdicts, judge = await judge_pairs(
            store,
            run_id,
            judge_model,
            models=models,
            concurrency=concurrency,
            cache=cache,
            env=env,
        )
        report = pairwise_report(verdicts, chosen, seed=seed)
        run = store.get_run(run_id)
    return {"run_id": run.id, "judge": judge.usage.as_dict(), "models": chosen, **report}


def pairwise(run_id: str, judge_model: str, **kwargs: Any) -> dict[str, Any]:
    """`apairwise` for code that is not async (works inside a running loop too, as `run`)."""
    return run_sync(apairwise(run_id, judge_model, **kwargs))


def build_cases(suite: str, out: IO[str], *, limit: int | None = None, seed: int = 0) -> int:
    """Write a suite's cases (a grid expanded, sampled like a run would) as JSONL."""
    from benchlab.suites.build import write_cases

    return write_cases(suite, out, limit=limit, seed=seed)
