"""Continuation logprobs from a completions endpoint that echoes its prompt: over real HTTP to
the stub server, and on hand-written responses for the shapes a tokenizer can produce."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchlab.providers.echo_logprobs import echo_prompts, parse_echo_logprobs
from benchlab.providers.errors import BadResponse
from benchlab.providers.loglikelihood import LoglikelihoodProvider, LoglikelihoodRequest
from benchlab.providers.openai import OpenAIProvider
from support.completions import (
    ALTERNATIVE,
    alternative_logprob,
    completion_response,
    hashed_logprob,
    tokenize,
)
from support.servers import Garbage, StubServer

# What the stub's model thinks of each word (the prefix does not matter here).
TABLE = {"Paris": -0.25, "is": -1.5, "in": -0.5, "France": -0.125, "London": -3.0}


def table_logprob(prefix: str, token: str) -> float:
    return TABLE.get(token.strip(), -6.0)


@pytest.fixture
async def provider(stub_server: StubServer) -> AsyncIterator[OpenAIProvider]:
    p = OpenAIProvider(stub_server.openai_base_url, "sk-test")
    yield p
    await p.aclose()


def ask(context: str, *continuations: str) -> LoglikelihoodRequest:
    return LoglikelihoodRequest(
        model="base-stub", context=context, continuations=list(continuations), timeout=5
    )


async def test_one_request_per_case_summing_only_the_continuation(
    provider: OpenAIProvider, stub_server: StubServer
) -> None:
    stub_server.token_logprob = table_logprob
    assert isinstance(provider, LoglikelihoodProvider)
    got = await provider.loglikelihood(ask("The capital is", " Paris", " London", " Paris France"))

    assert got.logprobs == [-0.25, -3.0, -0.25 + -0.125]
    [received] = stub_server.requests  # every continuation in one POST
    assert received["path"] == "/v1/completions"
    body = received["json"]
    assert body["prompt"] == [
        "The capital is",  # the context alone: its token count is where continuations start
        "The capital is Paris",
        "The capital is London",
        "The capital is Paris France",
    ]
    assert (body["echo"], body["logprobs"], body["max_tokens"], body["temperature"]) == (
        True,
        1,
        1,
        0,
    )
    # The server's own counts: 3, 4, 4 and 5 prompt tokens, one generated per prompt.
    assert (got.input_tokens, got.output_tokens) == (16, 4)


async def test_trailing_space_of_the_context_belongs_to_the_continuation(
    provider: OpenAIProvider, stub_server: StubServer
) -> None:
    """lm-eval moves it before tokenising: "is " + "Paris" scores the token " Paris"."""
    stub_server.token_logprob = table_logprob
    spaced = await provider.loglikelihood(ask("The capital is ", "Paris", "London"))
    plain = await provider.loglikelihood(ask("The capital is", " Paris", " London"))
    assert spaced.logprobs == plain.logprobs == [-0.25, -3.0]


async def test_greedy_when_each_token_is_the_best_one(
    provider: OpenAIProvider, stub_server: StubServer
) -> None:
    # Every word but the alternative is less likely than it, except "Paris", always best.
    stub_server.token_logprob = lambda prefix, token: 0.0 if token == " Paris" else -9.0
    got = await provider.loglikelihood(ask("The capital is", " Paris", " Lyon", ALTERNATIVE))
    assert got.is_greedy == [True, False, True]
    assert alternative_logprob("The capital is") > -9.0


async def test_default_logprobs_depend_on_context_and_are_stable(
    provider: OpenAIProvider,
) -> None:
    a = await provider.loglikelihood(ask("Question: red or blue?\nAnswer:", " red", " blue"))
    b = await provider.loglikelihood(ask("Question: red or blue?\nAnswer:", " red", " blue"))
    c = await provider.loglikelihood(ask("Question: blue or red?\nReply:", " red", " blue"))
    assert a == b
    assert a.logprobs != c.logprobs
    assert all(-8 < lp < 0 for lp in a.logprobs)


async def test_an_endpoint_without_prompt_logprobs_is_a_bad_response(
    provider: OpenAIProvider, stub_server: StubServer
) -> None:
    stub_server.script(Garbage())
    with pytest.raises(BadResponse, match="unparseable"):
        await provider.loglikelihood(ask("Q", " a", " b"))


def _choice(index: int, tokens: list[str], logprobs: list[float | None]) -> dict[str, Any]:
    """A choice as a server answers it, offsets computed from the tokens as vLLM does."""
    offsets, at = [], 0
    for token in tokens:
        offsets.append(at)
        at += len(token)
    return {
        "index": index,
        "text": "".join(tokens),
        "logprobs": {
            "tokens": tokens,
            "token_logprobs": logprobs,
            "top_logprobs": [None]
            + [{t: lp} for t, lp in zip(tokens[1:], logprobs[1:], strict=True)],
            "text_offset": offsets,
        },
    }


def test_the_context_is_split_off_by_its_own_token_count_as_lm_eval_does() -> None:
    """A tokenizer that merges the context's last characters with the continuation's first
    ("A:" + "B" -> ":B"): lm-eval counts the context's tokens alone (2) and sums the
    rest of the whole prompt's, the generated token left out."""
    prompts = echo_prompts("Q A:", ["B"])
    assert prompts == ["Q A:", "Q A:B"]
    data = {
        "choices": [
            _choice(0, ["Q", " A:", " x"], [None, -1.0, -4.0]),
            _choice(1, ["Q", " A", ":B", " x"], [None, -1.0, -2.0, -4.0]),
        ]
    }
    assert parse_echo_logprobs(data, prompts, "stub").logprobs == [-2.0]


