"""`judge`: a model grades the answer against a rubric of criteria.

Each criterion has a name, a description and a scale (1..10 unless told);
the built-ins (accuracy, relevance, coherence, completeness, conciseness,
helpfulness, safety) can be used by name, overridden, or joined by a suite's
own. Several criteria are asked for in one call (`{"criteria": {...}}`)
unless `separate: true` asks one call per criterion, which costs more but
keeps one criterion's reasoning from colouring the next. The value is the
weighted mean of the criteria, each mapped onto [0, 1], so judges on
different scales can be compared; passed means value >= threshold.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from benchlab.domain import Case
from benchlab.scorers import judge_prompts as prompts
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.judging import (
    JudgeOptions,
    JudgeUsage,
    PlannedCall,
    as_number,
    ask_json,
    compile_template,
    judge_errors,
    judge_failure,
    question_text,
    reasoning_of,
    reference_text,
    template_hash,
)


class Criterion(BaseModel):
    """One rubric line; a built-in name alone brings its description."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    description: str = ""
    scale: tuple[float, float] = (1.0, 10.0)
    weight: float = Field(default=1.0, gt=0)

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        if isinstance(data, str):
            data = {"name": data}
        if isinstance(data, dict) and not data.get("description"):
            builtin = prompts.BUILTIN_CRITERIA.get(str(data.get("name")))
            if builtin is None:
                known = ", ".join(prompts.BUILTIN_CRITERIA)
                raise ValueError(
                    f"criterion {data.get('name')!r} needs a description "
                    f"(built-in criteria: {known})"
                )
            data = {**data, "description": builtin}
        return data

    @model_validator(mode="after")
    def _scale_order(self) -> Criterion:
        if self.scale[1] <= self.scale[0]:
            raise ValueError(f"criterion {self.name!r}: scale must go low to high")
        return self

    def view(self) -> dict[str, Any]:
        low, high = (_fmt(v) for v in self.scale)
        return {"name": self.name, "description": self.description, "low": low, "high": high}

    def normalise(self, score: float) -> float:
        low, high = self.scale
        slack = 1e-9 * (high - low)
        if not low - slack <= score <= high + slack:
            raise ValueError(
                f"score for {self.name!r} is {_fmt(score)}, outside {_fmt(low)}..{_fmt(high)}"
            )
        return min(1.0, max(0.0, (score - low) / (high - low)))


def _fmt(value: float) -> str:
    return f"{value:g}"


