"""Run B against run A as the dashboard and `GET /api/compare` show it (its `response_model`).

The statistics (paired test, Holm-adjusted verdict per model) are the same
ones `benchlab compare` and `gate` print (`analysis.compare`); this module only
reshapes them for a browser: flips become links (suite, case id) and an overall
verdict is picked (a regression in any model outweighs an improvement in
another). The model documents every field the document always has; the
nested statistics keep `analysis.compare`'s shapes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from benchlab.analysis.compare import compare_runs as analyse
from benchlab.store import Store

__all__ = ["CaseLink", "CompareDocument", "Flips", "ModelCompared", "compare_view"]

Verdict = Literal["regression", "improvement", "no_change", "untested"]


class CaseLink(BaseModel):
    suite: str | None
    case_id: str


class Flips(BaseModel):
    pass_to_fail: list[CaseLink] = Field(description="passed in A, failed in B")
    fail_to_pass: list[CaseLink] = Field(description="failed in A, passed in B")


class ModelCompared(BaseModel):
    """One model (or model A -> model B) compared case by case."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(description='the model, or "A -> B" when two models are compared')
    model_a: str
    model_b: str
    n_paired: int = Field(description="cases judged on both sides, errored on neither")
    a: float | None = Field(description="A's pass rate over the paired cases")
    b: float | None = Field(description="B's pass rate over the paired cases")
    delta: float | None = Field(description="b - a; null: nothing paired")
    ci95: list[float] | None
    ci_method: str | None
    p_value: float | None
    test: str | None = Field(description="the paired test used")
    mde: float | None = Field(description="the smallest delta this sample could detect")
    flips: Flips
    only_in_a: list[str]
    only_in_b: list[str]
    errors: dict[str, int] = Field(description="cases with an errored attempt, per side")
    errored: dict[str, dict[str, Any]] = Field(description="per side: cases, kinds, messages")
    unjudged: dict[str, list[str]] = Field(description="per side: cases with no verdict")
    summary: dict[str, dict[str, Any]] = Field(description="per side: pass rate over the run")
    cost_usd: dict[str, Any] = Field(description="a, b, delta, ratio")
    latency_ms: dict[str, Any] = Field(description="a, b (mean, p50, p95) and their deltas")
    by_category: dict[str, dict[str, Any]] = Field(description="the same test per category")
    scores: dict[str, dict[str, Any]] = Field(description="per scorer: its mean values' test")
    p_value_adjusted: float | None = Field(description="Holm-adjusted across models")
    verdict: Verdict


class CompareDocument(BaseModel):
    """Per model: rates, delta with its interval, p-value, flips and verdict of B against A."""

    model_config = ConfigDict(extra="allow")

    run_a: str
    run_b: str
    scores_from: dict[str, dict[str, Any]] = Field(description="each side's scoring pass")
    alpha: float
    confidence: float
    p_adjust: dict[str, str] = Field(description="the adjustment across models, categories")
    models: list[ModelCompared]
    unmatched_models: dict[str, list[str]]
    a: str = Field(description="run A's id")
    b: str = Field(description="run B's id")
    method: str
    verdict: Verdict = Field(description="regression if any model regressed, and so on")
    only_in_a: list[str] = Field(description="models of A compared with none of B")
    only_in_b: list[str] = Field(description="models of B compared with none of A")


def _case(label: str, suites: list[str]) -> dict[str, Any]:
    suite, sep, case_id = label.partition(":")
    if sep and suite in suites:
        return {"suite": suite, "case_id": case_id}
    return {"suite": suites[0] if suites else None, "case_id": label}


def compare_view(
    store: Store,
    run_a: str,
    run_b: str,
    *,
    model: str | None = None,
    pass_a: str | None = None,
    pass_b: str | None = None,
) -> CompareDocument:
    """Per model: rates, delta with its interval, p-value, flips and verdict of B against A
    (each side's scores from its scoring pass `pass_a`/`pass_b`, default the latest)."""
    result = analyse(store, run_a, run_b, model=model, pass_a=pass_a, pass_b=pass_b)
    data = result.as_dict()
    suites = sorted(set(result.run_a.suites) | set(result.run_b.suites))
    models = []
    for entry in data["models"]:
        flips = entry["flips"]
        models.append(
            {
                **entry,
                "flips": {
                    side: [_case(label, suites) for label in flips[side]]
                    for side in ("pass_to_fail", "fail_to_pass")
                },
            }
        )
    verdicts = {m["verdict"] for m in models}
    # untested (nothing judged on both sides) only when no model was tested at all
    overall = next(
        (v for v in ("regression", "improvement", "no_change") if v in verdicts),
        "untested" if verdicts else "no_change",
    )
    return CompareDocument.model_validate(
        {
            **data,
            "a": result.run_a.id,
            "b": result.run_b.id,
            "method": "paired test per model, Holm-adjusted across models",
            "verdict": overall,
            "models": models,
            "only_in_a": data["unmatched_models"]["a"],
            "only_in_b": data["unmatched_models"]["b"],
        }
    )
