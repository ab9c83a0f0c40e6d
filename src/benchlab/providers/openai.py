"""OpenAI-compatible chat completions: OpenAI itself, vLLM, llama.cpp, LM Studio, OpenRouter, ...

Wire format: POST {base_url}/chat/completions with `model`, `messages` and the
generation params; the answer is `choices[0].message` plus `usage`. The same
servers embed texts: POST {base_url}/embeddings with `model` and `input`, and score
continuations by log-likelihood: POST {base_url}/completions with the context
and every `context + continuation` as a list of prompts, `echo: true,
logprobs: 1, max_tokens: 1, temperature: 0`, as lm-eval asks
(`echo_logprobs.py` says why the context goes too and reads the answer).
"""

from __future__ import annotations

from typing import Any

from benchlab.providers._http import JsonHttpClient
from benchlab.providers.base import Completion, EmbedRequest, GenerateRequest
from benchlab.providers.echo_logprobs import echo_prompts, parse_echo_logprobs
from benchlab.providers.errors import BadResponse
from benchlab.providers.loglikelihood import LoglikelihoodRequest, Loglikelihoods


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

    async def embed(self, request: EmbedRequest) -> list[list[float]]:
        payload = {"model": request.model, "input": request.texts, "encoding_format": "float"}
        data = await self._client.post_json("/embeddings", payload, request.timeout)
        return parse_embeddings(data, len(request.texts), self.endpoint)

    async def loglikelihood(self, request: LoglikelihoodRequest) -> Loglikelihoods:
        """Every continuation of the request in one POST (the API takes a list of prompts)."""
        prompts = echo_prompts(request.context, request.continuations)
        payload = {
            "model": request.model,
            "prompt": prompts,
            "max_tokens": 1,
            "temperature": 0,
            "logprobs": 1,
            "echo": True,
        }
        data = await self._client.post_json("/completions", payload, request.timeout)
        return parse_echo_logprobs(data, prompts, self.endpoint)

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
    reasoning = message.get("reasoning_content") or message.get("reasoning")
    return Completion(
        text=content or "",
        tool_calls=message.get("tool_calls") or None,
        finish_reason=choice.get("finish_reason"),
        input_tokens=usage.get("prompt_tokens"),
        output_tokens=usage.get("completion_tokens"),
        reasoning=reasoning if isinstance(reasoning, str) and reasoning else None,
    )


def parse_embeddings(data: Any, n: int, endpoint: str) -> list[list[float]]:
    """The `n` vectors of an embeddings response, in the order the texts were sent."""
    rows = data.get("data") if isinstance(data, dict) else None
    if not isinstance(rows, list) or len(rows) != n:
        raise BadResponse(f"{endpoint}/embeddings: expected {n} embeddings in 'data'")
    ordered = sorted(rows, key=lambda r: r.get("index", 0) if isinstance(r, dict) else 0)
    out: list[list[float]] = []
    for row in ordered:
        vector = row.get("embedding") if isinstance(row, dict) else None
        if not isinstance(vector, list) or not vector:
            raise BadResponse(f"{endpoint}/embeddings: an item has no 'embedding' list")
        out.append([float(x) for x in vector])
    return out
