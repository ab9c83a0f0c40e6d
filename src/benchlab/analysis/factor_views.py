"""A grid run's factor view as one typed document: what `show --by/--paired-by` prints, the
pivot of two factors, and which factors the run has, for the JSON API and the dashboard.

The numbers are `analysis.factors`' (`factor_report`, `factor_pivot`), the same calls
the CLI makes; this module only gives them a typed shape (the server's
`response_model`, so /openapi.json documents every field) and picks the defaults
a page needs when nothing was asked: the first factor, and the first two
factors for the pivot.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from benchlab.analysis.factors import STANCE, factor_pivot, factor_report, run_factors
from benchlab.store import Store
from benchlab.store.passes import resolve_pass

__all__ = [
    "Bins",
    "FactorDocument",
    "FactorLevel",
    "FactorModel",
    "FactorPivot",
    "FactorUplift",
    "Level",
    "PivotCell",
    "PivotModel",
    "factor_view",
    "grid_summary",
]

Level = str | int | float | bool
Interval = list[float] | None


class Bins(BaseModel):
    """Mean share of a case's samples the judge put on each side (null: no cases)."""

    neg: float | None
    neu: float | None
    pos: float | None


class FactorLevel(BaseModel):
    level: Level
    n: int = Field(description="cases at this level (samples averaged per case first)")
    mean: float | None
    ci95: Interval = Field(description="Student's t interval over cases; null below 2 cases")
    ci_method: str
    bins: Bins


class FactorUplift(BaseModel):
    pair: str = Field(description='"level-baseline", as `show --paired-by` labels it')
    level: str
    baseline: str
    n: int = Field(description="matched sets holding both levels")
    mean: float | None = Field(description="mean of score(level) - score(baseline) over sets")
    ci95: Interval
    ci_method: str


class FactorModel(BaseModel):
    model: str
    levels: list[FactorLevel]
    uplift: list[FactorUplift] | None = Field(
        default=None, description="present when `paired_by` was given"
    )


class PivotCell(BaseModel):
    n: int
    mean: float | None
    ci95: Interval
    ci_method: str


class PivotModel(BaseModel):
    model: str
    cells: list[list[PivotCell]] = Field(description="one row per row level, in order")


class FactorPivot(BaseModel):
    rows: str
    cols: str
    row_levels: list[Level]
    col_levels: list[Level]
    models: list[PivotModel]


class FactorDocument(BaseModel):
    """A grid run by one factor, paired uplifts by another, and a pivot of two."""

    run_id: str
    factors: dict[str, list[Level]] = Field(description="the run's factors and their levels")
    by: str | None = Field(description="null when the run has no grid")
    paired_by: str | None
    scorer: str | None = Field(description="the scorer grouped (stance when the run has it)")
    sided: bool = Field(description="the scorer is the signed stance scale, so bins mean sides")
    scores_from: dict[str, Any] = Field(description="the scoring pass the numbers come from")
    models: list[FactorModel]
    pivot: FactorPivot | None = Field(description="null when the run has only one factor")


def _uplifts(found: dict[str, dict[str, Any]]) -> list[FactorUplift]:
    return [FactorUplift(pair=pair, **row) for pair, row in found.items()]


def factor_view(
    store: Store,
    run_id: str,
    *,
    by: str | None = None,
    paired_by: str | None = None,
    pivot: tuple[str, str] | None = None,
    score_pass: str | int | None = None,
) -> FactorDocument:
    """The factor view of a run; `by` defaults to `paired_by`, else the first factor, and
    the pivot to the first two factors. A run without a grid has an empty view."""
    factors = run_factors(store, run_id)
    if not factors and by is None and paired_by is None and pivot is None:
        return _no_grid(store, run_id, score_pass)
    if by is None and paired_by is None:  # the first factor (or the pivot's, to say it is none)
        by = next(iter(factors), pivot[0] if pivot else None)
    report = factor_report(store, run_id, by, paired_by=paired_by, score_pass=score_pass)
    if pivot is None and len(factors) > 1:
        first, second, *_ = factors
        pivot = (report["by"], second if report["by"] == first else first)
    table = None
    if pivot is not None:
        found = factor_pivot(store, run_id, *pivot, score_pass=score_pass)
        table = FactorPivot.model_validate(found)
    return FactorDocument(
        run_id=report["run_id"],
        factors=factors,
        by=report["by"],
        paired_by=report["paired_by"],
        scorer=report["scorer"],
        sided=report["scorer"] == STANCE,
        scores_from=report["scores_from"],
        models=[
            FactorModel(
                model=m["model"],
                levels=[FactorLevel.model_validate(row) for row in m["levels"]],
                uplift=_uplifts(m["uplift"]) if "uplift" in m else None,
            )
            for m in report["models"]
        ],
        pivot=table,
    )


def _no_grid(store: Store, run_id: str, score_pass: str | int | None) -> FactorDocument:
    """A run without a grid has no factors: an empty view (asking for a factor of it is a
    user error, from `factor_report`)."""
    run = store.get_run(run_id)
    shown = resolve_pass(store, run.id, score_pass)
    return FactorDocument(
        run_id=run.id,
        factors={},
        by=None,
        paired_by=None,
        scorer=None,
        sided=False,
        scores_from=shown.as_dict(),
        models=[],
        pivot=None,
    )


def grid_summary(store: Store, run_id: str) -> dict[str, Any] | None:
    """What a run page says of a grid run: its factors with their levels (None: no grid)."""
    factors = run_factors(store, run_id)
    if not factors:
        return None
    return {"factors": {k: [str(v) for v in levels] for k, levels in factors.items()}}
