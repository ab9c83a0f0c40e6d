"""A database of real runs holding what money and summary figures must get right at once:
errors, a priced model, one without a price, answers reused from the cache and a judge."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from support.judging import stance_judge
from support.runs import cli, make_run, priced_models, replay, suite
from support.servers import StubServer

N = 12  # cases of the numeric suite
JUDGE = "openai/gpt-4o-mini"  # a judge with a known price
UNPRICED = "openai/no-such-price"  # the stub answers it; no price is known for it


@dataclass
class Lab:
    url: str
    first: str  # paid (3 wrong), short (4 of 12 unanswered: errors), unpriced
    cached: str  # the same again with the response cache: answers reused
    judged: str  # a stance grid on echo judged by JUDGE
    short: Path  # the replay file of the model with errors (rewrite it, then resume)
    env: dict[str, str]  # the stub server as OpenAI: for resumes and re-scoring


def make_lab(folder: Path, url: str, stub_server: StubServer) -> Lab:
    stub_server.answer = stance_judge(0.5)
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url, "OPENAI_API_KEY": "k"}
    cases = suite(folder / "suite", N, categories=3)
    models = priced_models(
        folder / "models.json",
        {"paid": (replay(folder / "paid.jsonl", N, failing=[1, 4, 7]), 2.0)},
    )
    short = folder / "short.jsonl"
    replay(short, N - 4, failing=[2])
    asked = ("paid", f"replay/{short}", UNPRICED)
    first = make_run(url, cases, *asked, models_file=models, cache=True, env=env)
    cached = make_run(url, cases, *asked, models_file=models, cache=True, env=env)
    judged = cli(
        "run", "rent-sycophancy", "--limit", "4", "--seed", "1", "-q", "--json",
        "-m", "echo", "--judge-model", JUDGE, "--db", url, env=env,
    )  # fmt: skip
    assert judged.returncode == 0, judged.stderr
    return Lab(url, first.run_id, cached.run_id, json.loads(judged.stdout)["run_id"], short, env)
