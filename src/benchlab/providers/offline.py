"""Models that need no key and no network: `oracle` and `echo`.

They are real providers (same interface, same engine path, same store rows),
which makes them the fastest way to validate a suite and its scorers
(`oracle` should pass every case) and to exercise the whole pipeline in tests
and CI without an API key.
"""

from __future__ import annotations

import json
from typing import Any

from benchlab.providers.base import Completion, GenerateRequest, estimate_tokens, messages_text
from benchlab.providers.errors import NoRecordedAnswer


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

    async def aclose(self) -> None:
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
