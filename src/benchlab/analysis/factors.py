"""Per-factor views of a grid run: `show --by FACTOR` and `show --paired-by FACTOR`.

A grid study asks "does the answer move with this factor?", so the unit is the
case (its samples averaged first, like every other interval here) grouped by
the case's level of one factor, read from the stored case metadata: the
levels a run really asked, whatever the suite file says today.

The uplift between two levels is paired within matched sets (cases that
differ only in that factor: the same dispute told by landlord and tenant),
because the spread between disputes dwarfs the lean a model shows to whoever
asks; pairing removes that spread from the interval.

Both intervals are Student's t intervals over cases (levels) or matched sets
(uplifts), `ci_method: "t"`. A grid has few matched sets (3 to a few dozen),
where a percentile bootstrap is far too narrow (about 75% coverage at 3 sets,
89% at 10: bench/uplift_coverage.py) and, when every set agrees, cannot vary
at all; the t interval is exact for normal differences at any n, measured at
95% on bounded, discretised judge scores at 3, 10 and 36 sets
(tests/analysis/test_uplift_coverage.py), and has zero width when every set
gives the same difference: a consistent effect never looks less certain than
a noisy one. One case or one set has no spread to measure: no interval.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from benchlab.analysis.stats.core import t_interval
from benchlab.errors import ConfigError
from benchlab.store.pass_scores import pass_scores
from benchlab.store.passes import resolve_pass
from benchlab.store.store import Store
from benchlab.suites.grid import level_text

STANCE = "stance"
DEFAULT_BINS = (-0.2, 0.2)
BINS = ("neg", "neu", "pos")

CaseKey = tuple[str, str]  # (suite, case_id)


@dataclass
class _Case:
    """One case's samples for one model: values, and how many fell in each bin."""

    values: list[float] = field(default_factory=list)
    bins: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BINS, 0))

    @property
    def mean(self) -> float:
        return sum(self.values) / len(self.values)


def _bin(value: float, details: dict[str, Any]) -> str:
    """The judge's own bin when stored (it used the suite's thresholds), else the default."""
    found = details.get("bin")
    if found in BINS:
        return str(found)
    low, high = DEFAULT_BINS
    return "neg" if value < low else ("pos" if value > high else "neu")


def _add_levels(factors: dict[str, list[Any]], header: dict[str, Any]) -> None:
    """A suite header's factors and levels added to `factors`, in suite order, once each."""
    for name, levels in (header.get("factors") or {}).items():
        known = factors.setdefault(name, [])
        known.extend(lv for lv in levels if lv not in known)


def _suite_factors(
    store: Store, run_id: str
) -> tuple[dict[str, list[Any]], list[str], dict[CaseKey, dict[str, Any]]]:
    """Factor levels in suite order, scorer names in suite order, and each case's metadata."""
    factors: dict[str, list[Any]] = {}
    scorer_order: list[str] = []
    metadata: dict[CaseKey, dict[str, Any]] = {}
    for suite, suite_hash in sorted(store.run_suite_hashes(run_id).items()):
        header = store.suite_record(suite_hash)["header"] or {}
        _add_levels(factors, header)
        for scorer in header.get("scorers") or []:
            name = scorer.get("name") if isinstance(scorer, dict) else str(scorer)
            if name and name not in scorer_order:
                scorer_order.append(name)
        for case in store.iter_cases(suite_hash):
            metadata[(suite, case["id"])] = case.get("metadata") or {}
    return factors, scorer_order, metadata


CI_METHOD = "t"


def _ci(found: tuple[float, float] | None) -> list[float] | None:
    return None if found is None else [float(found[0]), float(found[1])]


@dataclass
class _Scored:
    """One scoring pass of a run, read once: what `factor_report` and `factor_pivot` group."""

    run_id: str
    scores_from: dict[str, Any]
    factors: dict[str, list[Any]]
    metadata: dict[CaseKey, dict[str, Any]]
    scorer: str | None
    per_model: dict[str, dict[CaseKey, _Case]]
    bounds: tuple[float, float]


