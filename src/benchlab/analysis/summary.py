"""A run's per-model summary: what `show`, `run --json` and the API print.

Built in one streaming pass over the run's attempts (only the columns needed),
so summarising a run of a million attempts does not load a million objects.

An attempt that errored (its request failed after retries, its recorded
answer was missing, or a scorer raised) is not a fail: it has no verdict.
Every rate (`pass_rate`, `by_category`, `by_suite`, pass@k, score means,
intervals) is over the judged attempts only, and the errors stand beside it,
counted per model (`errors`) and per kind with the first message of each
(`errors_by_kind`: `{kind: {"count": n, "first_message": "..."}}`), so a
broken endpoint can never pass for a bad model, nor hide behind a good rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benchlab.analysis.cache_use import add_cache_use
from benchlab.analysis.judge_spend import add_judge_spend
from benchlab.analysis.stats.core import mean, percentile, wilson_interval
from benchlab.analysis.summary_intervals import enrich_summary
from benchlab.analysis.summary_pass_at_k import add_pass_at_k
from benchlab.domain import Run
from benchlab.store import Store
from benchlab.store.error_kinds import by_kind, error_kinds
from benchlab.store.run_summaries import RunParts


@dataclass
class _Acc:
    attempts: int = 0
    errors: int = 0
    judged: int = 0
    passed: int = 0
    latencies: list[float] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0
    cost_known: bool = True
    cached: int = 0
    keep_latencies: bool = True  # only the per-model accumulators report percentiles

    def add(
        self,
        status: str,
        passed: bool | None,
        latency: float | None,
        tin: int | None,
        tout: int | None,
        cost: float | None,
    ) -> None:
        self.attempts += 1
        if status == "error":
            self.errors += 1
        if passed is not None:
            self.judged += 1
            self.passed += bool(passed)
        if status == "ok" or tin is not None or tout is not None:  # answered (scorer errors too)
            if latency is not None and self.keep_latencies:
                self.latencies.append(latency)
            self.input_tokens += tin or 0
            self.output_tokens += tout or 0
            if cost is None:
                self.cost_known = False
            else:
                self.cost += cost

    def rate(self) -> dict[str, Any]:
        ci = wilson_interval(self.passed, self.judged)
        return {
            "n": self.judged,
            "passed": self.passed,
            "errors": self.errors,
            "pass_rate": self.passed / self.judged if self.judged else None,
            "ci95": list(ci) if ci else None,
        }


def summarize_run(
    store: Store,
    run_id: str,
    *,
    score_pass: str | int | None = None,
    parts: RunParts | None = None,
) -> dict[str, Any]:
    """The summary, its verdicts and scores from one scoring pass (`score_pass`: a number,
    `judge=MODEL`, or None for the newest completed one), named in `scoring`.

    What it computes from the attempts is kept for a run that is not running (`parts`: the
    run's, if the caller has them; store/run_summaries.py); the run's own fields (status,
    tags, error) are always read as they are now."""
    from benchlab.store.passes import resolve_pass

    run = store.get_run(run_id)
    shown = resolve_pass(store, run.id, score_pass)
    parts = parts or RunParts(store, run.id)
    kept = parts.get(f"summary/{shown.pass_no}", lambda: _from_attempts(store, run, shown.pass_no))
    models = kept["models"]
    return {
        "run_id": run.id,
        "status": run.status,
        "suites": run.suites,
        "created_at": run.created_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "seed": run.seed,
        "tags": run.tags,
        "error": store.run_error(run.id),
        "score_pass": shown.pass_no,  # 0: the run's own scoring
        "scores_from": shown.as_dict(),
        "attempts": sum(m["attempts"] for m in models),
        "errors": sum(m["errors"] for m in models),
        "errors_by_kind": kept["errors_by_kind"],
        "models": models,
        "cache": kept["cache"],
    }


def _from_attempts(store: Store, run: Run, pass_no: int) -> dict[str, Any]:
    """What a summary computes from the run's attempts, scores and labels (the part kept):
    `models`, `errors_by_kind` and `cache`."""
    per_model: dict[str, _Acc] = {name: _Acc() for name in run.models}
    per_cat: dict[str, dict[str, _Acc]] = {}
    per_suite: dict[str, dict[str, _Acc]] = {}
    for (
        model,
        suite,
        category,
        status,
        passed,
        latency,
        tin,
        tout,
        cost,
        _c,
        _s,
    ) in store.summary_rows(run.id, pass_no):
        acc = per_model.setdefault(model, _Acc())
        acc.add(status, passed, latency, tin, tout, cost)
        if category is not None:
            cat = per_cat.setdefault(model, {}).setdefault(category, _Acc(keep_latencies=False))
            cat.add(status, passed, latency, tin, tout, cost)
        if len(run.suites) > 1:
            sacc = per_suite.setdefault(model, {}).setdefault(suite, _Acc(keep_latencies=False))
            sacc.add(status, passed, latency, tin, tout, cost)
    kinds = error_kinds(store, run.id)
    models = []
    for name, acc in per_model.items():
        lat = sorted(acc.latencies)
        rate = acc.rate()
        entry: dict[str, Any] = {
            "model": name,
            "attempts": acc.attempts,
            "judged": acc.judged,
            "errors": acc.errors,
            "errors_by_kind": by_kind([k for k in kinds if k.model == name]),
            "pass_rate": rate["pass_rate"],
            "ci95": rate["ci95"],
            "ci_method": "wilson",
            "latency_ms": {
                "mean": mean(lat),
                "p50": percentile(lat, 50),
                "p95": percentile(lat, 95),
            },
            "tokens": {"input": acc.input_tokens, "output": acc.output_tokens},
            "cost_usd": acc.cost if acc.cost_known else None,
        }
        if name in per_cat:
            entry["by_category"] = {c: per_cat[name][c].rate() for c in sorted(per_cat[name])}
        if name in per_suite:
            entry["by_suite"] = {s: per_suite[name][s].rate() for s in sorted(per_suite[name])}
        models.append(entry)
    enrich_summary(store, run, models, pass_no)  # bootstrap CIs for samples > 1, score means
    add_pass_at_k(store, run, models, pass_no)  # code benchmarks: pass@1/10/100 with CIs
    add_judge_spend(store, run, models, pass_no)  # judge_cost_usd apart from the models' cost
    cache = add_cache_use(store, run.id, models)  # answers reused, and from when
    return {"models": models, "errors_by_kind": by_kind(kinds), "cache": cache}
