"""The right 95% interval for each rate and mean a summary prints, and the method it used.

A pass rate over independent cases, one answer each, gets the Wilson
interval. Several samples of one case are not independent (a hard case is
failed by every sample), so then the interval comes from a bootstrap over
cases; so do means of continuous scores (fuzzy ratios, judge scores, signed
stances), whose spread no binomial formula knows. Every interval says which
method made it (`ci_method`), because readers compare intervals across runs.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from benchlab.analysis.bootstrap import DEFAULT_SEED, bootstrap_rate
from benchlab.analysis.stats import t_interval, wilson_interval
from benchlab.domain import Run
from benchlab.store import Store
from benchlab.store.outcomes import CaseRow, case_outcomes, iter_case_score_means


def several_samples(rows: Sequence[CaseRow]) -> bool:
    return any(r.attempts > 1 for r in rows)


def rate_interval(
    rows: Sequence[CaseRow], *, seed: int = DEFAULT_SEED, clustered: bool | None = None
) -> tuple[list[float] | None, str]:
    """(ci95, method) of passed/judged over these cases' attempts."""
    judged = [r for r in rows if r.judged]
    if clustered is None:
        clustered = several_samples(judged)
    if not clustered:
        ci = wilson_interval(sum(r.passed for r in judged), sum(r.judged for r in judged))
        return (list(ci) if ci else None), "wilson"
    found = bootstrap_rate([r.passed for r in judged], [r.judged for r in judged], seed=seed)
    return (found.as_list() if found else None), (found.method if found else "bootstrap")


def scale_of(values: Sequence[float]) -> tuple[float, float]:
    """The score scale the values live on: [0, 1], a signed [-1, 1], or their own range."""
    lo, hi = min(values), max(values)
    if lo >= 0.0 and hi <= 1.0:
        return (0.0, 1.0)
    if lo >= -1.0 and hi <= 1.0:
        return (-1.0, 1.0)
    return (lo, hi) if hi > lo else (lo - 1.0, hi + 1.0)


def mean_interval(
    values: Sequence[float], *, clustered: bool, seed: int = DEFAULT_SEED
) -> tuple[list[float] | None, str]:
    """(ci95, method) of the mean of per-case values (each case's mean over its samples).

    When every case has the same value the bootstrap cannot vary. For pass/fail
    values (all 0 or all 1) the Wilson interval then says what n cases can
    warrant; for a continuous score (every case judged +0.6, say) a binomial
    bound would make a consistent score look less certain than a noisy one, so
    it gets Student's t interval, of zero width.
    """
    if not values:
        return None, "bootstrap"
    binary = all(v in (0.0, 1.0) for v in values)
    if not clustered and binary:
        ci = wilson_interval(sum(values), len(values))
        return (list(ci) if ci else None), "wilson"
    found = bootstrap_rate(list(values), seed=seed, bounds=scale_of(values))
    if found is not None and found.method == "wilson" and not binary:
        flat = t_interval(list(values), bounds=scale_of(values))
        if flat is not None:
            return list(flat), "t"
    return (found.as_list() if found else None), (found.method if found else "bootstrap")


class _ScorerValues:
    """One scorer's per-case means as a compact float array: a summary of a run with a
    million cases holds 8 bytes per case here, not a row object."""

    __slots__ = ("clustered", "values")

    def __init__(self) -> None:
        self.values = array("d")
        self.clustered = False

    def add(self, mean: float, n: int) -> None:
        self.values.append(mean)
        self.clustered = self.clustered or n > 1

    def summary(self, seed: int) -> dict[str, Any]:
        values = self.values
        ci, method = mean_interval(values, clustered=self.clustered, seed=seed)
        return {
            "n": len(values),
            "mean": sum(values) / len(values),
            "ci95": ci,
            "ci_method": method,
        }


def enrich_summary(
    store: Store, run: Run, models: list[dict[str, Any]], pass_no: int | None = None
) -> None:
    """Give a run summary's model entries bootstrap intervals where Wilson would be wrong,
    and per-scorer means with intervals (`scores`), of scoring pass `pass_no` (default the
    latest)."""
    rows_by_model: dict[str, list[CaseRow]] = defaultdict(list)
    if int(run.config.get("samples", 1) or 1) > 1:  # per-case rows matter only then
        for row in case_outcomes(store, run.id, pass_no=pass_no):
            rows_by_model[row.model].append(row)
    values: dict[str, dict[str, _ScorerValues]] = defaultdict(dict)
    for m in iter_case_score_means(store, run.id, pass_no=pass_no):
        values[m.model].setdefault(m.scorer, _ScorerValues()).add(m.mean, m.n)
    for entry in models:
        rows = rows_by_model.get(entry["model"], [])
        if several_samples(rows):
            entry["ci95"], entry["ci_method"] = rate_interval(rows, clustered=True)
            for key, attr in (("by_category", "category"), ("by_suite", "suite")):
                for name, block in (entry.get(key) or {}).items():
                    part = [r for r in rows if getattr(r, attr) == name]
                    block["ci95"], block["ci_method"] = rate_interval(part, clustered=True)
        else:
            for key in ("by_category", "by_suite"):
                for block in (entry.get(key) or {}).values():
                    block.setdefault("ci_method", "wilson")
        per_scorer = values.get(entry["model"], {})
        entry["scores"] = {
            name: per_scorer[name].summary(DEFAULT_SEED) for name in sorted(per_scorer)
        }
