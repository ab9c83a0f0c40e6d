"""A stub LLM server that speaks the real wire formats, for tests that must go over real HTTP.

One aiohttp app on 127.0.0.1 answers three API families on one port:

- OpenAI ``POST /v1/chat/completions`` (base url ``url + "/v1"``),
- Anthropic ``POST /v1/messages`` (base url ``url``),
- Ollama ``POST /api/chat`` (host ``url``),
- OpenAI ``POST /v1/embeddings`` (vectors from ``embed``, bag-of-words by default),
- OpenAI ``POST /v1/completions`` with ``echo`` and ``logprobs`` (prompt logprobs from
  ``token_logprob``; see completions.py).

It runs on its own event loop in a background thread so that the code under
test can use any loop (pytest-asyncio's, ``asyncio.run`` in a CLI, or another
process altogether) and so that it keeps counting requests across client
processes that die mid-run. Everything the test thread touches (``requests``,
``script``, ``behave``, ``delay``, ``answer``, ``tool_calls``) is safe to change
while the server is serving. ``script`` queues failures one per request;
``behave`` picks one per request from its JSON (``every_nth(3, Status(500))``
fails a third of the numbered cases, the same ones on every run).

Answers are deterministic: the default ``answer`` echoes the last user message,
and token usage counts words (prompt words in, answer words out), so tests can
assert exact numbers without a tokenizer.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import json
import socket
import threading
import time
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

from aiohttp import web

from support.background import BackgroundServer
from support.completions import (
    TokenLogprob,
    completion_response,
    completions_problem,
    hashed_logprob,
)

__all__ = [
    "Behaviour",
    "Empty",
    "Garbage",
    "Hang",
    "Ok",
    "Status",
    "StubServer",
    "Truncated",
    "bag_of_words",
    "echo_answer",
    "every_nth",
    "last_user_text",
]


# --- behaviours ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ok:
    """Answer normally (useful to interleave with failures in a script)."""


@dataclass(frozen=True)
class Status:
    """Fail with an HTTP status.

    ``body`` None means the family's documented error body; a dict is sent as
    JSON and a str as is. ``retry_after`` becomes the ``Retry-After`` header
    verbatim (seconds or an HTTP date).
    """

    code: int
    retry_after: float | str | None = None
    body: dict[str, Any] | str | None = None


@dataclass(frozen=True)
class Hang:
    """Sleep ``seconds`` and then answer normally: exceeds a short client timeout."""

    seconds: float


@dataclass(frozen=True)
class Truncated:
    """Send 200 with a Content-Length larger than the body, then close the connection."""


@dataclass(frozen=True)
class Empty:
    """Send 200 with no body at all (a proxy that drops it)."""


@dataclass(frozen=True)
class Garbage:
    """Send 200 with a body that is not JSON."""

    body: str = "<html><body>502 Bad Gateway (not JSON)</body></html>"


Behaviour = Ok | Status | Hang | Truncated | Garbage | Empty


def every_nth(n: int, behaviour: Behaviour) -> Callable[[dict[str, Any] | None], Behaviour | None]:
    """A `behave` rule: `behaviour` for the requests whose last user message ends in a
    number divisible by n (`c0`, `c3`, ... of the numbered test suites), normal otherwise:
    the same cases fail on every run, whatever the order requests arrive in."""

    def rule(payload: dict[str, Any] | None) -> Behaviour | None:
        text = last_user_text(payload or {}).strip()
        digits = text[len(text.rstrip("0123456789")) :]
        return behaviour if digits and int(digits) % n == 0 else None

    return rule


# --- prompt helpers ----------------------------------------------------------------------------


def _content_text(content: Any) -> str:
    """Text of a message content in any of the three formats (str, parts or blocks)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        out = []
        for part in content:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, dict):
                if isinstance(part.get("text"), str):
                    out.append(part["text"])
                elif part.get("type") == "tool_result":
                    out.append(_content_text(part.get("content")))
        return "".join(out)
    return str(content)


