"""Anthropic Messages API: POST {base_url}/v1/messages.

The engine speaks OpenAI-shaped messages, tools and tool calls everywhere, so
this module translates both ways at the boundary: system messages move to the
top-level ``system`` field, tool calls and tool results become ``tool_use`` /
``tool_result`` blocks, and the reply's blocks come back as text plus
OpenAI-shaped tool calls. Finish reasons are worded the OpenAI way too
(``stop``, ``length``, ``tool_calls``) so the engine can treat every family
alike; reasons with no OpenAI counterpart pass through unchanged.
"""

from __future__ import annotations

import json
from typing import Any

from benchlab.providers._http import JsonHttpClient
from benchlab.providers.base import Completion, GenerateRequest
from benchlab.providers.errors import (
    AuthenticationFailed,
    BadResponse,
    ModelNotFound,
    ProviderError,
    RateLimited,
    RequestRejected,
    ServerError,
)

ANTHROPIC_BASE_URL = "https://api.anthropic.com"
ANTHROPIC_VERSION = "2023-06-01"
DEFAULT_MAX_TOKENS = 1024

# OpenAI params the Messages API has no field for; sending them would get a 400.
_UNSUPPORTED = frozenset(
    {
        "seed",
        "n",
        "frequency_penalty",
        "presence_penalty",
        "logprobs",
        "top_logprobs",
        "logit_bias",
        "user",
        "parallel_tool_calls",
        "response_format",
        "max_completion_tokens",
    }
)

_FINISH = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
}


class AnthropicProvider:
    family = "anthropic"

    def __init__(
        self,
        base_url: str = ANTHROPIC_BASE_URL,
        api_key: str | None = None,
        *,
        extra_headers: dict[str, str] | None = None,
    ) -> None:
        headers = {"anthropic-version": ANTHROPIC_VERSION, **(extra_headers or {})}
        if api_key:
            headers["x-api-key"] = api_key
        self._client = JsonHttpClient(base_url, headers)
        self.endpoint = self._client.base_url
        # Tolerate a base URL given with the version segment, as some proxies document it.
        self._path = "/messages" if self.endpoint.endswith("/v1") else "/v1/messages"

    async def generate(self, request: GenerateRequest) -> Completion:
        data = await self._client.post_json(self._path, build_payload(request), request.timeout)
        return parse_message(data)

    async def aclose(self) -> None:
        await self._client.aclose()


def build_payload(request: GenerateRequest) -> dict[str, Any]:
    """The Messages API body for one request."""
    system, messages = convert_messages(request.messages)
    params = request.params
    payload: dict[str, Any] = {
        "model": request.model,
        "max_tokens": params.get("max_tokens")
        or params.get("max_completion_tokens")
        or DEFAULT_MAX_TOKENS,
        "messages": messages,
    }
    if system:
        payload["system"] = system
    for key, value in params.items():
        if key == "max_tokens" or key in _UNSUPPORTED or value is None:
            continue
        if key == "stop":
            payload["stop_sequences"] = [value] if isinstance(value, str) else list(value)
        elif key == "tool_choice":
            payload["tool_choice"] = _tool_choice(value)
        else:  # temperature, top_p, and Anthropic-native params (top_k, metadata, thinking, ...)
            payload[key] = value
    if request.tools:
        payload["tools"] = [_tool(t) for t in request.tools]
    return payload