def _check_factors(
    factors: dict[str, list[Any]], named: tuple[tuple[str, str | None], ...]
) -> None:
    for flag, name in named:
        if name is not None and name not in factors:
            known = ", ".join(factors) if factors else "none: the run has no grid suite"
            raise ConfigError(f"{flag}: unknown factor {name!r} (factors: {known})")


def _scored(store: Store, run_id: str, score_pass: str | int | None) -> _Scored:
    run = store.get_run(run_id)
    shown = resolve_pass(store, run.id, score_pass)
    factors, scorer_order, metadata = _suite_factors(store, run.id)
    rows = pass_scores(store, run.id, shown.pass_no)
    present = {r[3] for r in rows}
    scorer = (
        STANCE
        if STANCE in present
        else next((n for n in scorer_order if n in present), min(present, default=None))
    )
    per_model: dict[str, dict[CaseKey, _Case]] = defaultdict(dict)
    for model, suite, case_id, name, value, details in rows:
        if name != scorer:
            continue
        one = per_model[model].setdefault((suite, case_id), _Case())
        one.values.append(value)
        one.bins[_bin(value, json.loads(details) if details else {})] += 1
    values = [c.mean for cases in per_model.values() for c in cases.values()]
    bounds = (min([-1.0 if scorer == STANCE else 0.0, *values]), max([1.0, *values]))
    return _Scored(run.id, shown.as_dict(), factors, metadata, scorer, per_model, bounds)


def factor_report(
    store: Store,
    run_id: str,
    by: str | None,
    *,
    paired_by: str | None = None,
    score_pass: str | int | None = None,
) -> dict[str, Any]:
    """Per model: mean, interval and bin shares per level of `by`, and paired uplifts, from
    one scoring pass (`score_pass`: a number, `judge=MODEL`, or None for the latest)."""
    found = _scored(store, run_id, score_pass)
    factors = found.factors
    _check_factors(factors, (("--by", by), ("--paired-by", paired_by)))
    by = by or paired_by  # `--paired-by F` alone also shows the levels of F
    if by is None:
        raise ConfigError("--by: give a factor (or --paired-by)")
    models = []
    for model in sorted(found.per_model):
        cases = found.per_model[model]
        entry: dict[str, Any] = {
            "model": model,
            "levels": _levels(cases, found.metadata, by, factors[by], found.bounds),
        }
        if paired_by is not None:
            entry["uplift"] = _uplift(cases, found.metadata, paired_by, factors, found.bounds)
        models.append(entry)
    return {
        "run_id": found.run_id,
        "by": by,
        "paired_by": paired_by,
        "scorer": found.scorer,
        "scores_from": found.scores_from,
        "models": models,
    }


def factor_pivot(
    store: Store,
    run_id: str,
    rows: str,
    cols: str,
    *,
    score_pass: str | int | None = None,
) -> dict[str, Any]:
    """Per model, the cases at each pair of levels of two factors (`rows` x `cols`): mean,
    n and interval per cell, the same unit (case means) and t interval as `factor_report`,
    to see whether one factor's effect depends on the other."""
    found = _scored(store, run_id, score_pass)
    _check_factors(found.factors, (("--pivot", rows), ("--pivot", cols)))
    if rows == cols:
        raise ConfigError(f"--pivot: give two different factors, not {rows!r} twice")
    row_levels, col_levels = found.factors[rows], found.factors[cols]
    models = []
    for model in sorted(found.per_model):
        cells: dict[tuple[str | None, str | None], list[float]] = defaultdict(list)
        for key, case in found.per_model[model].items():
            meta = found.metadata.get(key, {})
            cells[(_level_of(meta, rows), _level_of(meta, cols))].append(case.mean)
        grid = []
        for r in row_levels:
            line = []
            for c in col_levels:
                means = cells.get((level_text(r), level_text(c)), [])
                n = len(means)
                line.append(
                    {
                        "n": n,
                        "mean": sum(means) / n if n else None,
                        "ci95": _ci(t_interval(means, bounds=found.bounds)),
                        "ci_method": CI_METHOD,
                    }
                )
            grid.append(line)
        models.append({"model": model, "cells": grid})
    return {
        "run_id": found.run_id,
        "rows": rows,
        "cols": cols,
        "row_levels": row_levels,
        "col_levels": col_levels,
        "scorer": found.scorer,
        "scores_from": found.scores_from,
        "models": models,
    }


