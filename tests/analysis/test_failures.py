"""`show --failures` and the report's section: what failed and errored, and why."""

from __future__ import annotations

import json
from pathlib import Path

from benchlab import api
from benchlab.analysis.failures import list_failures
from benchlab.store import Store
from support.runs import cli, make_run, suite


def _run(tmp_path: Path, db: str) -> str:
    """c0..c5: c1 and c3 answered wrong, c5 has no recorded answer (an error)."""
    path = suite(tmp_path, 6)
    answers = tmp_path / "answers.jsonl"
    with answers.open("w") as handle:
        for i in range(5):
            output = "wrong" if i in (1, 3) else str(i)
            handle.write(json.dumps({"case_id": f"c{i}", "output": output}) + "\n")
    return make_run(db, path, f"replay/{answers}").run_id


def test_failures_list_fails_and_errors_with_their_reasons(tmp_path: Path, db_url: str) -> None:
    run_id = _run(tmp_path, db_url)
    with Store(db_url) as store:
        found = list_failures(store, run_id)
    assert (found["failures"], found["errors"], found["shown"]) == (2, 1, 3)
    rows = {r["case_id"]: r for r in found["attempts"]}
    assert set(rows) == {"c1", "c3", "c5"}
    assert rows["c1"]["verdict"] == "fail" and rows["c1"]["reason"].startswith("numeric: ")
    assert "expected 1" in rows["c1"]["reason"] and rows["c1"]["output"] == "wrong"
    assert rows["c5"]["verdict"] == "error"
    assert "no recorded answer" in rows["c5"]["reason"]
    with Store(db_url) as store:
        assert list_failures(store, run_id, limit=1)["shown"] == 1


def test_show_failures_and_the_report_section(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/runs.db"
    run_id = _run(tmp_path, db)
    shown = cli("show", run_id, "--failures", "--json", "--db", db)
    assert shown.returncode == 0, shown.stderr
    assert [r["case_id"] for r in json.loads(shown.stdout)["attempts"]] == ["c1", "c3", "c5"]
    table = cli("show", run_id, "--failures", "--db", db, env={"COLUMNS": "100"}).stdout
    assert "2 failed" in table and "1 errors" in table
    assert "no recorded answer" in table and "numeric: expected 3" in table
    md = api.report(run_id, db=db, fmt="md")
    section = md.split("## Failures and errors", 1)[1].split("## Alerts", 1)[0]
    assert "2 failed, 1 errors" in section
    assert "| s/c1 | 0 | fail | numeric: expected 1" in section
    assert "| s/c5 | 0 | error |" in section and "no recorded answer" in section
    html = api.report(run_id, db=db, fmt="html")
    assert "<h2>Failures and errors</h2>" in html and "no recorded answer" in html


def test_show_attempt_shows_every_score_with_its_explanation(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/runs.db"
    run_id = _run(tmp_path, db)
    found = json.loads(cli("show", run_id, "--attempt", "c1", "--json", "--db", db).stdout)
    (score,) = found[0]["scores"]
    assert score["scorer"] == "numeric" and score["passed"] is False
    assert "expected 1" in score["explanation"]
    text = cli("show", run_id, "--attempt", "c1", "--db", db).stdout
    assert "score numeric: 0 fail · expected 1" in text
    errored = cli("show", run_id, "--attempt", "c5", "--db", db).stdout
    assert any(
        line.startswith("   error ") and "no recorded answer" in line
        for line in errored.splitlines()
    ), errored
