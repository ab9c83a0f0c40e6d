"""Reading a continuation's log-probability out of a completions response that echoes its prompt.

Asked with `echo: true, logprobs: 1, max_tokens: 1`, an OpenAI-style
completions endpoint (vLLM, OpenAI's legacy models) returns, per prompt,
`choices[i].logprobs` = `tokens`, `token_logprobs` (the first one null:
nothing predicts it), `top_logprobs` and `text_offset`, for the prompt's
tokens and then the one token generated.

lm-eval tokenises locally: the context alone and `context + continuation`,
and sums `token_logprobs[ctxlen:-1]` of the latter, `ctxlen` being the
context's token count (after moving the context's trailing whitespace to the
continuation, as its `_encode_pair` does: "Answer: " + "Paris" is read as
"Answer:" + " Paris"). We send text and have no tokenizer, so the server
tokenises for us: the context alone goes as the first prompt of the same
request, and its echoed token count (all but the generated one) is `ctxlen`.
That is lm-eval's split exactly, including where a tokenizer merges the
context's last characters with the continuation's. `text_offset` is not
used: servers compute it from each token decoded alone, which drifts from
the prompt's characters for SentencePiece tokenizers (Llama 2, Mistral
decode "▁Paris" alone as "Paris").

The continuation is greedy when each of its tokens' logprob is the best of its
`top_logprobs`, as lm-eval decides it.

A server that ignores `echo` and sends the generated token's logprobs alone
(llama.cpp's server does, see ggml-org/llama.cpp#27174) would make every
choice score the same number and the accuracy chance, silently; such an
answer (a `text` that does not start with the prompt, or too few tokens) is a
`BadResponse` instead.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from benchlab.providers.errors import BadResponse
from benchlab.providers.loglikelihood import Loglikelihoods

__all__ = ["echo_prompts", "parse_echo_logprobs"]

GENERATED = 1  # tokens generated after each prompt (`max_tokens`), dropped as lm-eval drops them


def echo_prompts(context: str, continuations: list[str]) -> list[str]:
    """The prompts of one request: the context alone (its trailing whitespace belongs to
    the continuations), then the context followed by each continuation."""
    return [context.rstrip(), *(context + c for c in continuations)]


def parse_echo_logprobs(data: Any, prompts: list[str], where: str) -> Loglikelihoods:
    """(logprob, is_greedy) of each continuation from the answer to `echo_prompts(...)`;
    `where` names the endpoint in errors."""
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
    echoed = [
        _echoed(choice, prompt, f"{where} choice {n}")
        for n, (choice, prompt) in enumerate(zip(ordered, prompts, strict=True))
    ]
    ctxlen = len(echoed[0][0]) - GENERATED
    if ctxlen < 1:
        raise BadResponse(f"{where} choice 0: the context echoed no token")
    logprobs: list[float] = []
    greedy: list[bool | None] = []
    for n, (token_logprobs, top) in enumerate(echoed[1:], 1):
        total, is_greedy = _continuation(token_logprobs, top, ctxlen, f"{where} choice {n}")
        logprobs.append(total)
        greedy.append(is_greedy)
    usage = data.get("usage") or {}
    return Loglikelihoods(
        logprobs,
        greedy,
        input_tokens=usage.get("prompt_tokens"),
        output_tokens=usage.get("completion_tokens"),
    )


def _echoed(choice: Any, prompt: str, where: str) -> tuple[list[Any], list[Any] | None]:
    """(token_logprobs, top_logprobs or None) of one choice, checked to echo its prompt."""
    found = choice.get("logprobs") if isinstance(choice, dict) else None
    if not isinstance(found, dict):
        raise BadResponse(
            f"{where}: no 'logprobs' (the server must support echo with logprobs on "
            "/completions to score by log-likelihood)"
        )
    text = choice.get("text")
    if isinstance(text, str) and not text.startswith(prompt):
        raise BadResponse(f"{where}: the prompt is not echoed (does the server honour echo?)")
    tokens = found.get("tokens")
    token_logprobs = found.get("token_logprobs")
    if not (
        isinstance(tokens, list)
        and isinstance(token_logprobs, list)
        and len(tokens) == len(token_logprobs)
    ):
        raise BadResponse(f"{where}: logprobs needs 'tokens' and 'token_logprobs' of one length")
    top = found.get("top_logprobs")
    return token_logprobs, top if isinstance(top, list) and len(top) == len(tokens) else None


def _continuation(
    token_logprobs: list[Any], top: list[Any] | None, ctxlen: int, where: str
) -> tuple[float, bool | None]:
    """lm-eval's sum of `token_logprobs[ctxlen:-1]` and its greediness."""
    end = len(token_logprobs) - GENERATED
    if end <= ctxlen:
        raise BadResponse(
            f"{where}: {end} prompt token(s) echoed, none after the context's {ctxlen} "
            "(does the server honour echo?)"
        )
    total: float = 0
    is_greedy: bool | None = True
    for i in range(ctxlen, end):
        value = token_logprobs[i]
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise BadResponse(f"{where}: token {i} of the continuation has no logprob")
        total += value
        best = top[i] if top is not None else None
        if not isinstance(best, dict) or not best:
            if is_greedy:
                is_greedy = None  # the server did not say what the best token was
        elif value != max(best.values()):
            is_greedy = False
    return float(total), is_greedy
