"""The intervals a run summary prints, from the store's per-case rows.

Which interval fits which numbers (Wilson, a bootstrap over cases, Student's
t) is decided in `benchlab.analysis.stats.intervals`; this module reads the cases and
scores of a run and gives each model entry of its summary the intervals and
per-scorer means that rule picks.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from typing import Any

from benchlab.analysis.stats.bootstrap import DEFAULT_SEED
from benchlab.analysis.stats.intervals import mean_interval, rate_interval, several_samples
from benchlab.domain import Run
from benchlab.store import Store
from benchlab.store.outcomes import CaseRow, case_outcomes, iter_case_score_means


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