class JudgeScorer:
    """Asks a judge model to grade an answer; see the module doc."""

    needs_judge = True

    def __init__(
        self,
        criteria: list[Criterion],
        threshold: float,
        options: JudgeOptions,
        *,
        template: str,
        system: str | None,
        separate: bool,
    ) -> None:
        self.name = "judge"
        self.criteria = criteria
        self.threshold = threshold
        self.options = options
        self.judge_model = options.judge_model
        self.system = system
        self.separate = separate
        self._template = compile_template(template, "judge")
        self.template_sha256 = template_hash(system, template)

    def _messages(self, case: Case, answer: Answer, criteria: list[Criterion]) -> list[Any]:
        if len(criteria) == 1:
            low, high = (_fmt(v) for v in criteria[0].scale)
            reply_format = prompts.RUBRIC_REPLY_ONE.format(low=low, high=high)
        else:
            entries = ", ".join(
                f'"{c.name}": {{"score": <{_fmt(c.scale[0])}-{_fmt(c.scale[1])}>, '
                '"reasoning": "..."}'
                for c in criteria
            )
            reply_format = prompts.RUBRIC_REPLY_MANY.format(entries=entries)
        text = self._template.render(
            question=question_text(case),
            answer=answer.output,
            reference=reference_text(case),
            context=case.context,
            metadata=case.metadata,
            criteria=[c.view() for c in criteria],
            reply_format=reply_format,
        )
        messages = [{"role": "user", "content": text}]
        if self.system:
            messages.insert(0, {"role": "system", "content": self.system})
        return messages

    def _groups(self) -> list[list[Criterion]]:
        """The criteria asked per call: all at once, or one call each when `separate`."""
        return [[c] for c in self.criteria] if self.separate else [self.criteria]

    def planned_calls(self, case: Case, answer: Answer) -> list[PlannedCall]:
        """The calls `score` would make for this answer (for dry-run estimates; no re-asks)."""
        return [
            PlannedCall(self._messages(case, answer, group), len(group), self.options.max_tokens)
            for group in self._groups()
        ]

    @staticmethod
    def _parser(criteria: list[Criterion]) -> Any:
        def parse(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
            table = data.get("criteria")
            if not isinstance(table, dict):  # one criterion's bare {"score"}, or names at top
                one = len(criteria) == 1 and "score" in data
                table = {criteria[0].name: data} if one else data
            out: dict[str, dict[str, Any]] = {}
            for c in criteria:
                entry = table.get(c.name)
                if entry is None:
                    raise ValueError(f"no score for criterion {c.name!r}")
                if not isinstance(entry, dict):
                    entry = {"score": entry}
                if "score" not in entry:
                    raise ValueError(f"no score for criterion {c.name!r}")
                score = as_number(entry["score"], f"score for {c.name!r}")
                out[c.name] = {
                    "score": score,
                    "normalized": c.normalise(score),
                    "scale": list(c.scale),
                    "reasoning": reasoning_of(entry),
                }
            return out

        return parse

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        usage = JudgeUsage(model=self.judge_model or "?", template_sha256=self.template_sha256)
        try:
            usage.model = model = self.options.model_for(ctx, self.name)
            verdicts: dict[str, dict[str, Any]] = {}
            for group in self._groups():
                messages = self._messages(case, answer, group)
                verdicts.update(
                    await ask_json(ctx, model, messages, self._parser(group), self.options, usage)
                )
        except judge_errors() as exc:
            return judge_failure(exc, usage, {"threshold": self.threshold})
        total = sum(c.weight for c in self.criteria)
        value = sum(c.weight * verdicts[c.name]["normalized"] for c in self.criteria) / total
        passed = value >= self.threshold
        parts = ", ".join(f"{c.name} {_fmt(verdicts[c.name]['score'])}" for c in self.criteria)
        reason = verdicts[self.criteria[0].name]["reasoning"] if len(self.criteria) == 1 else ""
        explanation = f"{parts} -> {value:.2f} ({'>=' if passed else '<'} {self.threshold:g})"
        if reason:
            explanation += f": {reason}"
        return ScoreResult(
            value=value,
            passed=passed,
            explanation=explanation,
            details={
                "criteria": verdicts,
                "threshold": self.threshold,
                "judge": usage.as_dict(),
            },
        )


def judge(
    *,
    criteria: Any = None,
    threshold: float = 0.5,
    judge_model: str | None = None,
    template: str | None = None,
    system: str | None = prompts.JUDGE_SYSTEM,
    separate: bool = False,
    reasks: int = 2,
    json_mode: bool = True,
    temperature: float | None = 0.0,
    max_tokens: int | None = None,
) -> JudgeScorer:
    """`criteria`: built-in names and/or mappings `{name, description, scale: [lo, hi], weight}`
    (default: accuracy); `threshold` on the normalised [0, 1] value."""
    raw = ["accuracy"] if criteria is None else criteria
    if isinstance(raw, str | dict):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise ValueError("criteria must be a non-empty list of names or mappings")
    try:
        parsed = [Criterion.model_validate(item) for item in raw]
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ValueError(f"criteria: {first['msg'].removeprefix('Value error, ')}") from None
    names = [c.name for c in parsed]
    if len(set(names)) != len(names):
        raise ValueError(f"criteria: a name is given twice in {names}")
    if not 0.0 <= float(threshold) <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    options = JudgeOptions(judge_model, int(reasks), bool(json_mode), temperature, max_tokens)
    return JudgeScorer(
        parsed,
        float(threshold),
        options,
        template=template or prompts.RUBRIC_TEMPLATE,
        system=system,
        separate=bool(separate),
    )
