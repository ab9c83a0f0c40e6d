"""The legacy completions API with echoed prompt logprobs, as vLLM and OpenAI's legacy models
answer it, for the stub server (`POST /v1/completions`).

`echo: true, logprobs: N, max_tokens: M` returns per prompt the prompt's tokens and then
M generated ones, with `choices[i].logprobs` = `tokens`, `token_logprobs` (the first
null: nothing predicts it), `top_logprobs` (null first, then a dict of the best
tokens) and `text_offset` (where each token starts in the echoed text). Tokens are
words with their leading whitespace (" Paris"), as byte-level BPE splits English,
and a token's logprob comes from `token_logprob(prefix, token)`: by default a
deterministic function of both, so the same prompt always gets the same numbers and
the context changes them. The best alternative at each position (`ALTERNATIVE`)
has a logprob derived from the prefix too, so some continuations are greedy and
some are not.
"""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Callable
from typing import Any

__all__ = [
    "ALTERNATIVE",
    "TokenLogprob",
    "alternative_logprob",
    "completion_response",
    "completions_problem",
    "hashed_logprob",
    "tokenize",
]

TokenLogprob = Callable[[str, str], float]
ALTERNATIVE = " the"
GENERATED = " x"
_TOKEN = re.compile(r"\s*\S+|\s+")


def tokenize(text: str) -> list[str]:
    """Words with their leading whitespace; trailing whitespace is a token of its own."""
    return _TOKEN.findall(text)


def _unit(*parts: str) -> float:
    """A number in [0, 1) fixed by the parts."""
    return zlib.crc32("\x00".join(parts).encode()) / 2**32


def hashed_logprob(prefix: str, token: str) -> float:
    """The default: in (-8, -0.05], fixed by the last word of the prefix and the token."""
    last = prefix.split()[-1] if prefix.split() else ""
    return -0.05 - 7.95 * _unit(last, token)


def alternative_logprob(prefix: str) -> float:
    """The logprob of the best token other than the prompt's at this position."""
    return -0.05 - 3.0 * _unit("alt", prefix)


def completions_problem(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return "We could not parse the JSON body of your request."
    if not isinstance(payload.get("model"), str):
        return "you must provide a model parameter"
    prompt = payload.get("prompt")
    if isinstance(prompt, str):
        return None
    if not isinstance(prompt, list) or not prompt or not all(isinstance(p, str) for p in prompt):
        return "'prompt' must be a string or a list of strings"
    return None


def _choice(
    index: int, prompt: str, payload: dict[str, Any], token_logprob: TokenLogprob
) -> tuple[dict[str, Any], int]:
    echo = bool(payload.get("echo"))
    want = payload.get("logprobs")
    max_tokens = int(payload.get("max_tokens", 16))
    tokens: list[str] = []
    logprobs: list[float | None] = []
    tops: list[dict[str, float] | None] = []
    offsets: list[int] = []
    prompt_tokens = tokenize(prompt)
    generated = [GENERATED] * max_tokens
    text = ""
    for i, token in enumerate(prompt_tokens + generated):
        lp = None if i == 0 else token_logprob(text, token)
        top: dict[str, float] | None = None
        if lp is not None:
            alt = alternative_logprob(text)
            top = {token: lp}
            if alt > lp and token != ALTERNATIVE:
                top = {ALTERNATIVE: alt, token: lp}
        if echo or i >= len(prompt_tokens):
            tokens.append(token)
            logprobs.append(lp)
            tops.append(top)
            offsets.append(len(text) if echo else len(text) - len(prompt))
        text += token
    body = {
        "text": (prompt if echo else "") + "".join(generated),
        "index": index,
        "logprobs": None
        if not isinstance(want, int) or isinstance(want, bool)
        else {
            "tokens": tokens,
            "token_logprobs": logprobs,
            "top_logprobs": tops,
            "text_offset": offsets,
        },
        "finish_reason": "length",
    }
    return body, len(prompt_tokens)


def completion_response(
    payload: dict[str, Any], token_logprob: TokenLogprob, number: int
) -> dict[str, Any]:
    """A `text_completion` for a well-formed request (see `completions_problem`)."""
    prompts = payload["prompt"] if isinstance(payload["prompt"], list) else [payload["prompt"]]
    choices = []
    prompt_tokens = 0
    for index, prompt in enumerate(prompts):
        choice, n = _choice(index, prompt, payload, token_logprob)
        choices.append(choice)
        prompt_tokens += n
    completion_tokens = len(prompts) * int(payload.get("max_tokens", 16))
    return {
        "id": f"cmpl-{number}",
        "object": "text_completion",
        "created": int(time.time()),
        "model": payload["model"],
        "choices": choices,
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }
