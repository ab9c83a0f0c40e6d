"""OpenAI-compatible chat completions: OpenAI itself, vLLM, llama.cpp, LM Studio, OpenRouter, ...

Wire format: POST {base_url}/chat/completions with `model`, `messages` and the
generation params; the answer is `choices[0].message` plus `usage`.
"""

from __future__ import annotations

from typing import Any

from benchlab.providers._http import JsonHttpClient
from benchlab.providers.base import Completion, GenerateRequest
from benchlab.providers.errors import BadResponse


class OpenAIProvider:
    family = "openai"

    def __init__(
        self, base_url: str, api_key: str | None, *, extra_headers: dict[str, str] | None = None
    ) -> None:
        headers = dict(extra_headers or {})
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = JsonHttpClient(base_url, headers)
        self.endpoint = self._client.base_url

    async def generate(self, request: GenerateRequest) -> Completion:
        payload: dict[str, Any] = {"model": request.model, "messages": request.messages}
        payload.update(request.params)
        if request.response_format is not None:
            payload["response_format"] = request.response_format
        if request.tools:
            payload["tools"] = request.tools
        data = await self._client.post_json("/chat/completions", payload, request.timeout)
        return parse_chat_completion(data)

    async def aclose(self) -> None:
        await self._client.aclose()


def parse_chat_completion(data: Any) -> Completion:
    try:
        choice = data["choices"][0]
        message = choice["message"]
    except (KeyError, IndexError, TypeError) as exc:
        raise BadResponse(f"not a chat.completion: missing choices[0].message ({exc!r})") from exc
    usage = data.get("usage") or {}
    content = message.get("content")
    if isinstance(content, list):  # some servers return content parts
        content = "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return Completion(
        text=content or "",
        tool_calls=message.get("tool_calls") or None,
        finish_reason=choice.get("finish_reason"),
        input_tokens=usage.get("prompt_tokens"),
        output_tokens=usage.get("completion_tokens"),
    )
