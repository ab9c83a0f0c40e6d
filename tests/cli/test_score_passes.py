"""Scoring passes kept apart (issue 11): a run judged by judge A, scored again by judge B.

Before, the second pass silently replaced the first in `show`, `export` and
`agreement`: judge A's numbers were reachable only in SQLite, exports named
neither pass nor judge, and two judges could not be held against the same
human labels. Here every view takes `--pass N|judge=MODEL`, says which pass it
shows, and `compare RUN --pass-a 0 --pass-b 1` compares the two judges.
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Any

import pytest

from support.runs import assert_user_error, cli
from support.servers import StubServer

JUDGE_A, JUDGE_B = "openai/judge-a", "openai/judge-b"


def _ok(result: Any) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _judges(payload: dict[str, Any]) -> str:
    """Judge A fails the drizzle haiku (2/10); judge B passes everything (10/10)."""
    prompt = payload["messages"][-1]["content"]
    graded = prompt.split("[Answer to grade]\n", 1)[1].split("\n", 1)[0]
    score = 2 if payload["model"] == "judge-a" and graded == "drizzle" else 10
    return json.dumps({"score": score, "reasoning": f"{payload['model']} graded {graded}"})


@pytest.fixture
def two_passes(tmp_path: Path, stub_server: StubServer) -> tuple[str, list[str]]:
    stub_server.answer = _judges
    suite = tmp_path / "open.yaml"
    suite.write_text(
        json.dumps(
            {
                "name": "open",
                "scorers": [{"name": "judge", "criteria": ["accuracy"], "threshold": 0.6}],
                "cases": [
                    {"id": "paris", "input": "Capital of France?", "expected": "Paris"},
                    {"id": "four", "input": "2 + 2?", "expected": "4"},
                    {"id": "haiku", "input": "A haiku about rain.", "expected": "rain"},
                ],
            }
        )
    )
    answers = tmp_path / "answers.jsonl"
    answers.write_text(
        "".join(
            json.dumps({"case_id": k, "output": v}) + "\n"
            for k, v in {"paris": "Paris", "four": "4", "haiku": "drizzle"}.items()
        )
    )
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url}
    db = ["--db", str(tmp_path / "p.db")]
    run = _ok(
        cli(
            "run",
            *(str(suite), "-m", f"replay/{answers}", "--judge-model", JUDGE_A, "-q", "--json"),
            *db,
            env=env,
        )
    )
    run_id = run["run_id"]
    _ok(cli("score", run_id, "--judge-model", JUDGE_B, "--json", *db, env=env))
    return run_id, db


def test_show_reads_the_pass_asked_for_and_says_which(two_passes: tuple[str, list[str]]) -> None:
    run_id, db = two_passes
    latest = _ok(cli("show", run_id, "--json", *db))
    assert latest["score_pass"] == 1 and latest["models"][0]["pass_rate"] == 1.0
    assert latest["scores_from"]["judge_model"] == JUDGE_B and latest["scores_from"]["latest"]
    first = _ok(cli("show", run_id, "--pass", "0", "--json", *db))
    (entry,) = first["models"]
    assert first["score_pass"] == 0 and entry["pass_rate"] == pytest.approx(2 / 3)
    assert entry["scores"]["judge"]["mean"] == pytest.approx((2 + 1 / 9) / 3)  # 2 on 1..10
    assert first["scores_from"]["judge_model"] == JUDGE_A and not first["scores_from"]["latest"]
    assert _ok(cli("show", run_id, "--pass", f"judge={JUDGE_A}", "--json", *db)) == first

    text = cli("show", run_id, *db, env={"COLUMNS": "200"})
    assert f"scores: pass 1 (judge {JUDGE_B}, " in text.stdout
    assert "95% CI by wilson" in text.stdout  # every interval in a table says how it was made
    scores_line = next(ln for ln in text.stdout.splitlines() if "│ judge" in ln)
    assert [c.strip() for c in scores_line.split("│")][-2] == "wilson"  # all 1.0: Wilson
    text = cli("show", run_id, "--pass", "0", *db, env={"COLUMNS": "200"})
    assert f"scores: pass 0 (the run's own scoring, judge {JUDGE_A}, " in text.stdout
    assert "not the latest pass" in text.stdout

    assert_user_error(cli("show", run_id, "--pass", "7", *db), "--pass 7", JUDGE_B)
    assert_user_error(cli("show", run_id, "--pass", "judge=nobody", *db), "nobody")
    assert_user_error(cli("show", run_id, "--pass", "latest-ish", *db), "--pass")


def test_exports_carry_pass_judge_and_reasoning(two_passes: tuple[str, list[str]]) -> None:
    run_id, db = two_passes
    export = cli("export", run_id, "--pass", "0", *db)
    assert export.returncode == 0, export.stderr
    rows = {r["case_id"]: r for r in map(json.loads, export.stdout.splitlines())}
    haiku = rows["haiku"]
    assert haiku["passed"] is False and haiku["score_pass"] == 0
    assert haiku["judge_model"] == JUDGE_A
    detail = haiku["score_details"]["judge"]
    assert detail["pass"] == 0 and detail["passed"] is False
    assert detail["judge_model"] == "judge-a" or detail["judge_model"] == JUDGE_A
    assert "judge-a graded drizzle" in json.dumps(detail)

    latest = cli("export", run_id, "--format", "csv", *db)
    assert latest.returncode == 0, latest.stderr
    (row,) = [r for r in csv.DictReader(io.StringIO(latest.stdout)) if r["case_id"] == "haiku"]
    assert row["score_pass"] == "1" and row["judge_model"] == JUDGE_B and row["passed"] == "True"
    assert "judge-b graded drizzle" in json.loads(row["score_details"])["judge"]["explanation"]

    document = _ok(cli("export", run_id, "--format", "json", "--pass", "0", *db))
    assert document["scores_from"]["pass"] == 0
    assert {s["pass_no"] for a in document["attempts"] for s in a["scores"]} == {0}


def test_two_passes_compare_like_two_runs(two_passes: tuple[str, list[str]]) -> None:
    run_id, db = two_passes
    data = _ok(cli("compare", run_id, "--pass-a", "0", "--pass-b", "1", "--json", *db))
    (m,) = data["models"]
    assert m["a"] == pytest.approx(2 / 3) and m["b"] == 1.0 and m["n_paired"] == 3
    assert m["flips"]["fail_to_pass"] == ["haiku"]
    assert data["scores_from"]["a"]["judge_model"] == JUDGE_A
    assert data["scores_from"]["b"]["judge_model"] == JUDGE_B
    text = cli("compare", run_id, "--pass-a", "0", "--pass-b", "1", *db, env={"COLUMNS": "200"})
    assert text.returncode == 0, text.stderr
    assert f"judge {JUDGE_A}" in text.stdout and f"judge {JUDGE_B}" in text.stdout
    assert_user_error(cli("compare", run_id, *db), "RUN_B")


def test_agreement_holds_each_judge_against_the_same_humans(
    two_passes: tuple[str, list[str]],
) -> None:
    run_id, db = two_passes
    rows = [json.loads(x) for x in cli("export", run_id, *db).stdout.splitlines()]
    for row in rows:  # the humans agree with judge A: the drizzle haiku fails
        label = "fail" if row["case_id"] == "haiku" else "pass"
        for who in ("ann", "bob"):
            added = cli("labels", "add", run_id, row["attempt_id"], label, "-l", who, *db)
            assert added.returncode == 0, added.stderr

    def verdict_kappa(*flags: str) -> tuple[float, dict[str, Any]]:
        report = _ok(cli("agreement", run_id, *flags, "--json", *db))
        found = {s["scorer"]: s for s in report["scorers"]}
        return found["verdict"]["kappa"]["kappa"], report["scores_from"]

    kappa_a, from_a = verdict_kappa("--pass", "0")
    kappa_b, from_b = verdict_kappa("--pass", f"judge={JUDGE_B}")
    assert kappa_a == 1.0 and from_a["judge_model"] == JUDGE_A
    assert (kappa_b is None or kappa_b < 1.0) and from_b["judge_model"] == JUDGE_B
    text = cli("agreement", run_id, "--pass", "0", *db, env={"COLUMNS": "200"})
    assert f"scores: pass 0 (the run's own scoring, judge {JUDGE_A}" in text.stdout


def test_dashboard_shows_the_pass_asked_for(two_passes: tuple[str, list[str]]) -> None:
    import httpx

    from support.lab import make_app
    from support.live_server import LiveServer

    run_id, db = two_passes
    with LiveServer(make_app(db[1])) as live, httpx.Client(base_url=live.url) as http:
        latest = http.get(f"/runs/{run_id}").text
        assert f"scores: pass 1 (judge {JUDGE_B}, " in latest
        assert f'href="/runs/{run_id}?pass=0"' in latest  # the other pass is one click away
        first = html.unescape(http.get(f"/runs/{run_id}", params={"pass": "0"}).text)
        assert f"scores: pass 0 (the run's own scoring, judge {JUDGE_A}, " in first
        assert "66.7%" in first and "wilson" in first  # its pass rate, and the interval's method
        api = http.get(f"/api/runs/{run_id}", params={"pass": f"judge={JUDGE_A}"}).json()
        assert api["score_pass"] == 0 and api["models"][0]["pass_rate"] == pytest.approx(2 / 3)
        missing = http.get(f"/api/runs/{run_id}", params={"pass": "9"})
        assert missing.status_code == 400 and "pass 9" in missing.text
        assert http.get(f"/runs/{run_id}", params={"pass": "9"}).status_code == 400


def test_dashboard_compares_two_passes(two_passes: tuple[str, list[str]]) -> None:
    import httpx

    from support.lab import make_app
    from support.live_server import LiveServer

    run_id, db = two_passes
    with LiveServer(make_app(db[1])) as live, httpx.Client(base_url=live.url) as http:
        params = {"a": run_id, "b": run_id, "pass_a": "0", "pass_b": "1"}
        page = http.get("/compare", params=params)
        assert page.status_code == 200, page.text
        text = html.unescape(page.text)
        assert f"A: scores: pass 0 (the run's own scoring, judge {JUDGE_A}" in text
        assert f"B: scores: pass 1 (judge {JUDGE_B}" in text
        assert "+33.3 pp" in text and 'class="ci-method muted"' in text
