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
    result = cli("runs", "--json", "--db", read_only, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "file:").exists()  # a URI names a file; no folder is made for it
    (row,) = json.loads(result.stdout)
    assert row["run_id"] == made.run_id and row["attempts"] == 3 and row["pass_rate"] == 1.0
    assert json.loads(cli("runs", "--json", "--db", str(db)).stdout) == [row]  # as cached


def test_runs_sort_orders_as_the_dashboard_does(tmp_path: Path) -> None:
    """`--sort KEY` takes the runs list's keys (store/run_query.RUN_SORTS) and orders the
    whole list as `GET /api/runs?sort=KEY` (the dashboard's sortable columns) does."""
    db = f"sqlite:///{tmp_path}/runs.db"
    s = suite(tmp_path, 4)
    half = make_run(db, s, replay(tmp_path / "half.jsonl", 4, failing=[0, 1])).run_id
    whole = make_run(db, s, "oracle").run_id
    most = make_run(db, s, replay(tmp_path / "most.jsonl", 4, failing=[0])).run_id

    def listed(*args: str) -> list[str]:
        result = cli("runs", "--json", "--db", db, *args)
        assert result.returncode == 0, result.stderr
        return [r["run_id"] for r in json.loads(result.stdout)]

    assert listed("--sort", "pass_rate") == [half, most, whole]
    assert listed("--sort=created") == [half, whole, most]
    assert listed("--sort", "-pass_rate", "--limit", "2") == [whole, most]  # sorted, then cut
    with LiveServer(make_app(db)) as live, httpx.Client(base_url=live.url, timeout=30) as c:
        for key in ("errors", "-duration", "cost"):
            served = [r["run_id"] for r in c.get("/api/runs", params={"sort": key}).json()["items"]]
            assert listed("--sort", key) == served, key
    table = cli("runs", "--db", db, "--sort", "-pass_rate")
    assert table.returncode == 0, table.stderr
    assert "by pass_rate, descending" in table.stdout
    lines = [line for line in table.stdout.splitlines() if half in line or whole in line]
    assert "100.0%" in lines[0] and "50.0%" in lines[1]  # the sorted-by column is shown
    assert_user_error(
        cli("runs", "--db", db, "--sort", "rate"), "--sort", "'rate'", "pass_rate", "-duration"
    )
