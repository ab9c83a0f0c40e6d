"""Log-likelihood requests: how likely a model finds each continuation of one context.

lm-evaluation-harness scores multiple-choice benchmarks (MMLU, ARC, HellaSwag,
TruthfulQA) this way rather than by parsing a generated letter: the model is
shown `context + continuation` for every choice and the log-probabilities of
the continuation's tokens are summed. Only some endpoints can say those
numbers (a completions API that echoes the prompt with its logprobs: vLLM,
OpenAI's legacy completion models, llama.cpp's server once it honours `echo`),
so this is an optional capability beside `Provider`: the engine checks for it
before anything is sent, and a provider without it is refused in one line.

One request carries every continuation of one case (one case, one attempt,
one cache entry); a provider may send them in one HTTP request when its API
takes a list of prompts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

__all__ = ["LoglikelihoodProvider", "LoglikelihoodRequest", "Loglikelihoods"]


@dataclass(slots=True)
class LoglikelihoodRequest:
    """The continuations of one context to score, each with its own leading space (as
    lm-eval's `target_delimiter + choice` makes them)."""

    model: str
    context: str
    continuations: list[str]
    timeout: float | None = None
    # Who is asking: the offline `oracle` answers from `expected`, remote providers ignore it.
    suite: str = ""
    case_id: str = ""
    sample: int = 0
    expected: Any = None


@dataclass(slots=True)
class Loglikelihoods:
    """One entry per continuation, in the request's order.

    `logprobs[i]` is the sum of the log-probabilities of continuation i's tokens
    given the context; `is_greedy[i]` says whether greedy decoding would have
    produced those tokens (None when the server did not send the top logprobs
    that tell). Token counts are the server's own, when it reports usage.
    """

    logprobs: list[float]
    is_greedy: list[bool | None]
    input_tokens: int | None = None
    output_tokens: int | None = None


@runtime_checkable
class LoglikelihoodProvider(Protocol):
    """A provider that can score continuations (one request, no retry: the gateway retries)."""

    family: str
    endpoint: str

    async def loglikelihood(self, request: LoglikelihoodRequest) -> Loglikelihoods: ...
