"""`--dry-run`: render every prompt and estimate tokens and cost, without calling anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benchlab.engine.config import RunConfig
from benchlab.engine.plan import estimate, plan_suites, validate_cases, work_items
from benchlab.providers.registry import check_spec


@dataclass
class ModelEstimate:
    model: str
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0


@dataclass
class DryRunReport:
    cases: int
    models: list[ModelEstimate]
    example_prompt: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        known = [m.cost_usd for m in self.models]
        return {
            "dry_run": True,
            "cases": self.cases,
            "requests": sum(m.requests for m in self.models),
            "cost_usd": None if any(c is None for c in known) else sum(c or 0 for c in known),
            "models": [vars(m) for m in self.models],
            "example_prompt": self.example_prompt,
        }


def dry_run(config: RunConfig) -> DryRunReport:
    """Token and cost estimates use ~4 characters per token and, for output, the reference
    answer's length capped by max_tokens: an estimate, labelled as one."""
    plans = plan_suites(config)
    for profile in config.models:
        check_spec(profile)
    n_cases = validate_cases(plans, config.models)
    report = DryRunReport(cases=n_cases, models=[])
    for profile in config.models:
        est = ModelEstimate(model=profile.name, cost_usd=None if profile.price is None else 0.0)
        for item in work_items(plans, profile, config.samples, set()):
            if not report.example_prompt:
                report.example_prompt = item.messages
            tin, tout = estimate(item)
            est.requests += 1
            est.input_tokens += tin
            est.output_tokens += tout
        if profile.price is not None:
            est.cost_usd = profile.price.cost(est.input_tokens, est.output_tokens)
        report.models.append(est)
    return report