def last_user_text(payload: dict[str, Any]) -> str:
    """The text of the last user message of a request in any of the three formats."""
    for message in reversed(payload.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "user":
            return _content_text(message.get("content"))
    return ""


def echo_answer(payload: dict[str, Any]) -> str:
    """The default answer: the last user message, unchanged."""
    return last_user_text(payload)


def bag_of_words(text: str, dims: int = 64) -> list[float]:
    """The default embedding: hashed word counts, so texts sharing words are close."""
    vector = [0.0] * dims
    for word in text.lower().split():
        vector[zlib.crc32(word.strip(".,;:!?\"'").encode()) % dims] += 1.0
    return vector


def _prompt_words(payload: dict[str, Any]) -> int:
    words = len(_content_text(payload.get("system")).split())
    for message in payload.get("messages") or []:
        if isinstance(message, dict):
            words += len(_content_text(message.get("content")).split())
    return words


def _normalise_tool_calls(calls: list[Any]) -> list[dict[str, Any]]:
    """Tool calls as ``{"id", "name", "arguments": dict}``, from neutral or OpenAI shape."""
    out = []
    for i, call in enumerate(calls):
        fn = call.get("function", call)
        args = fn.get("arguments", {})
        if isinstance(args, str):
            args = json.loads(args) if args else {}
        out.append({"id": call.get("id") or f"call_{i}", "name": fn["name"], "arguments": args})
    return out


# --- the server --------------------------------------------------------------------------------


class StubServer(BackgroundServer):
    """A real HTTP server that answers like OpenAI, Anthropic and Ollama; see the module doc.

    ``answer`` maps a request's JSON to the reply text (default: echo of the
    last user message). ``tool_calls`` optionally maps it to a list of tool
    calls, each ``{"name": str, "arguments": dict | str, "id"?: str}`` or
    OpenAI-shaped; a non-empty list makes the finish reason the family's tool
    reason. Stop sequences (``stop``, ``stop_sequences``, ``options.stop``)
    cut the answer before the first one found, and ``max_tokens``
    (``max_completion_tokens``, ``num_predict``) cuts it to that many words
    with the family's length reason, so params mapping is observable.
    ``reasoning`` optionally maps a request to a reasoning model's thinking,
    returned where each family puts it (OpenAI-compatible servers'
    `reasoning_content`, an Anthropic `thinking` block, Ollama's `thinking`).
    """

    def __init__(
        self,
        *,
        answer: Callable[[dict[str, Any]], str] | None = None,
        tool_calls: Callable[[dict[str, Any]], list[Any] | None] | None = None,
        delay: float = 0.0,
        embed: Callable[[str], list[float]] | None = None,
        usage: tuple[int, int] | None = None,
        reasoning: Callable[[dict[str, Any]], str | None] | None = None,
        token_logprob: TokenLogprob | None = None,
    ) -> None:
        self.reasoning = reasoning
        # (prompt, completion) tokens every OpenAI answer reports, whatever it says: a
        # provider's bill is its own count, not the client's estimate (budget tests).
        self.usage = usage
        self.answer: Callable[[dict[str, Any]], str] = answer or echo_answer
        self.embed: Callable[[str], list[float]] = embed or bag_of_words
        # (text before the token, token) -> the token's logprob on /v1/completions.
        self.token_logprob: TokenLogprob = token_logprob or hashed_logprob
        self.tool_calls = tool_calls
        self.delay = delay
        # When no scripted behaviour is queued: a rule choosing one per request (None: answer).
        self.behave: Callable[[dict[str, Any] | None], Behaviour | None] | None = None
        self.requests: list[dict[str, Any]] = []
        # Requests being answered at once (during `delay`/Hang): to check concurrency bounds.
        self.max_in_flight = 0
        self.max_in_flight_by_model: dict[str, int] = {}
        self._in_flight: dict[str, int] = {}
        self.url = ""
        self._lock = threading.Lock()
        self._script: collections.deque[Behaviour] = collections.deque()
        self._ids = itertools.count(1)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None

    # lifecycle

    def start(self) -> Self:
        if self._thread is not None:
            raise RuntimeError("StubServer already started")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port: int = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._serve, args=(sock,), name=f"stub-llm-{self.port}", daemon=True
        )
        self._thread.start()
        self._ready.wait(10)
        if self._startup_error is not None:
            raise RuntimeError("StubServer failed to start") from self._startup_error
        return self

    def stop(self) -> None:
        """Stop serving; handlers still sleeping (Hang, delay) are woken so this is quick."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        if not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # loop already stopped
                loop.call_soon_threadsafe(self._begin_stop)
        thread.join(10)
        self._thread = None

    # test-facing API

    @property
    def count(self) -> int:
        """Requests received so far, failed ones included."""
        with self._lock:
            return len(self.requests)

    @property
    def openai_base_url(self) -> str:
        return self.url + "/v1"

    def script(self, *behaviours: Behaviour) -> None:
        """Queue behaviours, consumed one per request (any path) before normal answers."""
        with self._lock:
            self._script.extend(behaviours)

    def pending(self) -> int:
        """Scripted behaviours not consumed yet."""
        with self._lock:
            return len(self._script)

    def reset(self) -> None:
        """Forget recorded requests and any queued script."""
        with self._lock:
            self.requests.clear()
            self._script.clear()

    # server thread

    def _serve(self, sock: socket.socket) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._startup(sock))
            except BaseException as exc:  # reported to start() in the test thread
                self._startup_error = exc
                sock.close()
                return
            finally:
                self._ready.set()
            loop.run_forever()
            loop.run_until_complete(self._shutdown())
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            asyncio.set_event_loop(None)
            loop.close()

    async def _startup(self, sock: socket.socket) -> None:
        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self._handle_openai)
        app.router.add_post("/v1/messages", self._handle_anthropic)
        app.router.add_post("/api/chat", self._handle_ollama)
        app.router.add_post("/v1/embeddings", self._handle_embeddings)
        app.router.add_post("/v1/completions", self._handle_completions)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    def _begin_stop(self) -> None:
        assert self._stopping is not None and self._loop is not None
        self._stopping.set()
        self._loop.stop()

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but return at once when the server is stopping."""
        if seconds <= 0:
            return
        assert self._stopping is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _receive(self, request: web.Request) -> tuple[Any, Behaviour | None]:
        """Record the request and take the next scripted behaviour (None: answer normally)."""
        raw = await request.read()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = None
        record = {
            "path": request.path,
            "json": payload,
            "headers": {k.lower(): v for k, v in request.headers.items()},
        }
        model = str(payload.get("model")) if isinstance(payload, dict) else ""
        with self._lock:
            self.requests.append(record)
            behaviour = self._script.popleft() if self._script else None
            if behaviour is None and self.behave is not None:
                behaviour = self.behave(payload if isinstance(payload, dict) else None)
            self._in_flight[model] = self._in_flight.get(model, 0) + 1
            total = sum(self._in_flight.values())
            self.max_in_flight = max(self.max_in_flight, total)
            self.max_in_flight_by_model[model] = max(
                self.max_in_flight_by_model.get(model, 0), self._in_flight[model]
            )
        try:
            await self._sleep(self.delay)
            if isinstance(behaviour, Hang):
                await self._sleep(behaviour.seconds)
                behaviour = None
        finally:
            with self._lock:
                self._in_flight[model] -= 1
        return payload, behaviour

    async def _misbehave(
        self,
        request: web.Request,
        behaviour: Behaviour | None,
        error: Callable[[int, str | None], dict[str, Any]],
    ) -> web.StreamResponse | None:
        """The response for a scripted failure, or None to answer normally."""
        if behaviour is None or isinstance(behaviour, Ok):
            return None
        if isinstance(behaviour, Garbage):
            return web.Response(status=200, text=behaviour.body, content_type="text/html")
        if isinstance(behaviour, Empty):
            return web.Response(status=200, body=b"", content_type="application/json")
        if isinstance(behaviour, Truncated):
            body = json.dumps({"id": "cut", "choices": [{"message": {"content": "x" * 64}}]})
            resp = web.StreamResponse(status=200, headers={"Content-Type": "application/json"})
            resp.content_length = len(body) + 1000
            await resp.prepare(request)
            await resp.write(body[: len(body) // 2].encode())
            if request.transport is not None:
                request.transport.close()
            return resp
        assert isinstance(behaviour, Status)
        headers = {}
        if behaviour.retry_after is not None:
            ra = behaviour.retry_after
            headers["Retry-After"] = str(
                int(ra) if isinstance(ra, float) and ra.is_integer() else ra
            )
        if isinstance(behaviour.body, str):
            return web.Response(status=behaviour.code, text=behaviour.body, headers=headers)
        data = behaviour.body if behaviour.body is not None else error(behaviour.code, None)
        return web.json_response(data, status=behaviour.code, headers=headers)

    def _reply(
        self, payload: dict[str, Any], limit: Any, stop: Any
    ) -> tuple[str, str, str | None, list[dict[str, Any]]]:
        """(text, why it ended, the stop sequence hit, tool calls) for a well-formed request.

        Why it ended is "end", "stop_sequence" or "length"; each handler words it
        the way its family does.
        """
        text = self.answer(payload)
        reason, hit = "end", None
        for seq in [stop] if isinstance(stop, str) else stop or []:
            if isinstance(seq, str) and seq and seq in text:
                text, reason, hit = text.split(seq, 1)[0], "stop_sequence", seq
                break
        if isinstance(limit, int) and limit >= 0:
            words = text.split()
            if len(words) > limit:
                text, reason, hit = " ".join(words[:limit]), "length", None
        calls = self.tool_calls(payload) if self.tool_calls is not None else None
        return text, reason, hit, _normalise_tool_calls(calls or [])

    # OpenAI

    async def _handle_openai(self, request: web.Request) -> web.StreamResponse:
        payload, behaviour = await self._receive(request)
        failure = await self._misbehave(request, behaviour, _openai_error)
        if failure is not None:
            return failure
        problem = _openai_problem(payload)
        if problem is not None:
            return web.json_response(_openai_error(400, problem), status=400)
        limit = payload.get("max_completion_tokens", payload.get("max_tokens"))
        text, reason, _, calls = self._reply(payload, limit, payload.get("stop"))
        message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
        thinking = self.reasoning(payload) if self.reasoning is not None else None
        if thinking is not None:  # vLLM's and DeepSeek's field for a reasoning model's thinking
            message["reasoning_content"] = thinking
        finish = "length" if reason == "length" else "stop"
        if calls:
            message["content"] = text or None
            message["tool_calls"] = [
                {
                    "id": c["id"],
                    "type": "function",
                    "function": {"name": c["name"], "arguments": json.dumps(c["arguments"])},
                }
                for c in calls
            ]
            finish = "tool_calls"
        prompt, completion = _prompt_words(payload), len(text.split())
        if self.usage is not None:
            prompt, completion = self.usage
        return web.json_response(
            {
                "id": f"chatcmpl-{next(self._ids)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": payload["model"],
                "choices": [
                    {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
                ],
                "usage": {
                    "prompt_tokens": prompt,
                    "completion_tokens": completion,
                    "total_tokens": prompt + completion,
                },
                "system_fingerprint": "fp_stub",
            }
        )

    async def _handle_embeddings(self, request: web.Request) -> web.StreamResponse:
        payload, behaviour = await self._receive(request)
        failure = await self._misbehave(request, behaviour, _openai_error)
        if failure is not None:
            return failure
        texts = payload.get("input") if isinstance(payload, dict) else None
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(payload, dict) or not isinstance(payload.get("model"), str):
            return web.json_response(_openai_error(400, "you must provide a model"), status=400)
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            return web.json_response(
                _openai_error(400, "'input' must be a string or a list of strings"), status=400
            )
        tokens = sum(len(t.split()) for t in texts)
        return web.json_response(
            {
                "object": "list",
                "data": [
                    {"object": "embedding", "index": i, "embedding": self.embed(t)}
                    for i, t in enumerate(texts)
                ],
                "model": payload["model"],
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            }
        )

    async def _handle_completions(self, request: web.Request) -> web.StreamResponse:
        payload, behaviour = await self._receive(request)
        failure = await self._misbehave(request, behaviour, _openai_error)
        if failure is not None:
            return failure
        problem = completions_problem(payload)
        if problem is not None:
            return web.json_response(_openai_error(400, problem), status=400)
        return web.json_response(completion_response(payload, self.token_logprob, next(self._ids)))

    # Anthropic

    async def _handle_anthropic(self, request: web.Request) -> web.StreamResponse:
        payload, behaviour = await self._receive(request)
        failure = await self._misbehave(request, behaviour, _anthropic_error)
        if failure is not None:
            return failure
        if not request.headers.get("x-api-key"):
            return web.json_response(
                _anthropic_error(401, "x-api-key header is required"), status=401
            )
        problem = _anthropic_problem(payload, request.headers.get("anthropic-version"))
        if problem is not None:
            return web.json_response(_anthropic_error(400, problem), status=400)
        text, reason, hit, calls = self._reply(
            payload, payload["max_tokens"], payload.get("stop_sequences")
        )
        content: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
        thinking = self.reasoning(payload) if self.reasoning is not None else None
        if thinking is not None:  # extended thinking comes first, signed
            content.insert(0, {"type": "thinking", "thinking": thinking, "signature": "c2lnbmVk"})
        content += [
            {
                "type": "tool_use",
                "id": f"toolu_{c['id']}",
                "name": c["name"],
                "input": c["arguments"],
            }
            for c in calls
        ]
        stop_reason = {"end": "end_turn", "length": "max_tokens"}.get(reason, reason)
        if calls:
            stop_reason = "tool_use"
        return web.json_response(
            {
                "id": f"msg_stub{next(self._ids):06d}",
                "type": "message",
                "role": "assistant",
                "model": payload["model"],
                "content": content,
                "stop_reason": stop_reason,
                "stop_sequence": hit,
                "usage": {
                    "input_tokens": _prompt_words(payload),
                    "output_tokens": len(text.split()),
                    "cache_creation_input_tokens": 0,
                    "cache_read_input_tokens": 0,
                },
            }
        )

    # Ollama

    async def _handle_ollama(self, request: web.Request) -> web.StreamResponse:
        payload, behaviour = await self._receive(request)
        failure = await self._misbehave(request, behaviour, _ollama_error)
        if failure is not None:
            return failure
        problem = _ollama_problem(payload)
        if problem is not None:
            return web.json_response(_ollama_error(400, problem), status=400)
        options = payload.get("options") or {}
        text, reason, _, calls = self._reply(
            payload, options.get("num_predict"), options.get("stop")
        )
        message: dict[str, Any] = {"role": "assistant", "content": text}
        thinking = self.reasoning(payload) if self.reasoning is not None else None
        if thinking is not None:
            message["thinking"] = thinking
        if calls:
            message["tool_calls"] = [
                {"function": {"name": c["name"], "arguments": c["arguments"]}} for c in calls
            ]
        prompt, completion = _prompt_words(payload), len(text.split())
        created = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
        final = {
            "model": payload["model"],
            "created_at": created,
            "message": message,
            "done": True,
            "done_reason": "length" if reason == "length" else "stop",
            "total_duration": 1000,
            "load_duration": 10,
            "prompt_eval_count": prompt,
            "prompt_eval_duration": 100,
            "eval_count": completion,
            "eval_duration": 800,
        }
        if payload.get("stream", True) is False:
            return web.json_response(final)
        # Ollama streams NDJSON unless told not to; a client that forgets gets this.
        resp = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
        await resp.prepare(request)
        chunk = {
            "model": payload["model"],
            "created_at": created,
            "message": {"role": "assistant", "content": text},
            "done": False,
        }
        await resp.write((json.dumps(chunk) + "\n").encode())
        final["message"] = {"role": "assistant", "content": ""}
        await resp.write((json.dumps(final) + "\n").encode())
        await resp.write_eof()
        return resp


# --- per-family errors and request checks ------------------------------------------------------

_OPENAI_ERRORS = {
    400: ("invalid_request_error", None, "Invalid request."),
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
    403: ("invalid_request_error", "unsupported_country_region_territory", "Forbidden."),
    404: ("invalid_request_error", "model_not_found", "The model does not exist."),
    429: ("requests", "rate_limit_exceeded", "Rate limit reached for requests."),
}

_ANTHROPIC_ERRORS = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


def _openai_error(code: int, message: str | None) -> dict[str, Any]:
    kind, err_code, default = _OPENAI_ERRORS.get(
        code, ("server_error", None, "The server had an error while processing your request.")
    )
    return {"error": {"message": message or default, "type": kind, "param": None, "code": err_code}}


def _anthropic_error(code: int, message: str | None) -> dict[str, Any]:
    kind = _ANTHROPIC_ERRORS.get(code, "api_error")
    return {
        "type": "error",
        "error": {"type": kind, "message": message or kind.replace("_", " ").capitalize()},
        "request_id": f"req_{uuid.uuid4().hex[:24]}",
    }


def _ollama_error(code: int, message: str | None) -> dict[str, Any]:
    return {"error": message or f"stub error {code}"}


def _openai_problem(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return "We could not parse the JSON body of your request."
    if not isinstance(payload.get("model"), str):
        return "you must provide a model parameter"
    if not isinstance(payload.get("messages"), list) or not payload["messages"]:
        return "Missing required parameter: 'messages'."
    if payload.get("stream"):
        return "the stub server does not stream"
    return None


def _anthropic_problem(payload: Any, version: str | None) -> str | None:
    if not version:
        return "anthropic-version: header is required"
    if not isinstance(payload, dict):
        return "Invalid JSON body"
    for field in ("model", "messages", "max_tokens"):
        if field not in payload:
            return f"{field}: Field required"
    if not isinstance(payload["max_tokens"], int) or payload["max_tokens"] < 1:
        return "max_tokens: Input should be a valid integer greater than 0"
    for i, message in enumerate(payload["messages"]):
        role = message.get("role") if isinstance(message, dict) else None
        if role not in ("user", "assistant"):
            return f'messages.{i}.role: Input should be "user" or "assistant"'
    if payload.get("stream"):
        return "the stub server does not stream"
    return None


def _ollama_problem(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return "invalid request body"
    if not payload.get("model"):
        return "model is required"
    if not isinstance(payload.get("messages", []), list):
        return "messages must be a list"
    return None
