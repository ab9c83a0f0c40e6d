"""Ollama's native chat API: POST {host}/api/chat with ``stream: false``.

The native API (rather than Ollama's OpenAI-compatible /v1) is used because it
takes every sampling option (``seed``, ``num_ctx``, ``top_k``, ...) and reports
prompt and output token counts. Generation params go under ``options``, with
``max_tokens`` renamed ``num_predict``. Tool calls arrive without ids and with
arguments as objects; they are handed back in OpenAI shape like every other
provider's.
"""

from __future__ import annotations

import json
from typing import Any

from benchlab.providers._http import JsonHttpClient
from benchlab.providers.base import Completion, GenerateRequest
from benchlab.providers.errors import BadResponse, RequestRejected

OLLAMA_HOST = "http://localhost:11434"

# Request fields that sit beside `options` rather than inside it.
_TOP_LEVEL = frozenset({"keep_alive", "think", "format"})
# OpenAI params with no Ollama option; Ollama warns about and ignores unknown options.
_UNSUPPORTED = frozenset(
    {"n", "logprobs", "top_logprobs", "logit_bias", "user", "parallel_tool_calls", "tool_choice"}
)


class OllamaProvider:
    family = "ollama"

    def __init__(self, host: str = OLLAMA_HOST) -> None:
        # OLLAMA_HOST is often written without a scheme ("127.0.0.1:11434").
        if "://" not in host:
            host = "http://" + host
        self._client = JsonHttpClient(host, {})
        self.endpoint = self._client.base_url

    async def generate(self, request: GenerateRequest) -> Completion:
        data = await self._client.post_json("/api/chat", build_payload(request), request.timeout)
        return parse_chat(data)

    async def aclose(self) -> None:
        await self._client.aclose()


def build_payload(request: GenerateRequest) -> dict[str, Any]:
    """The /api/chat body for one request."""
    options: dict[str, Any] = {}
    payload: dict[str, Any] = {
        "model": request.model,
        "messages": convert_messages(request.messages),
        "stream": False,
    }
    for key, value in request.params.items():
        if value is None or key in _UNSUPPORTED:
            continue
        if key in ("max_tokens", "max_completion_tokens"):
            options["num_predict"] = value
        elif key == "stop":
            options["stop"] = [value] if isinstance(value, str) else list(value)
        elif key in _TOP_LEVEL:
            payload[key] = value
        else:  # temperature, top_p, seed, and native options (top_k, num_ctx, ...)
            options[key] = value
    if options:
        payload["options"] = options
    fmt = _format(request.response_format)
    if fmt is not None:
        payload["format"] = fmt
    if request.tools:
        payload["tools"] = request.tools
    return payload


def convert_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """OpenAI-shaped messages -> Ollama messages; plain text chats pass through untouched."""
    if all(isinstance(m.get("content"), str) and len(m) == 2 for m in messages):
        return messages
    names: dict[str, str] = {}  # tool_call_id -> function name, for tool results
    out: list[dict[str, Any]] = []
    for message in messages:
        content = message.get("content")
        converted: dict[str, Any] = {"role": message.get("role")}
        if isinstance(content, list):
            converted["content"] = "".join(
                str(p.get("text", "")) for p in content if isinstance(p, dict) and "text" in p
            )
            images = [_image_data(p) for p in content if _is_image(p)]
            if images:
                converted["images"] = images
        else:
            converted["content"] = "" if content is None else str(content)
        if message.get("tool_calls"):
            converted["tool_calls"] = [_ollama_call(c, names) for c in message["tool_calls"]]
        if message.get("role") == "tool":
            name = names.get(message.get("tool_call_id", "")) or message.get("name")
            if name:
                converted["tool_name"] = name
        out.append(converted)
    return out


def parse_chat(data: Any) -> Completion:
    """An /api/chat reply -> Completion, with tool calls in OpenAI shape."""
    try:
        message = data["message"]
        if not isinstance(message, dict):
            raise TypeError("message is not an object")
    except (KeyError, TypeError) as exc:
        detail = data.get("error") if isinstance(data, dict) else None
        raise BadResponse(
            f"not an Ollama chat response: missing message ({detail or repr(exc)})"
        ) from exc
    calls = None
    if message.get("tool_calls"):
        calls = [_openai_call(i, c) for i, c in enumerate(message["tool_calls"])]
    finish = data.get("done_reason")
    if calls and finish in (None, "stop"):
        finish = "tool_calls"
    return Completion(
        text=message.get("content") or "",
        tool_calls=calls,
        finish_reason=finish,
        input_tokens=data.get("prompt_eval_count"),
        output_tokens=data.get("eval_count"),
        reasoning=message.get("thinking") or None,
    )


def _format(response_format: dict[str, Any] | None) -> Any:
    """OpenAI response_format -> Ollama `format` ("json" or a JSON schema)."""
    if not response_format:
        return None
    kind = response_format.get("type")
    if kind == "json_object":
        return "json"
    if kind == "json_schema":
        schema = response_format.get("json_schema") or {}
        return schema.get("schema", schema)
    return None


def _is_image(part: Any) -> bool:
    return isinstance(part, dict) and part.get("type") == "image_url"


def _image_data(part: dict[str, Any]) -> str:
    """Ollama takes images as bare base64; only data URLs can be passed on."""
    spec = part.get("image_url")
    url = spec.get("url", "") if isinstance(spec, dict) else str(spec or "")
    if url.startswith("data:") and ";base64," in url:
        return url.split(";base64,", 1)[1]
    raise RequestRejected("Ollama accepts images only as base64 data URLs, not remote URLs")


def _ollama_call(call: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    fn = call.get("function") or {}
    if call.get("id") and fn.get("name"):
        names[call["id"]] = fn["name"]
    args = fn.get("arguments")
    if isinstance(args, str):
        try:
            args = json.loads(args) if args.strip() else {}
        except ValueError as exc:
            raise RequestRejected(
                f"tool call {fn.get('name')!r} in the conversation has non-JSON arguments"
            ) from exc
    return {"function": {"name": fn.get("name"), "arguments": args or {}}}


def _openai_call(index: int, call: dict[str, Any]) -> dict[str, Any]:
    fn = call.get("function") or {}
    args = fn.get("arguments")
    return {
        "id": call.get("id") or f"call_{index}",
        "type": "function",
        "function": {
            "name": fn.get("name"),
            "arguments": args if isinstance(args, str) else json.dumps(args or {}),
        },
    }
