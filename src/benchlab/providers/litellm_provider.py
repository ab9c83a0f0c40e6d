"""LiteLLM, an optional extra, for the long tail of API families we do not adapt ourselves.

litellm is imported when a provider is built, never when this module is: it
takes seconds to import and is not installed by default. Its cost map is kept
local (``LITELLM_LOCAL_MODEL_COST_MAP``) because benchlab makes no network
calls beyond the model endpoints the user configured. Retries are the engine's
job, so litellm's and its SDKs' own retries are turned off, and every litellm
exception is mapped to our error types by class *name*, so nothing here
depends on litellm's class hierarchy at import time and no SDK class reaches
the engine.
"""

from __future__ import annotations

import asyncio
import json
import os
import warnings
from typing import Any

from benchlab.errors import ConfigError
from benchlab.providers.base import Completion, GenerateRequest
from benchlab.providers.errors import (
    AuthenticationFailed,
    BadResponse,
    ConnectionFailed,
    ModelNotFound,
    ProviderError,
    ProviderTimeout,
    RateLimited,
    RequestRejected,
    ServerError,
    error_for_status,
    parse_retry_after,
)

MISSING_EXTRA = "litellm/... models need the optional extra: pip install 'benchlab[litellm]'"

# Most specific first: several of these subclass others (ContextWindowExceededError is a
# BadRequestError, Timeout an openai APIConnectionError).
_EXCEPTIONS: tuple[tuple[str, type[ProviderError]], ...] = (
    ("Timeout", ProviderTimeout),
    ("RateLimitError", RateLimited),
    ("AuthenticationError", AuthenticationFailed),
    ("PermissionDeniedError", AuthenticationFailed),
    ("ServiceUnavailableError", ServerError),
    ("InternalServerError", ServerError),
    ("BadGatewayError", ServerError),
    ("APIConnectionError", ConnectionFailed),
    ("ContextWindowExceededError", RequestRejected),
    ("ContentPolicyViolationError", RequestRejected),
    ("UnsupportedParamsError", RequestRejected),
    ("BadRequestError", RequestRejected),
    ("NotFoundError", ModelNotFound),
    ("UnprocessableEntityError", RequestRejected),
    ("APIResponseValidationError", BadResponse),
)

# litellm wraps some failures in a class that hides what happened: a refused connection
# becomes "InternalServerError: Connection error.", and its own missing optional modules
# become APIConnectionError. The real cause is further down the exception chain.
_CAUSES: dict[str, type[ProviderError]] = {
    "ImportError": RequestRejected,  # retrying cannot install a module
    "ModuleNotFoundError": RequestRejected,
    "APITimeoutError": ProviderTimeout,
    "TimeoutException": ProviderTimeout,
    "ConnectTimeout": ProviderTimeout,
    "ReadTimeout": ProviderTimeout,
    "APIConnectionError": ConnectionFailed,
    "ConnectError": ConnectionFailed,
    "RemoteProtocolError": ConnectionFailed,
    "ClientConnectorError": ConnectionFailed,
    "ClientPayloadError": ConnectionFailed,
    "ConnectionRefusedError": ConnectionFailed,
    "ConnectionResetError": ConnectionFailed,
}