def test_offsets_that_drift_from_the_text_do_not_matter() -> None:
    """SentencePiece tokens decoded alone lose their leading space ("Paris" for "▁Paris"),
    so a server's text_offset drifts from the prompt's characters; counts do not."""
    prompts = echo_prompts("The capital is ", ["Paris", "Lyon"])
    words = ["The", "capital", "is"]
    choices = [
        _choice(0, [*words, "x"], [None, -1.0, -1.0, -9.0]),
        _choice(1, [*words, "Paris", "x"], [None, -1.0, -1.0, -0.5, -9.0]),
        _choice(2, [*words, "Lyon", "x"], [None, -1.0, -1.0, -2.5, -9.0]),
    ]
    for choice, prompt in zip(choices, prompts, strict=True):
        choice["text"] = prompt + "x"  # the echo itself is the prompt, spaces and all
    assert parse_echo_logprobs({"choices": choices}, prompts, "stub").logprobs == [-0.5, -2.5]


def test_choices_come_back_in_index_order_and_must_all_come() -> None:
    context = _choice(0, ["Q", " x"], [None, -9.0])
    first = _choice(1, ["Q", " a", " x"], [None, -1.0, -9.0])
    second = _choice(2, ["Q", " b", " x"], [None, -2.0, -9.0])
    prompts = echo_prompts("Q", [" a", " b"])
    got = parse_echo_logprobs({"choices": [second, context, first]}, prompts, "stub")
    assert got.logprobs == [-1.0, -2.0]
    with pytest.raises(BadResponse, match="expected 3 choices"):
        parse_echo_logprobs({"choices": [context, first]}, prompts, "stub")


def test_no_logprobs_or_a_null_one_in_the_continuation_is_a_bad_response() -> None:
    context = _choice(0, ["Q", " x"], [None, -9.0])
    bare = {"index": 1, "text": "Q a", "logprobs": None}
    with pytest.raises(BadResponse, match="echo with logprobs"):
        parse_echo_logprobs({"choices": [context, bare]}, ["Q", "Q a"], "stub")
    null = _choice(1, ["Q", " a", " x"], [None, None, -9.0])
    with pytest.raises(BadResponse, match="token 1 of the continuation has no logprob"):
        parse_echo_logprobs({"choices": [context, null]}, ["Q", "Q a"], "stub")


def test_a_server_that_ignores_echo_is_a_bad_response_not_a_chance_score() -> None:
    """llama.cpp's server answers echo + logprobs with the generated token alone: every
    choice would get that token's logprob."""

    def generated_only(index: int) -> dict[str, Any]:
        return {**_choice(index, [" x"], [-0.5]), "text": " x"}

    prompts = echo_prompts("Q:", [" a"])
    with pytest.raises(BadResponse, match="not echoed"):
        parse_echo_logprobs({"choices": [generated_only(0), generated_only(1)]}, prompts, "s")
    untold = [generated_only(0), generated_only(1)]
    for choice in untold:
        del choice["text"]
    with pytest.raises(BadResponse, match="the context echoed no token"):
        parse_echo_logprobs({"choices": untold}, prompts, "s")


def test_the_stub_tokenizes_words_with_their_leading_space() -> None:
    assert tokenize("The capital is Paris") == ["The", " capital", " is", " Paris"]
    assert tokenize("A: ") == ["A:", " "]


# --- parity with lm-eval's own reading of the same responses ---------------------------------

WORD = st.text(alphabet="abcdeéxyz:?.", min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    context=st.lists(WORD, min_size=1, max_size=6).map(" ".join),
    trailing=st.sampled_from(["", " "]),
    continuations=st.lists(st.lists(WORD, min_size=1, max_size=4), min_size=2, max_size=5),
)
def test_the_same_sums_and_greediness_as_lm_eval_parse_logprobs(
    context: str, trailing: str, continuations: list[list[str]]
) -> None:
    """lm-eval's `parse_logprobs` (local-completions) on the stub's answer, given the
    context's token count as its tokenizer counts it: it must read what we read."""
    from lm_eval.models.openai_completions import LocalCompletionsAPI

    texts = [("" if trailing else " ") + " ".join(words) for words in continuations]
    prompts = echo_prompts(context + trailing, texts)
    payload = {"model": "m", "prompt": prompts, "echo": True, "logprobs": 1, "max_tokens": 1}
    data = completion_response(payload, hashed_logprob, 1)
    ours = parse_echo_logprobs(data, prompts, "stub")

    ctxlen = len(tokenize(context))  # lm-eval's len(context_enc): the context, stripped
    theirs_data = {**data, "choices": data["choices"][1:]}
    theirs = LocalCompletionsAPI.parse_logprobs(theirs_data, ctxlens=[ctxlen] * len(texts))
    assert list(zip(ours.logprobs, ours.is_greedy, strict=True)) == theirs
