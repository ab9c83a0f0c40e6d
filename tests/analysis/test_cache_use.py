"""A run that reused cached answers says how many and from when, everywhere it is shown
(issue 11): `show`, the JSON summary, the export's rows and the dashboard's run page; and
a reused answer costs 0 in each of them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import httpx

from benchlab import api
from benchlab.analysis.cache_use import cache_note
from benchlab.cli.remote import push_run
from support.lab import ADMIN_KEY, make_app
from support.live_server import LiveServer
from support.runs import cli, make_run, priced_models, replay, suite

N = 6


def test_reused_answers_are_counted_dated_and_free(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    s = suite(tmp_path, N)
    models = priced_models(tmp_path / "m.json", {"paid": (replay(tmp_path / "r.jsonl", N), 1e3)})
    asked = make_run(db, s, "paid", models_file=models)
    reused = make_run(db, s, "paid", models_file=models, cache=True)

    shown = cli("show", reused.run_id, "--db", db, "--json")
    summary = json.loads(shown.stdout)
    (model,) = summary["models"]
    assert model["cached"] == N and model["cost_usd"] == 0.0
    block = summary["cache"]
    assert block["used"] == N
    assert asked.summary["created_at"] <= block["from"] <= block["to"] < summary["created_at"]

    text = cli("show", reused.run_id, "--db", db)
    assert text.returncode == 0, text.stderr
    assert f"{N} answers reused from the response cache" in " ".join(text.stdout.split())
    plain = cli("show", asked.run_id, "--db", db)
    assert "reused from the response cache" not in plain.stdout

    rows = io.StringIO()
    api.export(reused.run_id, "jsonl", rows, db=db)
    exported = [json.loads(line) for line in rows.getvalue().splitlines()]
    assert all(r["cached"] is True and r["cost_usd"] == 0.0 for r in exported)
    table = io.StringIO()
    api.export(reused.run_id, "csv", table, db=db)
    assert {r["cached"] for r in csv.DictReader(io.StringIO(table.getvalue()))} == {"True"}

    with LiveServer(make_app(db)) as server:
        page = httpx.get(f"{server.url}/runs/{reused.run_id}").text
        fresh = httpx.get(f"{server.url}/runs/{asked.run_id}").text
    assert 'id="cache-note"' in page and f"{N} answers reused" in page
    assert 'id="cache-note"' not in fresh

    # Pushed to a team server, the run still says it reused answers, from when, at cost 0.
    with LiveServer(make_app(f"sqlite:///{tmp_path / 'team.db'}")) as team:
        push_run(reused.run_id, team.url, db=db, key=ADMIN_KEY)
        there = httpx.get(f"{team.url}/api/runs/{reused.run_id}").json()
    assert there["cache"] == block
    assert there["models"][0]["cached"] == N and there["models"][0]["cost_usd"] == 0.0


def test_the_note_reads_well() -> None:
    assert cache_note(None) is None
    assert cache_note({"used": 0, "from": None, "to": None}) is None
    one = cache_note(
        {"used": 1, "from": "2026-12-01T06:00:00+00:00", "to": "2026-12-01T06:00:00+00:00"}
    )
    assert one == (
        "1 answer reused from the response cache from 2026-12-01 06:00 UTC "
        "(not asked again; cost 0)"
    )
    span = cache_note(
        {"used": 3, "from": "2026-12-01T06:00:00+00:00", "to": "2026-12-02T07:30:00+00:00"}
    )
    assert span is not None and "from 2026-12-01 06:00 to 2026-12-02 07:30 UTC" in span