def load_litellm() -> Any:
    """Import litellm, quietly and offline, or say how to install it."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    # litellm (1.110) builds pydantic models from TypedDicts with ReadOnly items, on import
    # and lazily inside its first calls; pydantic warns once per class. That is litellm's
    # business, not the user's run, so that one warning is silenced for the process.
    warnings.filterwarnings(
        "ignore",
        message=r"Items .* are using the `ReadOnly` qualifier",
        category=UserWarning,
    )
    try:
        import litellm
    except ImportError as exc:
        if exc.name == "litellm":
            raise ConfigError(MISSING_EXTRA) from exc
        raise ConfigError(f"litellm is installed but failed to import: {exc}") from exc
    litellm.suppress_debug_info = True
    if hasattr(litellm, "telemetry"):
        litellm.telemetry = False
    return litellm


class LiteLLMProvider:
    family = "litellm"

    def __init__(self, *, api_base: str | None = None, api_key: str | None = None) -> None:
        self._litellm = load_litellm()
        self._classes: tuple[tuple[type[BaseException], type[ProviderError]], ...] | None = None
        self._fixed: dict[str, Any] = {"max_retries": 0, "drop_params": True}
        if api_base:
            self._fixed["api_base"] = api_base
        if api_key:
            self._fixed["api_key"] = api_key
        self.endpoint = api_base or "litellm"

    async def generate(self, request: GenerateRequest) -> Completion:
        kwargs: dict[str, Any] = {**self._fixed, **request.params}
        if request.response_format is not None:
            kwargs["response_format"] = request.response_format
        if request.tools:
            kwargs["tools"] = request.tools
        try:
            async with asyncio.timeout(request.timeout):
                response = await self._litellm.acompletion(
                    model=request.model,
                    messages=request.messages,
                    timeout=request.timeout,
                    **kwargs,
                )
        except TimeoutError as exc:
            raise ProviderTimeout(
                f"no response from litellm {request.model} within {request.timeout}s"
            ) from exc
        except ProviderError:
            raise
        except Exception as exc:
            raise self._map(exc) from exc
        return parse_response(response)

    async def aclose(self) -> None:
        """Sessions are litellm's own, shared process-wide; nothing here owns one."""

    def _map(self, exc: Exception) -> ProviderError:
        if self._classes is None:
            found = ((getattr(self._litellm, n, None), ours) for n, ours in _EXCEPTIONS)
            self._classes = tuple((cls, ours) for cls, ours in found if isinstance(cls, type))
        message = str(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")
        status = getattr(exc, "status_code", None)
        status = status if isinstance(status, int) else None
        ours = next((o for cls, o in self._classes if isinstance(exc, cls)), None)
        if ours is None or ours is ServerError or ours is ConnectionFailed:
            cause = _cause(exc)
            if cause is not None:
                return cause(message)  # the wrapper's status code is made up
        if ours is RateLimited:
            return RateLimited(message, retry_after=_retry_after(exc), status=status)
        if ours is not None:
            return ours(message, status=status)
        if status is not None and status >= 400:
            return error_for_status(status, message, _retry_after(exc))
        return ProviderError(message, status=status)


def _cause(exc: BaseException) -> type[ProviderError] | None:
    """Our type for the first recognised exception below `exc` in its chain."""
    link = exc.__cause__ or exc.__context__
    for _ in range(12):  # chains are short; the bound only guards against cycles
        if link is None:
            return None
        found = _CAUSES.get(type(link).__name__)
        if found is not None:
            return found
        link = link.__cause__ or link.__context__
    return None


def parse_response(response: Any) -> Completion:
    """A litellm ModelResponse (OpenAI-shaped objects) -> Completion with plain dicts."""
    try:
        choice = response.choices[0]
        message = choice.message
    except (AttributeError, IndexError, TypeError) as exc:
        raise BadResponse(f"litellm returned no choices ({exc!r})") from exc
    calls = None
    if getattr(message, "tool_calls", None):
        calls = [_tool_call(c) for c in message.tool_calls]
    usage = getattr(response, "usage", None)
    return Completion(
        text=message.content or "",
        tool_calls=calls,
        finish_reason=getattr(choice, "finish_reason", None),
        input_tokens=getattr(usage, "prompt_tokens", None),
        output_tokens=getattr(usage, "completion_tokens", None),
        reasoning=getattr(message, "reasoning_content", None) or None,
    )


def _tool_call(call: Any) -> dict[str, Any]:
    fn = call.function
    args = fn.arguments
    return {
        "id": call.id,
        "type": "function",
        "function": {
            "name": fn.name,
            "arguments": args if isinstance(args, str) else json.dumps(args or {}),
        },
    }


def _retry_after(exc: Exception) -> float | None:
    headers = getattr(exc, "litellm_response_headers", None)
    if headers is None:
        headers = getattr(getattr(exc, "response", None), "headers", None)
    if headers is None:
        return None
    try:
        value = headers.get("retry-after") or headers.get("Retry-After")
    except AttributeError:
        return None
    return parse_retry_after(str(value)) if value is not None else None
