"""`--dry-run`: render every prompt and estimate tokens and cost, without calling anything.

Judging scorers (judge, stance) call a model of their own for every attempt,
and that spend can rival the models' own, so it is estimated too, per judge
model and scorer, apart from the models' estimate:

- calls: one per attempt per judging scorer, or one per criterion for a rubric
  judge with `separate: true` (re-asks after an unusable reply are not counted:
  a dry run cannot know they will happen);
- input tokens: the judge prompt the scorer would really send, rendered from its
  own template (a suite's custom one included) with the case, its reference and
  an assumed answer as long as the model's estimated output, then counted at
  ~4 characters per token like the models' prompts;
- output tokens: an allowance of `JUDGE_REPLY_TOKENS` per verdict the reply
  holds (`{"score": 7, "reasoning": "<one or two sentences>"}` is ~40-60 tokens),
  capped by the judge's `max_tokens` when one is set;
- cost: from the judge model's price; unknown price -> None, never 0.

`--no-score` runs no scorer, so it estimates no judge either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benchlab.domain import Case, ModelProfile
from benchlab.engine.config import RunConfig
from benchlab.engine.judges import judge_models, profile_for
from benchlab.engine.plan import WorkItem, estimate, plan_suites, validate_cases, work_items
from benchlab.errors import ConfigError
from benchlab.providers.base import estimate_tokens, messages_text
from benchlab.providers.registry import check_spec
from benchlab.scorers.base import Answer, Scorer
from benchlab.scorers.judging import PlannedCall, question_text, reference_text

# Output tokens allowed per verdict in a judge's reply: a score or stance plus one or two
# sentences of reasoning, as the built-in reply formats ask.
JUDGE_REPLY_TOKENS = 60


@dataclass
class ModelEstimate:
    model: str
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0


@dataclass
class JudgeEstimate:
    """What one judge model will be asked by one scorer over the whole run."""

    model: str
    scorer: str
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0


def _sum_costs(costs: list[float | None]) -> float | None:
    """A total that is unknown as soon as one part is (never a made-up 0)."""
    return None if any(c is None for c in costs) else sum(c or 0.0 for c in costs)


@dataclass
class DryRunReport:
    cases: int
    models: list[ModelEstimate]
    example_prompt: list[dict[str, Any]] = field(default_factory=list)
    judges: list[JudgeEstimate] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """`cost_usd` stays the models' own estimate (as before judges were estimated);
        `judge_cost_usd` is the judges' and `total_cost_usd` both, the figure a
        `--max-cost` cap is checked against since the run's budget counts judges too."""
        models_cost = _sum_costs([m.cost_usd for m in self.models])
        judges_cost = _sum_costs([j.cost_usd for j in self.judges])
        return {
            "dry_run": True,
            "cases": self.cases,
            "requests": sum(m.requests for m in self.models),
            "cost_usd": models_cost,
            "models": [vars(m) for m in self.models],
            "judge_requests": sum(j.requests for j in self.judges),
            "judge_cost_usd": judges_cost,
            "judges": [vars(j) for j in self.judges],
            "total_cost_usd": _sum_costs([models_cost, judges_cost]),
            "example_prompt": self.example_prompt,
        }


def _assumed_answer(tokens: int) -> str:
    """Filler as long as `tokens` estimated tokens (the estimate counts characters)."""
    return "x" * (4 * tokens)


