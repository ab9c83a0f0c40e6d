"""Errors are errors, over real HTTP: a failed request or a raising scorer is never a fail.

An errored attempt has `passed` None, status "error" and a kind; every rate is
over the judged attempts only, with the errors counted apart by kind.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchlab import api
from benchlab.domain import ModelProfile, ScorerSpec
from benchlab.engine.config import RunConfig
from benchlab.store import Store
from benchlab.store.stats import for_runs
from support.servers import Empty, Garbage, Status, StubServer, every_nth, last_user_text
from support.suites import write_jsonl_suite

N = 12


def _config(suite: Path, db_url: str, **kw: Any) -> RunConfig:
    base: dict[str, Any] = dict(
        suites=[str(suite)],
        models=[ModelProfile(name="openai/stub", spec="openai/stub")],
        scorers=[ScorerSpec(name="numeric")],
        db=db_url,
        retry_base_delay=0.01,
        retry_max_delay=0.05,
        concurrency=4,
        retries=0,
        cache=False,  # every run measures: none of these may be answered from the cache
    )
    base.update(kw)
    return RunConfig(**base)


def _env(server: StubServer) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.openai_base_url, "OPENAI_API_KEY": "sk-test"}


def _odd_cases_wrong(payload: dict[str, Any]) -> str:
    """Right on even cases, wrong on odd ones: a clean pass rate of exactly 1/2."""
    text = last_user_text(payload)
    return "wrong" if int(text.split()[-1]) % 2 else text


async def test_server_errors_on_a_third_leave_the_pass_rate_of_the_judged(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", N)
    stub_server.answer = _odd_cases_wrong
    clean = await api.arun(_config(suite, db_url), env=_env(stub_server))
    assert clean.summary["models"][0]["pass_rate"] == 0.5

    stub_server.behave = every_nth(3, Status(500))  # c0, c3, c6, c9: two right, two wrong
    flaky = await api.arun(_config(suite, db_url), env=_env(stub_server))
    (model,) = flaky.summary["models"]
    assert model["attempts"] == N and model["errors"] == 4 and model["judged"] == 8
    assert model["pass_rate"] == 0.5  # the clean rate; counting errors as fails gave 1/3
    assert model["errors_by_kind"] == {
        "server": {"count": 4, "first_message": model["errors_by_kind"]["server"]["first_message"]}
    }
    assert "HTTP 500" in model["errors_by_kind"]["server"]["first_message"]
    assert flaky.summary["errors"] == 4 and set(flaky.summary["errors_by_kind"]) == {"server"}
    assert sum(c["errors"] for c in model["by_category"].values()) == 4
    assert sum(c["n"] for c in model["by_category"].values()) == 8
    errored = [a for a in flaky.attempts() if a.status == "error"]
    assert sorted(a.case_id for a in errored) == ["c0", "c3", "c6", "c9"]
    assert all(a.passed is None and a.error_type == "server" for a in errored)
    with Store(db_url) as store:  # what history, leaderboards and the overview read
        (stat,) = for_runs(store, [flaky.run_id])[flaky.run_id]
    assert (stat.attempts, stat.judged, stat.errors, stat.pass_rate) == (N, 8, 4, 0.5)


async def test_broken_bodies_are_bad_response_errors(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 3)
    stub_server.script(Empty(), Garbage(), Status(200, body={"choices": []}))
    result = await api.arun(_config(suite, db_url, concurrency=1), env=_env(stub_server))
    (model,) = result.summary["models"]
    assert model["errors"] == 3 and model["pass_rate"] is None and model["ci95"] is None
    assert model["errors_by_kind"]["bad_response"]["count"] == 3
    assert result.status == "completed"  # the run finished; its attempts did not measure


async def test_a_regex_scorer_with_an_invalid_pattern_is_a_scorer_error(
    tmp_path: Path, db_url: str
) -> None:
    suite = tmp_path / "re.jsonl"
    rows = [
        {"id": "ok", "input": "abc", "expected": "a.c"},
        {"id": "bad", "input": "x", "expected": "(["},
    ]
    suite.write_text("".join(json.dumps(r) + "\n" for r in rows))
    config = _config(suite, db_url, models=[ModelProfile(name="echo", spec="echo")])
    config = config.model_copy(update={"scorers": [ScorerSpec(name="regex")]})
    result = await api.arun(config)
    by_case = {a.case_id: a for a in result.attempts()}
    bad = by_case["bad"]
    assert bad.status == "error" and bad.passed is None and bad.error_type == "scorer"
    assert "invalid regex" in (bad.error_message or "") and bad.output is not None
    assert by_case["ok"].passed is True
    (model,) = result.summary["models"]
    assert model["pass_rate"] == 1.0 and model["errors"] == 1
    assert "invalid regex" in model["errors_by_kind"]["scorer"]["first_message"]


async def test_a_custom_scorer_that_raises_is_a_scorer_error(tmp_path: Path, db_url: str) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 4)
    config = _config(suite, db_url, models=[ModelProfile(name="echo", spec="echo")])
    specs = [ScorerSpec(name="numeric"), ScorerSpec(name="support.custom_scorers:raises_on_odd")]
    result = await api.arun(config.model_copy(update={"scorers": specs}))
    errored = sorted(a.case_id for a in result.attempts() if a.status == "error")
    assert errored == ["c1", "c3"]
    (model,) = result.summary["models"]
    assert model["pass_rate"] == 1.0 and model["errors"] == 2
    first = model["errors_by_kind"]["scorer"]["first_message"]
    assert "RuntimeError" in first and "odd case" in first
    assert model["scores"]["numeric"]["n"] == 2  # score means: over the judged attempts too
