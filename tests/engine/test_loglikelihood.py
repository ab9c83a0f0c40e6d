"""Log-likelihood mode end to end: suites built in code, asked over real HTTP to a completions
endpoint with prompt logprobs (or `oracle`), stored in a real database, cached, re-scored."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from benchlab import api
from benchlab.domain import Case, ModelProfile, Price, ScorerSpec, SuiteHeader
from benchlab.engine.config import RunConfig
from benchlab.errors import ConfigError
from benchlab.store import Store
from benchlab.suites import LoadedSuite
from support.completions import alternative_logprob
from support.runs import assert_user_error, cli
from support.servers import StubServer

# What the stub's model thinks of each word of a continuation (context words: -2).
WORDS = {"Paris": -0.5, "Lyon": -2.5, "blue": -1.0, "red": -3.0, "a": -0.25, "very": -0.25}
WORDS |= {"pale": -0.25, "green": -3.5, "yes": -0.1, "no": -4.0, "maybe": -2.0}


def word_logprob(prefix: str, token: str) -> float:
    return WORDS.get(token.strip(), -2.0)


def mc(case_id: str, context: str, choices: list[str], expected: dict[str, Any]) -> Case:
    return Case(
        id=case_id,
        input=context,
        expected=expected,
        metadata={
            "loglikelihood": {"context": context, "continuations": [" " + c for c in choices]}
        },
    )


def acc_suite() -> LoadedSuite:
    header = SuiteHeader(
        name="mc-acc",
        metadata={"mode": "loglikelihood"},
        scorers=[
            ScorerSpec(name="loglikelihood"),
            ScorerSpec(name="loglikelihood", options={"metric": "acc_norm", "as": "acc_norm"}),
        ],
    )
    return LoadedSuite.from_cases(
        header,
        [
            # Paris -0.5 beats Lyon -2.5 both ways: right.
            mc("capital", "Q: capital of France?\nA:", ["Paris", "Lyon"], {"gold": 0}),
            # blue -1.0 beats "a very pale green" (-4.25) by sum, not per character
            # (-1/4 vs -4.25/17 = -0.25: a tie, the first wins), so gold 1 is missed by both.
            mc("sky", "Q: sky colour?\nA:", ["blue", "a very pale green"], {"gold": 1}),
            # red -3.0 (3 chars: -1.0/char) vs "a very pale green": -0.25/char wins by length.
            mc("grass", "Q: grass colour?\nA:", ["red", "a very pale green"], {"gold": 1}),
        ],
    )


def mc2_suite() -> LoadedSuite:
    header = SuiteHeader(
        name="mc-two", metadata={"mode": "loglikelihood"}, scorers=[ScorerSpec(name="mc2")]
    )
    return LoadedSuite.from_cases(
        header,
        [mc("truth", "Q: is it so?\nA:", ["yes", "maybe", "no"], {"labels": [1, 1, 0]})],
    )


def config(db_url: str, model: str, **overrides: Any) -> RunConfig:
    settings: dict[str, Any] = {"concurrency": 2, "retries": 0, **overrides}
    return RunConfig(
        suites=[acc_suite(), mc2_suite()],
        models=[ModelProfile(name="base", spec=model)],
        db=db_url,
        **settings,
    )


def vllm_env(server: StubServer) -> dict[str, str]:
    return {"VLLM_BASE_URL": server.openai_base_url}


async def test_scored_from_prompt_logprobs_over_http(tmp_path: Path, db_url: str) -> None:
    with StubServer(token_logprob=word_logprob) as server:
        result = await api.arun(config(db_url, "vllm/base-7b"), env=vllm_env(server))
        assert result.status == "completed"
        assert server.count == 4  # one request per case, every continuation in it
        for request in server.requests:
            assert request["path"] == "/v1/completions"
            assert request["json"]["echo"] is True and request["json"]["max_tokens"] == 1

        attempts = {a.case_id: a for a in result.attempts()}
        assert all(a.status == "ok" for a in attempts.values())
        sky = attempts["sky"]
        assert sky.prompt == [{"role": "user", "content": "Q: sky colour?\nA:"}]
        stored = json.loads(sky.output or "")
        assert stored["logprobs"] == [-1.0, -4.25]
        assert stored["lengths"] == [4.0, 17.0]  # the choices' characters, no leading space
        # " blue" is greedy when the stub's best alternative after the context is less likely.
        assert stored["is_greedy"][0] is (alternative_logprob("Q: sky colour?\nA:") <= -1.0)
        # The server's token counts: the context alone (4 words), then the context with
        # each continuation (1 and 4 words); one token generated per prompt.
        assert (sky.input_tokens, sky.output_tokens) == (4 + (4 + 1) + (4 + 4), 3)

        def scores(case_id: str) -> dict[str, float | None]:
            return {s.scorer: s.value for s in attempts[case_id].scores}

        assert scores("capital") == {"loglikelihood": 1.0, "acc_norm": 1.0}
        assert scores("sky") == {"loglikelihood": 0.0, "acc_norm": 0.0}
        assert scores("grass") == {"loglikelihood": 0.0, "acc_norm": 1.0}
        [truth] = attempts["truth"].scores
        # p(yes) : p(maybe) : p(no) = e^-0.1 : e^-2 : e^-4
        expected = (math.exp(-0.1) + math.exp(-2)) / (math.exp(-0.1) + math.exp(-2) + math.exp(-4))
        assert truth.scorer == "mc2" and truth.value == pytest.approx(expected, abs=1e-12)
        assert truth.passed is None

        # A cached re-run sends nothing and scores the same.
        before = server.count
        again = await api.arun(config(db_url, "vllm/base-7b", cache=True), env=vllm_env(server))
        assert server.count == before
        cached = {a.case_id: a for a in again.attempts()}
        assert all(a.cached for a in cached.values())
        assert {c: [s.value for s in a.scores] for c, a in cached.items()} == {
            c: [s.value for s in a.scores] for c, a in attempts.items()
        }

    # Scored again from the stored outputs alone: the server is gone.
    summary = await api.ascore(result.run_id, db=db_url)
    assert summary["scoring"]["scored"] == 4 and summary["scoring"]["errors"] == 0
    with Store(db_url) as store:
        rescored = {a.case_id: a for a in store.iter_attempts(result.run_id)}
    assert {s.scorer: s.value for s in rescored["grass"].scores} == scores("grass")


async def test_the_budget_holds_log_likelihood_requests(db_url: str) -> None:
    """Priced at 1000 US$ per 1M tokens, each case costs about 0.02 US$ by the server's
    count and holds a bound of about 0.1 US$ while in flight (a byte per token): a 0.13 US$
    cap sends the first two cases and stops."""
    priced = ModelProfile(name="base", spec="vllm/base-7b", price=Price(input=1000, output=1000))
    capped = config(db_url, "vllm/base-7b", max_cost=0.13, concurrency=1)
    capped.models = [priced]
    with StubServer(token_logprob=word_logprob) as server:
        result = await api.arun(capped, env=vllm_env(server))
        sent = server.count
    assert result.status == "stopped_budget"
    assert sent == 2
    [model] = result.summary["models"]
    assert 0 < model["cost_usd"] <= 0.13


async def test_oracle_scores_every_case_right(db_url: str) -> None:
    result = await api.arun(config(db_url, "oracle"))
    assert result.status == "completed"
    values = {(a.case_id, s.scorer): s.value for a in result.attempts() for s in a.scores}
    assert values == {
        ("capital", "loglikelihood"): 1.0,
        ("capital", "acc_norm"): 1.0,
        ("sky", "loglikelihood"): 1.0,
        ("sky", "acc_norm"): 1.0,
        ("grass", "loglikelihood"): 1.0,
        ("grass", "acc_norm"): 1.0,
        ("truth", "mc2"): 1.0,
    }


async def test_a_chat_only_provider_is_refused_before_anything_is_sent(db_url: str) -> None:
    with StubServer() as server:
        env = {"ANTHROPIC_BASE_URL": server.url, "ANTHROPIC_API_KEY": "k"}
        with pytest.raises(ConfigError) as refused:
            await api.arun(config(db_url, "anthropic/claude-x"), env=env)
        assert server.count == 0
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith("model 'base': suite 'mc-acc' is scored by log-likelihood")
    assert "provider 'anthropic' cannot give" in message and "echo + logprobs" in message


async def test_a_case_without_its_continuations_is_refused(db_url: str) -> None:
    header = SuiteHeader(name="bad", metadata={"mode": "loglikelihood"}, scorers=[])
    suite = LoadedSuite.from_cases(header, [Case(id="x", input="Q", expected={"gold": 0})])
    bad = RunConfig(
        suites=[suite],
        models=[ModelProfile(name="oracle", spec="oracle")],
        scorers=[ScorerSpec(name="loglikelihood")],
        db=db_url,
    )
    with pytest.raises(ConfigError, match="suite 'bad': case 'x': a loglikelihood suite's case"):
        await api.arun(bad)


def test_a_dry_run_estimates_every_continuation(db_url: str) -> None:
    report = api.plan(config(db_url, "vllm/base-7b")).as_dict()
    assert report["cases"] == 4 and report["requests"] == 4
    [model] = report["models"]
    # One generated token per prompt: the context alone, then each continuation.
    assert model["output_tokens"] == 3 + 3 + 3 + 4
    assert model["input_tokens"] > 0
    assert report["example_prompt"] == [{"role": "user", "content": "Q: capital of France?\nA:"}]


SUITE_FILE = """\
name: mcq
metadata: {mode: loglikelihood}
scorers: [loglikelihood]
cases:
  - id: a
    input: "Q: capital of France?"
    expected: {gold: 0}
    metadata:
      loglikelihood: {context: "Q: capital of France?\\nA:", continuations: [" Paris", " Lyon"]}
"""


def test_the_command_line_refuses_a_chat_provider_in_one_line(tmp_path: Path) -> None:
    """A suite file whose header says the mode: exit 2, one line, no request."""
    suite_file = tmp_path / "mcq.yaml"
    suite_file.write_text(SUITE_FILE)
    db = f"sqlite:///{tmp_path}/cli.db"
    with StubServer() as server:
        env = {"OLLAMA_HOST": server.url}
        refused = cli("run", str(suite_file), "-m", "ollama/llama3", "--db", db, env=env)
        assert server.count == 0
    assert_user_error(refused, "provider 'ollama' cannot give", "echo + logprobs")
    done = cli("run", str(suite_file), "-m", "oracle", "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["models"][0]["pass_rate"] == 1.0
