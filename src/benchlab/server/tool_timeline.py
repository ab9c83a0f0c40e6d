"""An attempt's tool calls as a timeline: each call's name, pretty arguments and result.

Providers store the calls a model made in OpenAI's shape (`{id, type,
function: {name, arguments: "<json text>"}}`; benchlab's own stub and some
providers use `{id, name, arguments: {...}}`); both are read here. benchlab
asks one turn and runs no tools, so a call's result is known only when the
conversation sent to the model already held it (a `tool` message answering
that call id, as an agent's transcript does); otherwise the entry says so.
Arguments are pretty-printed JSON, highlighted; text that is not JSON is kept
as the model wrote it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from benchlab.server.markdown import highlight

__all__ = ["ToolStep", "tool_timeline"]


@dataclass(frozen=True)
class ToolStep:
    index: int
    call_id: str | None
    name: str
    arguments: Markup  # highlighted JSON (or the raw text, escaped)
    result: str | None  # the tool message answering this call, when the prompt held one
    origin: str  # "answer": the model's own call; "prompt": an earlier turn it was shown


def _arguments(raw: Any) -> Markup:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return highlight(raw, None)
    return highlight(json.dumps(raw, indent=2, ensure_ascii=False, sort_keys=True), "json")


def _calls(message: Any) -> list[dict[str, Any]]:
    calls = message.get("tool_calls") if isinstance(message, dict) else None
    return [c for c in calls if isinstance(c, dict)] if isinstance(calls, list) else []


def _step(index: int, call: dict[str, Any], results: dict[str, str], origin: str) -> ToolStep:
    inner = call.get("function")
    fn: dict[str, Any] = inner if isinstance(inner, dict) else call
    call_id = call.get("id") if isinstance(call.get("id"), str) else None
    return ToolStep(
        index=index,
        call_id=call_id,
        name=str(fn.get("name") or "(unnamed)"),
        arguments=_arguments(fn.get("arguments", {})),
        result=results.get(call_id) if call_id else None,
        origin=origin,
    )


def tool_timeline(
    tool_calls: list[dict[str, Any]] | None, prompt: list[dict[str, Any]]
) -> list[ToolStep]:
    """Earlier turns' calls from the prompt, then the answer's own calls, in order."""
    results = {
        str(m["tool_call_id"]): str(m.get("content") or "")
        for m in prompt
        if isinstance(m, dict) and m.get("role") == "tool" and m.get("tool_call_id")
    }
    steps: list[ToolStep] = []
    for message in prompt:
        for call in _calls(message):
            steps.append(_step(len(steps) + 1, call, results, "prompt"))
    for call in tool_calls or []:
        if isinstance(call, dict):
            steps.append(_step(len(steps) + 1, call, results, "answer"))
    return steps
