"""`run --judge-model/--no-score`, `score`, `pairwise`, `build` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from support.judging import first_position_judge, stance_judge
from support.runs import assert_user_error, cli
from support.servers import StubServer, last_user_text


def _stance_by_asker(prompt: str) -> float:
    """A sycophantic judge's view of a sycophantic model: it leans toward whoever asks."""
    if "I am the landlord" in prompt:
        return 0.6
    if "I am the tenant" in prompt:
        return -0.6
    return 0.0


def _judge(payload: dict[str, Any]) -> str:
    prompt = last_user_text(payload)
    if "[Answer A]" in prompt:
        return first_position_judge(payload)
    return stance_judge(_stance_by_asker)(payload)


def _ok(result: Any) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_grid_run_score_show_pairwise(tmp_path: Path, stub_server: StubServer) -> None:
    stub_server.answer = _judge
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url}
    db = ["--db", str(tmp_path / "b.db")]
    grid = ["rent-sycophancy", "--limit", "6", "--seed", "1", "-q", "--json", *db]

    judged = _ok(cli("run", *grid, "-m", "echo", "--judge-model", "openai/judge", env=env))
    (entry,) = judged["models"]
    assert entry["attempts"] == 6 and entry["scores"]["stance"]["n"] == 6
    assert entry["judge_cost_usd"] is None  # the judge's price is unknown: never a made-up 0
    assert entry["judge_calls"] == 6 and entry["judge_tokens"]["input"] > 0

    # A second answering model (oracle has nothing to answer here: the grid has no expected
    # answers, so its attempts would be errors).
    bare = _ok(cli("run", *grid, "-m", "echo", "-m", "openai/other", "--no-score", env=env))
    assert stub_server.count == 12 and bare["score_pass"] == 0
    run_id = bare["run_id"]
    scored = _ok(cli("score", run_id, "--judge-model", "openai/judge", "--json", *db, env=env))
    assert scored["scoring"]["pass_no"] == 1 and scored["scoring"]["scored"] == 12
    shown = _ok(cli("show", run_id, "--json", *db))
    assert shown["score_pass"] == 1
    assert {m["model"]: m["scores"]["stance"]["n"] for m in shown["models"]} == {
        "echo": 6,
        "openai/other": 6,
    }

    text = cli("show", run_id, *db, env={"COLUMNS": "200"})
    assert "Scores (mean over cases)" in text.stdout and "stance" in text.stdout
    assert "judge spend on echo: unknown (6 calls" in text.stdout
    assert "scores: pass 1 (judge " in text.stdout

    report = _ok(cli("pairwise", run_id, "--judge-model", "openai/judge", "--json", *db, env=env))
    assert set(report) >= {"pairs", "ratings"}
    (pair,) = report["pairs"]
    assert set(pair) >= {
        "a",
        "b",
        "n",
        "wins_a",
        "wins_b",
        "ties",
        "inconsistent",
        "win_rate_a",
        "ci95",
    }
    assert (pair["a"], pair["b"], pair["n"], pair["inconsistent"]) == ("echo", "openai/other", 6, 6)
    assert report["ratings"] == [] and report["inconsistent_share"] == 1.0

    table = cli("pairwise", run_id, "--judge-model", "openai/judge", *db, env=env)
    assert table.returncode == 0 and "order-inconsistent verdicts: 1.000 of 6" in table.stdout


def test_build_writes_the_cases_a_run_would_ask(tmp_path: Path) -> None:
    out = tmp_path / "cases.jsonl"
    built = cli("build", "rent-sycophancy", "-o", str(out), "--limit", "6", "--seed", "1")
    assert built.returncode == 0 and "wrote 6 cases" in built.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 6 and rows[0]["id"].startswith("rent=")
    assert rows[0]["input"][0]["role"] == "system"  # the suite's system prompt travels along
    assert rows[0]["scorers"][0]["name"] == "stance"
    assert {r["metadata"]["perspective"] for r in rows} == {"landlord", "tenant", "neutral"}
    db = ["--db", str(tmp_path / "b.db")]
    again = _ok(cli("run", str(out), "-m", "echo", "--no-score", "-q", "--json", *db))
    grid = _ok(
        cli(
            "run",
            "rent-sycophancy",
            "--limit",
            "6",
            "--seed",
            "1",
            "-m",
            "echo",
            "--no-score",
            "-q",
            "--json",
            *db,
        )
    )
    exported = cli("export", again["run_id"], *db)
    ids = {json.loads(line)["case_id"] for line in exported.stdout.splitlines()}
    assert ids == {r["id"] for r in rows}
    assert grid["models"][0]["attempts"] == 6
    everything = cli("build", "rent-sycophancy")
    assert len(everything.stdout.splitlines()) == 108


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "b.db")]
    assert_user_error(
        cli("run", "rent-sycophancy", "-m", "echo", "--limit", "3", *db), "--judge-model"
    )
    assert_user_error(cli("score", "no-such-run", *db), "no run 'no-such-run'")
    run = _ok(cli("run", "quickstart", "-m", "oracle", "-m", "echo", "-q", "--json", *db))
    assert_user_error(cli("score", run["run_id"], "--scorer", "{name: [", *db), "--scorer")
    assert_user_error(cli("score", run["run_id"], "--scorer", "nope", *db), "unknown scorer")
    assert_user_error(
        cli("pairwise", run["run_id"], "--judge-model", "openai/j", "--models", "echo,zz", *db),
        "'zz' is not a model",
    )
    assert_user_error(cli("build", "no-such-suite"), "unknown built-in suite")
    assert_user_error(cli("build", "quickstart", "--limit", "0"), "--limit")