def convert_messages(messages: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """OpenAI-shaped chat messages -> (system text, Anthropic messages)."""
    system: list[str] = []
    out: list[dict[str, Any]] = []
    for message in messages:
        role = message.get("role")
        content = message.get("content")
        if role in ("system", "developer"):
            system.append(_text(content))
        elif role == "tool":
            block = {
                "type": "tool_result",
                "tool_use_id": message.get("tool_call_id", ""),
                "content": _text(content),
            }
            # All results for one assistant turn must sit in the single user turn after it.
            last = out[-1] if out else None
            if last is not None and last["role"] == "user" and _is_tool_results(last["content"]):
                last["content"].append(block)
            else:
                out.append({"role": "user", "content": [block]})
        elif role == "assistant" and message.get("tool_calls"):
            blocks: list[dict[str, Any]] = []
            text = _text(content)
            if text:
                blocks.append({"type": "text", "text": text})
            blocks.extend(_tool_use(call) for call in message["tool_calls"])
            out.append({"role": "assistant", "content": blocks})
        elif isinstance(content, str):
            out.append({"role": role, "content": content})
        else:
            out.append({"role": role, "content": _blocks(content)})
    return "\n\n".join(s for s in system if s), out


def parse_message(data: Any) -> Completion:
    """A Messages API reply -> Completion, with tool calls in OpenAI shape."""
    if isinstance(data, dict) and data.get("type") == "error":
        raise _error_body(data)
    try:
        blocks = data["content"]
        if not isinstance(blocks, list):
            raise TypeError("content is not a list")
    except (KeyError, TypeError) as exc:
        raise BadResponse(f"not an Anthropic message: missing content blocks ({exc!r})") from exc
    texts: list[str] = []
    thoughts: list[str] = []
    calls: list[dict[str, Any]] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "text":
            texts.append(block.get("text") or "")
        elif kind == "thinking":
            thoughts.append(block.get("thinking") or "")
        elif kind == "tool_use":
            calls.append(
                {
                    "id": block.get("id"),
                    "type": "function",
                    "function": {
                        "name": block.get("name"),
                        "arguments": json.dumps(block.get("input") or {}),
                    },
                }
            )
    usage = data.get("usage") or {}
    input_tokens = usage.get("input_tokens")
    if input_tokens is not None:
        # Cached prompt tokens are reported apart from input_tokens; they were still read.
        input_tokens += (usage.get("cache_creation_input_tokens") or 0) + (
            usage.get("cache_read_input_tokens") or 0
        )
    stop_reason = data.get("stop_reason")
    return Completion(
        text="".join(texts),
        tool_calls=calls or None,
        finish_reason=_FINISH.get(stop_reason, stop_reason),
        input_tokens=input_tokens,
        output_tokens=usage.get("output_tokens"),
        reasoning="\n\n".join(t for t in thoughts if t) or None,
    )


def _text(content: Any) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            str(p.get("text", "")) for p in content if isinstance(p, dict) and "text" in p
        )
    return str(content)


def _blocks(content: Any) -> list[dict[str, Any]]:
    """OpenAI content parts -> Anthropic content blocks (text and images)."""
    if content is None:
        return []
    if not isinstance(content, list):
        return [{"type": "text", "text": str(content)}]
    blocks: list[dict[str, Any]] = []
    for part in content:
        if isinstance(part, str):
            blocks.append({"type": "text", "text": part})
        elif part.get("type") == "image_url":
            blocks.append(_image(part.get("image_url")))
        else:  # text parts already match; other blocks are taken to be Anthropic-native
            blocks.append(part)
    return blocks


def _image(spec: Any) -> dict[str, Any]:
    url = spec.get("url", "") if isinstance(spec, dict) else str(spec or "")
    if url.startswith("data:") and ";base64," in url:
        media_type, data = url[5:].split(";base64,", 1)
        source = {"type": "base64", "media_type": media_type, "data": data}
        return {"type": "image", "source": source}
    return {"type": "image", "source": {"type": "url", "url": url}}


def _is_tool_results(content: Any) -> bool:
    return isinstance(content, list) and bool(content) and content[-1].get("type") == "tool_result"


def _tool_use(call: dict[str, Any]) -> dict[str, Any]:
    fn = call.get("function") or {}
    args = fn.get("arguments")
    if isinstance(args, str):
        try:
            args = json.loads(args) if args.strip() else {}
        except ValueError as exc:
            raise RequestRejected(
                f"tool call {fn.get('name')!r} in the conversation has non-JSON arguments"
            ) from exc
    return {"type": "tool_use", "id": call.get("id"), "name": fn.get("name"), "input": args or {}}


def _tool(tool: dict[str, Any]) -> dict[str, Any]:
    """OpenAI function tool -> Anthropic tool; anything else is taken to be Anthropic-native."""
    fn = tool.get("function")
    if tool.get("type") != "function" or not isinstance(fn, dict):
        return tool
    out: dict[str, Any] = {
        "name": fn["name"],
        "input_schema": fn.get("parameters") or {"type": "object", "properties": {}},
    }
    if fn.get("description"):
        out["description"] = fn["description"]
    return out


def _tool_choice(choice: Any) -> Any:
    if choice == "auto":
        return {"type": "auto"}
    if choice == "required":
        return {"type": "any"}
    if choice == "none":
        return {"type": "none"}
    if isinstance(choice, dict) and choice.get("type") == "function":
        return {"type": "tool", "name": (choice.get("function") or {}).get("name")}
    return choice


def _error_body(data: dict[str, Any]) -> ProviderError:
    """An error object that arrived with a 2xx status (as mid-stream errors do)."""
    err = data.get("error") or {}
    kind = err.get("type", "") if isinstance(err, dict) else ""
    message = (
        f"Anthropic {kind or 'error'}: {err.get('message', '') if isinstance(err, dict) else err}"
    )
    if kind in ("rate_limit_error", "overloaded_error"):
        return RateLimited(message, status=None)
    if kind in ("authentication_error", "permission_error"):
        return AuthenticationFailed(message)
    if kind == "not_found_error":
        return ModelNotFound(message)
    if kind in ("invalid_request_error", "request_too_large"):
        return RequestRejected(message)
    return ServerError(message)
