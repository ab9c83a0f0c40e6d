"""`pairwise` over real HTTP: both orders asked, position bias exposed, calls via the engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchlab import api
from benchlab.domain import ScorerSpec
from benchlab.engine.config import RunConfig
from benchlab.errors import ConfigError, MissingCredentials
from benchlab.providers.profiles import resolve_models
from support.judging import first_position_judge, longer_answer_judge, section
from support.runs import priced_models
from support.servers import Status, StubServer, last_user_text

CASES = ["c0", "c1", "c2", "c3"]


def _run(tmp_path: Path, db: str, lengths: dict[str, int]) -> str:
    """A run of models named by how long their answers are (longer = better, to the judge)."""
    suite = tmp_path / "s.jsonl"
    suite.write_text(
        "".join(
            json.dumps({"id": c, "input": f"Explain {c}.", "expected": c}) + "\n" for c in CASES
        )
    )
    profiles = {}
    for name, words in lengths.items():
        path = tmp_path / f"{name}.jsonl"
        lines = [
            json.dumps({"case_id": c, "output": " ".join([f"{name}-{c}"] * words)}) for c in CASES
        ]
        path.write_text("\n".join(lines) + "\n")
        profiles[name] = (f"replay/{path}", 0.0)
    models_file = priced_models(tmp_path / "models.json", profiles)
    config = RunConfig(
        suites=[str(suite)],
        models=resolve_models(list(lengths), models_file),
        scorers=[ScorerSpec(name="contains")],
        db=db,
    )
    return api.run(config).run_id


def _env(server: StubServer) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.openai_base_url}


def test_always_first_judge_is_all_ties_and_all_inconsistent(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    run_id = _run(tmp_path, db_url, {"short": 1, "long": 5})
    stub_server.answer = first_position_judge
    report = api.pairwise(run_id, "openai/judge", db=db_url, env=_env(stub_server))
    (pair,) = report["pairs"]
    assert pair["n"] == 4 and pair["ties"] == 4 and pair["inconsistent"] == 4
    assert pair["wins_a"] == pair["wins_b"] == 0 and pair["win_rate_a"] == 0.5
    assert report["inconsistent_share"] == 1.0
    assert report["judge"]["calls"] == 8 == stub_server.count
    # every case was shown both ways round
    shown = {
        (section(p, "Answer A", "\n\n[Answer B]"), section(p, "Answer B", "\n\nReply"))
        for p in (last_user_text(r["json"]) for r in stub_server.requests)
    }
    for case in CASES:
        assert (f"short-{case}", " ".join([f"long-{case}"] * 5)) in shown
        assert (" ".join([f"long-{case}"] * 5), f"short-{case}") in shown
    assert all(
        r["json"]["response_format"] == {"type": "json_object"} for r in stub_server.requests
    )


def test_a_consistent_judge_decides_and_three_models_get_ratings(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    run_id = _run(tmp_path, db_url, {"terse": 1, "medium": 3, "verbose": 6})
    stub_server.answer = longer_answer_judge
    report = api.pairwise(run_id, "openai/judge", db=db_url, env=_env(stub_server))
    pairs = {(p["a"], p["b"]): p for p in report["pairs"]}
    assert list(pairs) == [("terse", "medium"), ("terse", "verbose"), ("medium", "verbose")]
    for pair in pairs.values():
        assert pair["wins_b"] == 4 and pair["inconsistent"] == 0 and pair["win_rate_a"] == 0.0
        assert pair["ci95"][0] == 0.0 and pair["ci95"][1] < 0.6
    assert report["inconsistent_share"] == 0.0
    assert [r["model"] for r in report["ratings"]] == ["verbose", "medium", "terse"]
    assert all(set(r) == {"model", "rating", "ci95"} for r in report["ratings"])
    # the judge's verdicts are cached: asking again sends nothing
    sent = stub_server.count
    again = api.pairwise(run_id, "openai/judge", db=db_url, env=_env(stub_server))
    assert stub_server.count == sent and again["pairs"] == report["pairs"]
    api.pairwise(run_id, "openai/judge", db=db_url, cache=False, env=_env(stub_server))
    assert stub_server.count == 2 * sent  # --no-cache asks every question again


def test_models_subset_retries_and_errors(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    run_id = _run(tmp_path, db_url, {"a": 1, "b": 2, "c": 3})
    names = ["a", "c"]
    stub_server.answer = longer_answer_judge
    stub_server.script(Status(429, retry_after=0.01), Status(500))
    report = api.pairwise(run_id, "openai/judge", db=db_url, models=names, env=_env(stub_server))
    assert [(p["a"], p["b"]) for p in report["pairs"]] == [("a", "c")]
    assert report["pairs"][0]["n"] == 4 and report["ratings"] == []
    assert stub_server.count == 10  # 8 verdicts + 2 retried failures

    stub_server.answer = lambda payload: "B, obviously"
    bad = api.pairwise(run_id, "openai/other", db=db_url, models=["a", "b"], env=_env(stub_server))
    assert bad["errors"] == 4 and bad["pairs"][0]["n"] == 0 and bad["pairs"][0]["ci95"] is None


def test_bad_requests_fail_before_any_call(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    run_id = _run(tmp_path, db_url, {"a": 1, "b": 2})
    with pytest.raises(ConfigError, match="'zzz' is not a model of run"):
        api.pairwise(run_id, "openai/j", db=db_url, models=["a", "zzz"], env=_env(stub_server))
    with pytest.raises(ConfigError, match="at least two models"):
        api.pairwise(run_id, "openai/j", db=db_url, models=["a"], env=_env(stub_server))
    with pytest.raises(MissingCredentials):
        api.pairwise(run_id, "openai/gpt-4o-mini", db=db_url, env={})
    assert stub_server.count == 0
