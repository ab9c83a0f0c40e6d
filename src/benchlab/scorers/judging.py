"""What every judge shares: its prompt, its call to the judge model, reading the reply, its bill.

Judges ask for JSON in the message content (plus `response_format` JSON mode,
which providers that support it honour and the others drop) and read the
first JSON object of the reply, because models wrap JSON in prose or code
fences even when told not to. A reply that cannot be used is not scored as 0:
the judge is re-asked a bounded number of times, showing it its own reply and
what was wrong with it, and if it still fails the verdict is an error that
says so. Every call goes through the scorer context, i.e. the engine's lanes:
the judge shares the run's limits, retries on 429s and response cache.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from benchlab.domain import Case
from benchlab.errors import ConfigError, OptionError
from benchlab.providers.base import Completion, GenerateRequest
from benchlab.providers.errors import ProviderError
from benchlab.scorers.base import ScoreContext, ScoreResult

if TYPE_CHECKING:
    from jinja2 import Template

T = TypeVar("T")
JSON_MODE: dict[str, Any] = {"type": "json_object"}
_SNIPPET = 160


class JudgeReplyError(Exception):
    """The judge's replies stayed unusable after every re-ask."""


def first_json_object(text: str) -> dict[str, Any] | None:
    """The first JSON object in `text` (prose, code fences and trailing text are skipped)."""
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            value, _ = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            value = None
        if isinstance(value, dict):
            return value
        start = text.find("{", start + 1)
    return None


def as_number(value: Any, what: str) -> float:
    """A judge's number; numeric strings ("7", "0.5") are accepted, anything else is not."""
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise ValueError(f"{what} must be a number, got {value!r}") from None
    else:
        raise ValueError(f"{what} must be a number, got {value!r}")
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{what} must be a finite number")
    return number


def reasoning_of(data: dict[str, Any]) -> str:
    value = data.get("reasoning", data.get("explanation", ""))
    return value if isinstance(value, str) else json.dumps(value)


def compile_template(source: str, scorer: str) -> Template:
    """A judge prompt template, sandboxed; a syntax error is a ConfigError naming the scorer."""
    from jinja2 import StrictUndefined, TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    try:
        return env.from_string(source)
    except TemplateSyntaxError as exc:
        raise ConfigError(f"{scorer}: template syntax error on line {exc.lineno}: {exc}") from None


def template_hash(system: str | None, template: str) -> str:
    """SHA-256 of the instructions a judge reads (system prompt + template), stored per verdict."""
    blob = json.dumps([system or "", template], ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def question_text(case: Case) -> str:
    """The question as the judge is shown it (a chat becomes `role: content` lines)."""
    if isinstance(case.input, str):
        return case.input
    return "\n\n".join(f"{m.role}: {m.content}" for m in case.input)


def reference_text(case: Case) -> str | None:
    """The case's reference answer as text, or None when it has none."""
    value = case.reference if case.reference is not None else case.expected
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(x, str | int | float) for x in value):
        return "; ".join(str(x) for x in value)
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class PlannedCall:
    """One call a judging scorer would make for a verdict, as a dry run prices it.

    `messages` are the prompt exactly as `score` would send it (rendered from the
    scorer's own template), so the estimate follows a suite's custom template;
    `verdicts` is how many scores the reply must hold (criteria asked together,
    or 1), which sizes the reply allowance; `max_tokens` is the scorer's own cap.
    """

    messages: list[dict[str, Any]]
    verdicts: int = 1
    max_tokens: int | None = None


@dataclass
class JudgeUsage:
    """A judge's spend on one verdict, kept apart from the judged model's spend."""

    model: str
    template_sha256: str
    calls: int = 0
    reasks: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0
    # Calls answered from the response cache: priced in `cost_usd` (what judging this run
    # costs) but not paid this time, so monthly spend leaves them out.
    cached_calls: int = 0
    paid_usd: float | None = 0.0

    def add(self, completion: Completion, ctx: ScoreContext) -> None:
        self.calls += 1
        self.input_tokens += completion.input_tokens or 0
        self.output_tokens += completion.output_tokens or 0
        price = ctx.price(self.model)
        cost = (
            None
            if price is None
            else (price.cost(completion.input_tokens, completion.output_tokens) or 0.0)
        )
        if completion.from_cache:
            self.cached_calls += 1
        if cost is None:
            self.cost_usd = None
            if not completion.from_cache:
                self.paid_usd = None
            return
        if self.cost_usd is not None:
            self.cost_usd += cost
        if self.paid_usd is not None and not completion.from_cache:
            self.paid_usd += cost

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "template_sha256": self.template_sha256,
            "calls": self.calls,
            "reasks": self.reasks,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": self.cost_usd,
            "cached_calls": self.cached_calls,
            "paid_usd": self.paid_usd,
        }


