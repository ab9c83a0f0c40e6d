"""`benchlab runs`: the same rows as `GET /api/runs`, and the same filters."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from support.lab import make_app
from support.live_server import LiveServer
from support.runs import assert_user_error, cli, make_run, priced_models, replay, suite


def test_runs_json_prints_the_rows_the_server_serves(tmp_path: Path) -> None:
    """The two views of a run were written twice, with different fields; now one model
    (analysis/run_views.RunRow) serves both, so the CLI's rows gained the totals."""
    db = f"sqlite:///{tmp_path}/runs.db"
    s = suite(tmp_path, 20)
    models = priced_models(tmp_path / "m.json", {"paid": (replay(tmp_path / "r.jsonl", 20), 1e3)})
    tagged = make_run(db, s, "oracle", tags={"env": "ci"})
    stopped = make_run(db, s, "paid", models_file=models, max_cost=0.02, concurrency=1)
    assert stopped.status == "stopped_budget"
    printed = json.loads(cli("runs", "--json", "--db", db).stdout)
    with LiveServer(make_app(db)) as live, httpx.Client(base_url=live.url, timeout=30) as c:
        served = c.get("/api/runs").json()["items"]
    assert printed == served
    assert [r["run_id"] for r in printed] == [stopped.run_id, tagged.run_id]
    assert printed[1]["per_model"][0]["pass_rate"] == 1.0 and printed[1]["attempts"] == 20

    def listed(*args: str) -> list[str]:
        return [r["run_id"] for r in json.loads(cli("runs", "--json", "--db", db, *args).stdout)]

    assert listed("--status", "stopped_budget") == [stopped.run_id]
    assert listed("--tag", "env=ci") == [tagged.run_id]
    assert listed("--limit", "1") == [stopped.run_id]
    assert_user_error(cli("runs", "--db", db, "--status", "bogus"), "--status", "stopped_budget")
    assert_user_error(cli("runs", "--db", db, "--tag", "novalue"), "--tag 'novalue'")


def test_runs_lists_a_database_it_may_only_read(tmp_path: Path) -> None:
    """The rows' totals come from a cache the store fills on first read; a database opened
    read-only (a colleague's file, a read-only role) is summed live instead of failing."""
    db = tmp_path / "shared.db"
    made = make_run(f"sqlite:///{db}", suite(tmp_path, 3), "oracle")
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
    result = cli("runs", "--json", "--db", read_only)
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert row["run_id"] == made.run_id and row["attempts"] == 3 and row["pass_rate"] == 1.0
    assert json.loads(cli("runs", "--json", "--db", str(db)).stdout) == [row]  # as cached
