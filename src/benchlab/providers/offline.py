"""Models that need no key and no network: `oracle` and `echo`.

They are real providers (same interface, same engine path, same store rows),
which makes them the fastest way to validate a suite and its scorers
(`oracle` should pass every case) and to exercise the whole pipeline in tests
and CI without an API key.

`oracle` also scores continuations by log-likelihood (multiple-choice suites in
`loglikelihood` mode): it knows the right ones from the case's expected answer,
as it knows a reference answer, and gives them logprob 0 (probability 1) and
every other continuation `WRONG_LOGPROB`, so it scores acc, acc_norm and
TruthfulQA's mc2 exactly 1 and checks a suite's gold indices and labels the
way answering its references checks a generative suite.
"""

from __future__ import annotations

import json
from typing import Any

from benchlab.providers.base import Completion, GenerateRequest, estimate_tokens, messages_text
from benchlab.providers.errors import NoRecordedAnswer
from benchlab.providers.loglikelihood import LoglikelihoodRequest, Loglikelihoods

# The oracle's logprob for a wrong continuation: exp() of it is exactly 0.0 in floating point,
# and divided by any length it stays far below the right ones' 0.
WRONG_LOGPROB = -1000.0


class NoReference(NoRecordedAnswer):
    """`oracle` was asked a case without an expected answer (or reference): it has nothing
    to answer, and an empty answer would be scored as the suite's failure. An error, not a
    fail; the engine also warns, naming the cases, before the run starts."""


def reference_answer(reference: Any) -> str:
    """The text an ideal model would answer for a case's reference."""
    if reference is None:
        return ""
    if isinstance(reference, str):
        return reference
    if isinstance(reference, bool):
        return "true" if reference else "false"
    if isinstance(reference, int | float):
        return repr(reference) if isinstance(reference, float) else str(reference)
    if isinstance(reference, list) and all(isinstance(x, str | int | float) for x in reference):
        return "; ".join(str(x) for x in reference)
    return json.dumps(reference)


class OracleProvider:
    family = "oracle"
    endpoint = "offline:oracle"

    async def generate(self, request: GenerateRequest) -> Completion:
        if request.reference is None:
            raise NoReference(
                f"case {request.case_id!r} has no expected answer: oracle has nothing to answer"
            )
        text = reference_answer(request.reference)
        return Completion(
            text=text,
            finish_reason="stop",
            input_tokens=estimate_tokens(messages_text(request.messages)),
            output_tokens=estimate_tokens(text),
        )

    async def loglikelihood(self, request: LoglikelihoodRequest) -> Loglikelihoods:
        right = right_continuations(request.expected, len(request.continuations))
        if right is None:
            raise NoReference(
                f"case {request.case_id!r} has no expected {{'gold': index}} or "
                "{'labels': [...]} (one per continuation): oracle cannot tell the right one"
            )
        return Loglikelihoods(
            logprobs=[0.0 if ok else WRONG_LOGPROB for ok in right],
            is_greedy=list(right),
            input_tokens=sum(estimate_tokens(request.context + c) for c in request.continuations),
            output_tokens=len(request.continuations),
        )

    async def aclose(self) -> None:
        return None


def right_continuations(expected: Any, n: int) -> list[bool] | None:
    """Which of `n` continuations a multiple-choice case's expected answer marks right
    (`{"gold": i}` or `{"labels": [1, 0, ...]}`); None when it marks none."""
    if not isinstance(expected, dict):
        return None
    gold = expected.get("gold")
    if isinstance(gold, int) and not isinstance(gold, bool) and 0 <= gold < n:
        return [i == gold for i in range(n)]
    labels = expected.get("labels")
    if isinstance(labels, list) and len(labels) == n and any(x == 1 for x in labels):
        return [x == 1 for x in labels]
    return None


class EchoProvider:
    family = "echo"
    endpoint = "offline:echo"

    async def generate(self, request: GenerateRequest) -> Completion:
        text = ""
        for message in reversed(request.messages):
            if message.get("role") == "user":
                text = str(message.get("content") or "")
                break
        return Completion(
            text=text,
            finish_reason="stop",
            input_tokens=estimate_tokens(messages_text(request.messages)),
            output_tokens=estimate_tokens(text),
        )

    async def aclose(self) -> None:
        return None
