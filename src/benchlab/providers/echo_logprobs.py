"""Reading a continuation's log-probability out of a completions response that echoes its prompt.

Asked with `echo: true, logprobs: 1, max_tokens: 1`, an OpenAI-style
completions endpoint (vLLM, OpenAI's legacy models)
returns, per prompt, `choices[i].logprobs` = `tokens`, `token_logprobs` (the
first one null: nothing predicts it), `top_logprobs` and `text_offset` (where
each token starts in the text), for the prompt's tokens and then the one token
generated. lm-eval sends token ids and counts the context's tokens itself; we
send text, so the split comes from the offsets instead:

- a token is the continuation's when it starts at or after the split, or
  straddles it (it carries continuation characters), and starts inside the
  prompt (the generated token starts at its end and is dropped, as lm-eval
  drops the last token);
- the split is the context's length once its trailing whitespace is moved to
  the continuation, as lm-eval's `_encode_pair` moves it before tokenising, so
  "Answer: " + "Paris" is read as "Answer:" + " Paris";
- the logprob is the plain sum of those tokens' logprobs, in order (as
  lm-eval sums `token_logprobs[ctxlen:-1]`), and the continuation is greedy
  when each token's logprob is the best of its `top_logprobs`.

A server that ignores `echo` and sends the generated token's logprobs alone
(llama.cpp's server does, see ggml-org/llama.cpp#27174) would make every
choice score the same number and the accuracy chance, silently; such an
answer (a `text` that does not start with the prompt, or no token of the
context) is a `BadResponse` instead.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from benchlab.providers.errors import BadResponse
from benchlab.providers.loglikelihood import Loglikelihoods

__all__ = ["context_split", "parse_echo_logprobs"]


def context_split(context: str) -> int:
    """Where the continuation starts in `context + continuation` (trailing whitespace of
    the context belongs to the continuation)."""
    return len(context.rstrip())


def parse_echo_logprobs(data: Any, prompts: list[str], split: int, where: str) -> Loglikelihoods:
    """One (logprob, is_greedy) per prompt of a completions response; `where` names the
    endpoint in errors."""
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or len(choices) != len(prompts):
        got = len(choices) if isinstance(choices, list) else "no"
        raise BadResponse(
            f"{where}/completions: expected {len(prompts)} choices (one per prompt), got {got}"
        )
    try:
        ordered = sorted(choices, key=itemgetter("index"))
    except (KeyError, TypeError) as exc:
        raise BadResponse(f"{where}/completions: a choice has no 'index' ({exc!r})") from exc
    logprobs: list[float] = []
    greedy: list[bool | None] = []
    for number, (choice, prompt) in enumerate(zip(ordered, prompts, strict=True)):
        place = f"{where} choice {number}"
        text = choice.get("text") if isinstance(choice, dict) else None
        if isinstance(text, str) and not text.startswith(prompt):
            raise BadResponse(f"{place}: the prompt is not echoed (does the server honour echo?)")
        total, is_greedy = _continuation(choice, len(prompt), split, place)
        logprobs.append(total)
        greedy.append(is_greedy)
    usage = data.get("usage") or {}
    return Loglikelihoods(
        logprobs,
        greedy,
        input_tokens=usage.get("prompt_tokens"),
        output_tokens=usage.get("completion_tokens"),
    )


def _continuation(choice: Any, end: int, split: int, where: str) -> tuple[float, bool | None]:
    found = choice.get("logprobs") if isinstance(choice, dict) else None
    if not isinstance(found, dict):
        raise BadResponse(
            f"{where}: no 'logprobs' (the server must support echo with logprobs on "
            "/completions to score by log-likelihood)"
        )
    tokens = found.get("tokens")
    token_logprobs = found.get("token_logprobs")
    offsets = found.get("text_offset")
    top = found.get("top_logprobs")
    if not (
        isinstance(tokens, list)
        and isinstance(token_logprobs, list)
        and isinstance(offsets, list)
        and len(tokens) == len(token_logprobs) == len(offsets)
    ):
        raise BadResponse(
            f"{where}: logprobs needs 'tokens', 'token_logprobs' and 'text_offset' of one length"
        )
    if not isinstance(top, list) or len(top) != len(tokens):
        top = None
    total: float = 0
    is_greedy: bool | None = True
    seen = context = 0
    for i, offset in enumerate(offsets):
        if not isinstance(offset, int) or offset >= end:
            continue
        next_offset = offsets[i + 1] if i + 1 < len(offsets) else end
        if offset < split and not (isinstance(next_offset, int) and next_offset > split):
            context += 1
            continue  # wholly the context's
        value = token_logprobs[i]
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise BadResponse(
                f"{where}: token {i} ({tokens[i]!r}) of the continuation has no logprob "
                "(is the context empty?)"
            )
        total += value
        seen += 1
        best = top[i] if top is not None else None
        if not isinstance(best, dict) or not best:
            if is_greedy:
                is_greedy = None  # the server did not say what the best token was
        elif value != max(best.values()):
            is_greedy = False
    if seen == 0 or context == 0:
        part = "continuation" if seen == 0 else "context"
        raise BadResponse(
            f"{where}: no token of the {part} in the echoed prompt (does the server honour echo?)"
        )
    return float(total), is_greedy
