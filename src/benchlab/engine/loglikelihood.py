"""Log-likelihood mode: an attempt asks how likely each choice is instead of generating.

A suite whose header says `metadata.mode: loglikelihood` (MMLU, ARC,
HellaSwag, TruthfulQA scored as lm-eval scores them) has cases that carry a
context and the continuations to score (scorers/choice_logprobs.py). For
such a suite the run loop asks each case's continuations through the gateway
(`ModelGateway.loglikelihood`: the same lanes, limits, retries and budget as
a generation) and stores the answer as the attempt's output, a small JSON
document, so the `loglikelihood` and `mc2` scorers grade (case, output) alone
and a stored run can be scored again with nothing sent. The answer cache keys
such a request by what decides the logprobs: endpoint, model, context and
continuations (generation params change nothing).

Everything that can be wrong is found before the run starts: a case without
its context and continuations, and a model whose provider cannot give prompt
logprobs (a chat-only API), in one line each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from benchlab.domain import Case, ModelProfile
from benchlab.errors import ConfigError
from benchlab.providers.base import Completion, estimate_tokens
from benchlab.providers.loglikelihood import (
    LoglikelihoodProvider,
    LoglikelihoodRequest,
    Loglikelihoods,
)
from benchlab.providers.registry import ProviderPool
from benchlab.scorers.choice_logprobs import ChoiceLogprobs, LoglikelihoodCase, loglikelihood_case

if TYPE_CHECKING:
    from benchlab.engine.plan import SuitePlan, WorkItem

__all__ = [
    "as_completion",
    "cache_parts",
    "check_case",
    "check_providers",
    "estimate_loglikelihood",
    "loglikelihood_messages",
    "loglikelihood_request",
    "prompts_for_budget",
]


def check_case(plan: SuitePlan, case: Case) -> LoglikelihoodCase:
    """The case's context and continuations; a ConfigError naming the suite when missing."""
    try:
        return loglikelihood_case(case)
    except ValueError as exc:
        raise ConfigError(f"suite {plan.name!r}: {exc}") from None


def check_providers(plans: list[SuitePlan], models: list[ModelProfile], pool: ProviderPool) -> None:
    """Every model of a run with a log-likelihood suite can score continuations; else one
    line naming the model, its provider and what it would need."""
    scored = [p.name for p in plans if p.loglikelihood]
    if not scored:
        return
    for profile in models:
        provider = pool.get(profile)
        if not isinstance(provider, LoglikelihoodProvider):
            raise ConfigError(
                f"model {profile.name!r}: suite {scored[0]!r} is scored by log-likelihood, "
                f"which provider {profile.provider!r} cannot give: it needs a completions "
                "endpoint that returns prompt logprobs (echo + logprobs), e.g. vllm/MODEL "
                "or openai/MODEL with the base URL of such a server"
            )


def loglikelihood_messages(case: Case) -> list[dict[str, Any]]:
    """What the attempt records as its prompt: the context every continuation follows."""
    return [{"role": "user", "content": loglikelihood_case(case).context}]


def cache_parts(case: Case) -> list[dict[str, Any]]:
    """What a log-likelihood answer depends on besides endpoint and model (its cache key)."""
    block = loglikelihood_case(case)
    return [
        {
            "mode": "loglikelihood",
            "context": block.context,
            "continuations": block.continuations,
        }
    ]


def estimate_loglikelihood(case: Case) -> tuple[int, int]:
    """(input, output) tokens: the context alone and with every continuation (how the
    OpenAI-compatible provider asks, providers/echo_logprobs.py), one token generated
    after each prompt (as lm-eval asks)."""
    block = loglikelihood_case(case)
    prompts = [block.context, *(block.context + c for c in block.continuations)]
    return sum(estimate_tokens(p) for p in prompts), len(prompts)


def loglikelihood_request(item: WorkItem, timeout: float) -> LoglikelihoodRequest:
    case = item.case
    block = loglikelihood_case(case)
    return LoglikelihoodRequest(
        model=item.model.model_id,
        context=block.context,
        continuations=block.continuations,
        timeout=timeout,
        suite=item.suite.name,
        case_id=case.id,
        sample=item.sample,
        expected=case.expected,
    )


def prompts_for_budget(request: LoglikelihoodRequest) -> list[dict[str, Any]]:
    """The request's prompts as messages, for the budget's bound on input tokens (the
    context alone, then with each continuation; see `estimate_loglikelihood`)."""
    return [{"content": request.context}] + [
        {"content": request.context + c} for c in request.continuations
    ]


def as_completion(result: Loglikelihoods, case: Case) -> Completion:
    """The answer as the attempt stores it: the document the scorers read, with the
    server's token counts."""
    block = loglikelihood_case(case)
    if len(result.logprobs) != len(block.continuations):
        raise ValueError(
            f"{len(result.logprobs)} logprobs for {len(block.continuations)} continuations"
        )
    doc = ChoiceLogprobs(result.logprobs, result.is_greedy, block.lengths())
    return Completion(
        text=doc.dumps(),
        finish_reason=None,
        input_tokens=result.input_tokens,
        output_tokens=result.output_tokens,
    )