def parse_pivot(raw: str | None) -> tuple[str, str] | None:
    """`--pivot A,B` (and the page's `pivot=A,B`) as two factor names, checked later against
    the run's factors by `factor_pivot`."""
    if raw is None or not raw.strip():
        return None
    parts = [p.strip() for p in raw.split(",")]
    if len(parts) != 2 or not all(parts):
        raise ConfigError(f"--pivot: expected two factors as A,B, got {raw!r}")
    return parts[0], parts[1]


def run_factors(store: Store, run_id: str) -> dict[str, list[Any]]:
    """The factors of a run's grid suites and their levels in suite order ({} for no grid)."""
    factors: dict[str, list[Any]] = {}
    for _, suite_hash in sorted(store.run_suite_hashes(store.get_run(run_id).id).items()):
        _add_levels(factors, store.suite_record(suite_hash)["header"] or {})
    return factors


def _level_of(meta: dict[str, Any], factor: str) -> str | None:
    return level_text(meta[factor]) if factor in meta else None


def _levels(
    cases: dict[CaseKey, _Case],
    metadata: dict[CaseKey, dict[str, Any]],
    factor: str,
    levels: list[Any],
    bounds: tuple[float, float],
) -> list[dict[str, Any]]:
    out = []
    for level in levels:
        text = level_text(level)
        found = [c for k, c in cases.items() if _level_of(metadata.get(k, {}), factor) == text]
        n = len(found)
        means = [c.mean for c in found]
        shares = {b: sum(c.bins[b] / len(c.values) for c in found) / n if n else None for b in BINS}
        out.append(
            {
                "level": level,
                "n": n,
                "mean": sum(means) / n if n else None,
                "ci95": _ci(t_interval(means, bounds=bounds)),
                "ci_method": CI_METHOD,
                "bins": shares,
            }
        )
    return out


def _uplift(
    cases: dict[CaseKey, _Case],
    metadata: dict[CaseKey, dict[str, Any]],
    factor: str,
    factors: dict[str, list[Any]],
    bounds: tuple[float, float],
) -> dict[str, dict[str, Any]]:
    """Mean of value(a) - value(b) over matched sets holding both levels, for a before b."""
    others = [f for f in factors if f != factor]
    sets: dict[tuple[Any, ...], dict[str, float]] = defaultdict(dict)
    for (suite, case_id), case in cases.items():
        meta = metadata.get((suite, case_id), {})
        level = _level_of(meta, factor)
        if level is not None:
            key = (suite, *(_level_of(meta, f) for f in others))
            sets[key][level] = case.mean
    texts = [level_text(lv) for lv in factors[factor]]
    out: dict[str, dict[str, Any]] = {}
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            both = [s for s in sets.values() if a in s and b in s]
            va, vb = [s[a] for s in both], [s[b] for s in both]
            n = len(both)
            diffs = [x - y for x, y in zip(va, vb, strict=True)]
            span = bounds[1] - bounds[0]
            out[f"{a}-{b}"] = {
                "level": a,
                "baseline": b,
                "mean": sum(diffs) / n if n else None,
                "ci95": _ci(t_interval(diffs, bounds=(-span, span))),
                "ci_method": CI_METHOD,
                "n": n,
            }
    return out