@dataclass(frozen=True)
class JudgeOptions:
    """Options every judging scorer takes (and `pairwise` too)."""

    judge_model: str | None = None
    reasks: int = 2
    json_mode: bool = True
    temperature: float | None = 0.0
    max_tokens: int | None = None

    def __post_init__(self) -> None:
        if self.reasks < 0:
            raise ValueError(f"reasks must be >= 0, got {self.reasks}")
        if self.judge_model is not None and not self.judge_model.strip():
            raise ValueError("judge_model must not be empty")

    def model_for(self, ctx: ScoreContext, scorer: str) -> str:
        """The run's --judge-model beats the suite's `judge_model`; one of them must be set."""
        model = ctx.judge_model or self.judge_model
        if model is None:
            raise OptionError(
                "judge_model",
                f"scorer {scorer!r} needs a judge model: give it `judge_model:` or pass {{option}}",
            )
        return model

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.temperature is not None:
            params["temperature"] = self.temperature
        if self.max_tokens is not None:
            params["max_tokens"] = self.max_tokens
        return params


async def ask_json(
    ctx: ScoreContext,
    model: str,
    messages: list[dict[str, Any]],
    parse: Callable[[dict[str, Any]], T],
    options: JudgeOptions,
    usage: JudgeUsage,
) -> T:
    """Ask the judge; re-ask (showing it its reply and the problem) until `parse` accepts.

    `parse` raises ValueError for a reply it cannot use. Provider errors (after
    the engine's own retries) propagate as they are.
    """
    convo = list(messages)
    problem, reply = "", ""
    for attempt in range(options.reasks + 1):
        request = GenerateRequest(
            model=model,
            messages=convo,
            params=options.params(),
            response_format=JSON_MODE if options.json_mode else None,
        )
        completion = await ctx.generate(model, request)
        usage.add(completion, ctx)
        reply = completion.text
        data = first_json_object(reply)
        if data is None:
            problem = "the reply holds no JSON object"
        else:
            try:
                return parse(data)
            except ValueError as exc:
                problem = str(exc)
        if attempt < options.reasks:
            usage.reasks += 1
            convo = [
                *messages,
                {"role": "assistant", "content": reply},
                {
                    "role": "user",
                    "content": f"That reply could not be used: {problem}. "
                    "Reply again with only the JSON object asked for.",
                },
            ]
    snippet = " ".join(reply.split())[:_SNIPPET]
    tries = options.reasks + 1
    raise JudgeReplyError(
        f"judge {model} gave no valid JSON in {tries} tr{'y' if tries == 1 else 'ies'} "
        f"({problem}); last reply: {snippet!r}"
    )


def judge_failure(exc: Exception, usage: JudgeUsage, extra: dict[str, Any]) -> ScoreResult:
    """The verdict when the judge could not give one: an error (no verdict), never a silent 0.

    `error_kind` makes the attempt an error of that kind (a failed judge call keeps
    its provider's kind, anything else is `scorer`), so it is counted apart and
    `resume --retry-errors` asks again.
    """
    if isinstance(exc, JudgeReplyError):
        kind, text, error_kind = "judge_invalid_json", str(exc), "scorer"
    elif isinstance(exc, ProviderError):
        kind, text, error_kind = type(exc).__name__, f"judge call failed: {exc}", exc.kind
    elif isinstance(exc, ConfigError):
        kind, text, error_kind = "ConfigError", str(exc), "scorer"
    else:
        kind, text, error_kind = type(exc).__name__, f"template error: {exc}", "scorer"
    return ScoreResult(
        value=None,
        passed=None,
        explanation=f"judge error: {text}",
        details={**extra, "error": kind, "error_kind": error_kind, "judge": usage.as_dict()},
    )


def judge_errors() -> tuple[type[Exception], ...]:
    """What a judging scorer turns into an error verdict (anything else is a bug)."""
    from jinja2 import TemplateError

    return (JudgeReplyError, ProviderError, ConfigError, TemplateError)
