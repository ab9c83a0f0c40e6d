"""OpenAI-style chat logs: one {"request": ..., "response": ...} JSON object per line.

The request is a Chat Completions request body ({"model", "messages", ...}),
the response its response body. Mapping:

- input: request.messages (text parts of list contents joined; other parts left out)
- output: response.choices[0].message.content (null with tool calls: "" and the
  calls in metadata.tool_calls)
- model: response.model, else request.model
- timestamp: response.created (epoch seconds), else a top-level "timestamp"
- id: response.id; tokens: response.usage.prompt_tokens / completion_tokens
- feedback: a top-level "feedback" object ({score, label, comment}), as ours
- metadata: a top-level "metadata" object, plus `request_params` (the request's
  other fields: temperature, max_tokens, ...) and `finish_reason`
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import ValidationError

from benchlab.samples.formats.items import Item
from benchlab.samples.formats.json_lines import read_json_lines
from benchlab.samples.formats.jsonl import validation_reason
from benchlab.samples.formats.messages import content_text, messages_of
from benchlab.samples.line import Feedback
from benchlab.samples.record import ImportedSample, parse_timestamp

__all__ = ["read_openai_chat"]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _sample(data: Any) -> ImportedSample:
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    request, response = data.get("request"), data.get("response")
    if not isinstance(request, dict) or not isinstance(response, dict):
        raise ValueError('no "request" and "response" objects')
    messages = messages_of(request.get("messages"), "request.messages")
    choices = response.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise ValueError("response.choices: no first choice")
    message = choices[0].get("message")
    if not isinstance(message, dict):
        raise ValueError("response.choices[0].message: missing")
    metadata: dict[str, Any] = {}
    if isinstance(data.get("metadata"), dict):
        metadata.update(data["metadata"])
    params = {k: v for k, v in request.items() if k not in ("messages", "model")}
    if params:
        metadata["request_params"] = params
    if choices[0].get("finish_reason") is not None:
        metadata["finish_reason"] = choices[0]["finish_reason"]
    if message.get("content") is None and message.get("tool_calls"):
        metadata["tool_calls"] = message["tool_calls"]
    elif message.get("content") is None:
        raise ValueError("response.choices[0].message: no content and no tool calls")
    feedback = Feedback()
    if data.get("feedback") is not None:
        try:
            feedback = Feedback.model_validate(data["feedback"])
        except ValidationError as exc:
            raise ValueError(f"feedback.{validation_reason(exc)}") from None
    try:
        timestamp = parse_timestamp(response.get("created") or data.get("timestamp"))
    except ValueError:
        raise ValueError("response.created: not a timestamp") from None
    usage: dict[str, Any] = response["usage"] if isinstance(response.get("usage"), dict) else {}
    model = response.get("model") or request.get("model")
    return ImportedSample(
        input=messages,
        output=content_text(message.get("content")),
        timestamp=timestamp,
        model=model if isinstance(model, str) else None,
        sample_id=response.get("id") if isinstance(response.get("id"), str) else None,
        feedback_score=feedback.score,
        feedback_label=feedback.label,
        feedback_comment=feedback.comment,
        metadata=metadata,
        input_tokens=_int(usage.get("prompt_tokens")),
        output_tokens=_int(usage.get("completion_tokens")),
    )


def read_openai_chat(lines: Iterable[str]) -> Iterator[Item]:
    return read_json_lines(lines, _sample)
