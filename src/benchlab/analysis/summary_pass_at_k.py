"""pass@k in a run summary: for code runs, per model, from the store's verdicts.

The estimator and its interval are `benchlab.analysis.stats.pass_at_k`; this module
decides which runs get it (code benchmarks, or several samples per case) and
counts each problem's samples and passes.
"""

from __future__ import annotations

from typing import Any

from benchlab.analysis.stats.pass_at_k import pass_at_k
from benchlab.domain import Run
from benchlab.store import Store

CODE_SCORERS = frozenset({"python_tests", "stdio_tests", "task_tests"})


def is_code_run(store: Store, run: Run) -> bool:
    """Code benchmarks (a suite of kind `code`, or a code-execution scorer), or several samples."""
    if int(run.config.get("samples", 1) or 1) > 1:
        return True
    if any(s.get("name") in CODE_SCORERS for s in run.config.get("scorers") or []):
        return True
    for suite_hash in store.run_suite_hashes(run.id).values():
        header = store.suite_record(suite_hash).get("header") or {}
        if (header.get("metadata") or {}).get("kind") == "code":
            return True
        if any(_scorer_name(s) in CODE_SCORERS for s in header.get("scorers") or []):
            return True
    return False


def _scorer_name(spec: Any) -> str:
    return str(spec.get("name")) if isinstance(spec, dict) else str(spec)


def add_pass_at_k(
    store: Store, run: Run, models: list[dict[str, Any]], pass_no: int | None = None
) -> None:
    """Give each model entry of a code run `pass_at_k` ({"1": ..}) and `pass_at_k_ci95`
    (verdicts of scoring pass `pass_no`, default the latest)."""
    if not is_code_run(store, run):
        return
    per_model: dict[str, dict[tuple[str, str], list[int]]] = {}
    for row in store.summary_rows(run.id, pass_no):
        model, suite, passed, case_id = row[0], row[1], row[4], row[9]
        if passed is None:  # an errored (or unscored) sample is no sample: n counts verdicts
            continue
        counts = per_model.setdefault(model, {}).setdefault((suite, case_id), [0, 0])
        counts[0] += 1
        counts[1] += bool(passed)
    for entry in models:
        problems = [(n, c) for n, c in per_model.get(entry["model"], {}).values()]
        found = pass_at_k(problems, seed=run.seed)
        entry["pass_at_k"] = {k: v["value"] for k, v in found.items()}
        entry["pass_at_k_ci95"] = {k: v["ci95"] for k, v in found.items()}
        entry["pass_at_k_ci_method"] = {k: v["ci_method"] for k, v in found.items()}