class _JudgePlanner:
    """Accumulates the judge calls of a dry run, per (judge model, scorer)."""

    def __init__(self, config: RunConfig) -> None:
        self.config = config
        self.estimates: dict[tuple[str, str], JudgeEstimate] = {}
        self._profiles: dict[str, ModelProfile] = {}
        # The samples of one case follow each other and get the same estimate: render once.
        self._last: tuple[Any, ...] | None = None
        self._last_calls: list[tuple[str, str, int, int]] = []

    def profile(self, model: str) -> ModelProfile:
        found = self._profiles.get(model)
        if found is None:
            # Resolved like the run resolves it: a run model by name, else a spec (checked).
            found = self._profiles[model] = profile_for(model, self.config)
        return found

    def add(self, item: WorkItem, output_tokens: int) -> None:
        plan = item.suite
        if not plan.scoring:
            return
        key = (plan.name, item.position, item.model.name, output_tokens)
        if key != self._last:
            self._last = key
            self._last_calls = self._calls(item, output_tokens)
        for model, scorer, tin, tout in self._last_calls:
            found = self.estimates.get((model, scorer))
            if found is None:
                found = self.estimates[(model, scorer)] = JudgeEstimate(model, scorer)
            found.requests += 1
            found.input_tokens += tin
            found.output_tokens += tout

    def _calls(self, item: WorkItem, output_tokens: int) -> list[tuple[str, str, int, int]]:
        """(judge model, scorer, input tokens, output tokens) of every judge call one
        attempt at this case would cause."""
        plan, case = item.suite, item.case
        answer = Answer(output=_assumed_answer(output_tokens), model=item.model.name)
        out: list[tuple[str, str, int, int]] = []
        for scorer in plan.scorers_for(case):
            if not getattr(scorer, "needs_judge", False):
                continue
            (model,) = judge_models([scorer], self.config.judge_model, plan.name)
            cap = self.profile(model).params.max_tokens
            for call in _planned_calls(scorer, case, answer, plan.name):
                reply = JUDGE_REPLY_TOKENS * max(call.verdicts, 1)
                limit = call.max_tokens or cap
                tokens_out = min(reply, limit) if limit else reply
                tokens_in = estimate_tokens(messages_text(call.messages))
                out.append((model, scorer.name, tokens_in, tokens_out))
        return out

    def report(self) -> list[JudgeEstimate]:
        found = sorted(self.estimates.values(), key=lambda j: (j.model, j.scorer))
        for judge in found:
            price = self.profile(judge.model).price
            judge.cost_usd = (
                None if price is None else price.cost(judge.input_tokens, judge.output_tokens)
            )
        return found


def _planned_calls(scorer: Scorer, case: Case, answer: Answer, suite: str) -> list[PlannedCall]:
    """The scorer's own rendering of its calls; a judging scorer that cannot say (a custom
    one) is taken as one call holding the question, the answer and the reference."""
    from jinja2 import TemplateError

    planner = getattr(scorer, "planned_calls", None)
    if planner is None:
        parts = [question_text(case), answer.output, reference_text(case) or ""]
        return [PlannedCall([{"role": "user", "content": "\n".join(parts)}])]
    try:
        calls: list[PlannedCall] = planner(case, answer)
    except TemplateError as exc:
        # The run would turn every verdict into an error; say so before anything is paid.
        raise ConfigError(
            f"suite {suite!r}: case {case.id!r}: scorer {scorer.name!r}: "
            f"judge template error: {exc}"
        ) from None
    return calls


def dry_run(config: RunConfig) -> DryRunReport:
    """Token and cost estimates use ~4 characters per token and, for output, the reference
    answer's length capped by max_tokens: an estimate, labelled as one. Judges: see the
    module doc."""
    plans = plan_suites(config)
    for profile in config.models:
        check_spec(profile)
    n_cases = validate_cases(plans, config.models)
    report = DryRunReport(cases=n_cases, models=[])
    judges = _JudgePlanner(config)
    for profile in config.models:
        est = ModelEstimate(model=profile.name, cost_usd=None if profile.price is None else 0.0)
        for item in work_items(plans, profile, config.samples, set()):
            if not report.example_prompt:
                report.example_prompt = item.messages
            tin, tout = estimate(item)
            est.requests += 1
            est.input_tokens += tin
            est.output_tokens += tout
            judges.add(item, tout)
        if profile.price is not None:
            est.cost_usd = profile.price.cost(est.input_tokens, est.output_tokens)
        report.models.append(est)
    report.judges = judges.report()
    return report
