"""`benchlab spend`: judges' paid calls count in the month (cached ones do not), and
`--budget` exits 1 over the budget, 0 within it, 2 on a bad amount."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.judging import stance_judge
from support.runs import assert_user_error, cli, make_run, priced_models, replay, suite
from support.servers import StubServer

JUDGE = "openai/gpt-4o-mini"  # a judge with a known price


def _ok(result: Any) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.slow
def test_judge_spend_counts_what_was_paid(tmp_path: Path, stub_server: StubServer) -> None:
    stub_server.answer = stance_judge(0.5)
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url, "OPENAI_API_KEY": "k"}
    db = ["--db", str(tmp_path / "b.db")]
    grid = ["rent-sycophancy", "--limit", "4", "--seed", "1", "-q", "--json", *db]
    judged = _ok(cli("run", *grid, "-m", "echo", "--judge-model", JUDGE, env=env))
    (entry,) = judged["models"]
    judge_cost = entry["judge_cost_usd"]
    sent = stub_server.count  # judge calls really sent (the cache may answer a repeat)
    assert judge_cost > 0 and sent >= 2
    first = _ok(cli("spend", "--json", *db))
    assert first["judge_calls"] == sent
    assert first["judge_calls"] + first["judge_cached_calls"] == entry["judge_calls"]
    assert first["judge_usd"] == first["total_usd"] == first["known_usd"]
    if first["judge_cached_calls"] == 0:  # nothing reused: what the summary prices was paid
        assert first["judge_usd"] == judge_cost
    assert [j["judge"] for j in first["by_judge"]] == [JUDGE]

    # Scoring the same answers again: the judge cache answers, nothing more is paid.
    calls = stub_server.count
    rescored = cli("score", judged["run_id"], "--judge-model", JUDGE, "--json", *db, env=env)
    assert rescored.returncode == 0, rescored.stderr
    assert stub_server.count == calls
    again = _ok(cli("spend", "--json", *db))
    assert again["judge_calls"] == sent
    assert again["judge_cached_calls"] == first["judge_cached_calls"] + entry["judge_calls"]
    assert again["total_usd"] == first["total_usd"]
    text = cli("spend", *db, env={"COLUMNS": "200"})
    assert "judges $" in text.stdout and "Judges" in text.stdout


@pytest.mark.slow
def test_budget_exit_codes(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'lab.db'}"
    n = 12
    models = priced_models(tmp_path / "m.json", {"paid": (replay(tmp_path / "r.jsonl", n), 1000.0)})
    cost = make_run(db, suite(tmp_path, n), "paid", models_file=models).summary["models"][0][
        "cost_usd"
    ]
    within = cli("spend", "--db", db, "--budget", str(cost * 2))
    assert within.returncode == 0, within.stderr
    assert "(50%)" in within.stdout and "left" in within.stdout

    over = cli("spend", "--db", db, "--budget", str(cost / 2))
    assert over.returncode == 1, over.stderr
    assert "OVER BUDGET by" in " ".join(over.stdout.split())
    as_json = cli("spend", "--db", db, "--budget", str(cost / 2), "--json")
    assert as_json.returncode == 1
    status = json.loads(as_json.stdout)["budget"]
    assert status["over"] is True and status["crossed"] == [80, 100]

    assert_user_error(cli("spend", "--db", db, "--budget", "0"), "--budget")
    assert_user_error(cli("spend", "--db", db, "--budget", "-3"), "--budget")
    assert cli("spend", "--db", db, "--budget", "lots").returncode == 2
