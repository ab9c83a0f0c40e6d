"""Spend is one number everywhere (issue 11): `benchlab spend --json`, `GET /api/spend` and the
dashboard's overview read one query; runs of every status count, cached answers cost 0, and an
unpriced model's spend is "unknown", never $0.0000."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from benchlab.analysis.spend import monthly_spend
from benchlab.store import Store
from support.lab import make_app
from support.live_server import LiveServer
from support.runs import cli, make_run, priced_models, replay, suite
from support.servers import StubServer

N = 12
FIGURES = ("total_usd", "known_usd", "requests", "unpriced_requests", "cached_answers", "runs")


def test_one_spend_everywhere(tmp_path: Path, stub_server: StubServer) -> None:
    db = f"sqlite:///{tmp_path / 'lab.db'}"
    s = suite(tmp_path, N)
    answers = replay(tmp_path / "r.jsonl", N)
    models = priced_models(
        tmp_path / "m.json",
        {"paid": (answers, 1000.0)},
    )
    full = make_run(db, s, "paid", models_file=models)
    stopped = make_run(db, s, "paid", models_file=models, max_cost=0.02, concurrency=4)
    assert stopped.status == "stopped_budget"
    cached = make_run(db, s, "paid", models_file=models, cache=True)
    assert cached.summary["models"][0]["cost_usd"] == 0.0  # a fully cached run costs nothing
    # A model without a known price: an OpenAI-compatible server's own model.
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url, "OPENAI_API_KEY": "k"}
    unknown = make_run(db, s, "openai/house-model", env=env)
    assert unknown.status == "completed" and unknown.summary["models"][0]["cost_usd"] is None

    spent = full.summary["models"][0]["cost_usd"] + stopped.summary["models"][0]["cost_usd"]
    with Store(db) as store:
        page = monthly_spend(store).model_dump(by_alias=True)
    out = cli("spend", "--json", "--db", db)
    assert out.returncode == 0, out.stderr
    from_cli = json.loads(out.stdout)
    with LiveServer(make_app(db)) as server, httpx.Client(base_url=server.url) as client:
        from_api = client.get("/api/spend").json()
        html = client.get("/").text
    for figure in FIGURES:
        assert from_cli[figure] == from_api[figure] == page[figure], figure
    assert from_cli["by_model"] == from_api["by_model"] == page["by_model"]
    # Runs of every status count: the stopped run's spend is in.
    assert from_cli["known_usd"] == pytest.approx(spent)
    assert from_cli["runs"] == 3  # full, stopped, unpriced; the cached one sent nothing
    assert from_cli["cached_answers"] == N
    # The unpriced model makes the total unknown (with what is known beside it), never $0.
    assert from_cli["total_usd"] is None and from_cli["unpriced_requests"] == N
    bare_row = next(r for r in from_cli["by_model"] if r["model"] == "openai/house-model")
    assert bare_row["cost_usd"] is None
    assert "unknown" in html.split('id="spend-total"')[1][:40]
    text = cli("spend", "--db", db)
    assert text.returncode == 0, text.stderr
    assert "unknown" in text.stdout and "$0.0000" not in text.stdout
    assert f"{N} requests without a known price" in " ".join(text.stdout.split())


@pytest.mark.parametrize("month", ["2026-13", "0000-01", "9999-12"])
def test_unknown_month_is_a_clear_error(tmp_path: Path, month: str) -> None:
    out = cli("spend", "--month", month, "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert out.returncode == 2 and "--month" in out.stderr and "Traceback" not in out.stderr


def test_an_answer_whose_scorer_raised_was_still_paid_for(tmp_path: Path) -> None:
    """A scorer error leaves the attempt without a verdict, but the model answered and was
    paid: spend counts it as the run's own summary does."""
    db = f"sqlite:///{tmp_path / 'lab.db'}"
    s = suite(tmp_path, N)
    models = priced_models(tmp_path / "m.json", {"paid": (replay(tmp_path / "r.jsonl", N), 1000.0)})
    run = make_run(db, s, "paid", models_file=models, scorer="support.custom_scorers:raises_on_odd")
    (model,) = run.summary["models"]
    assert model["errors"] == N // 2 and model["cost_usd"] > 0
    out = cli("spend", "--json", "--db", db)
    assert out.returncode == 0, out.stderr
    spent = json.loads(out.stdout)
    assert spent["requests"] == N
    assert spent["known_usd"] == pytest.approx(model["cost_usd"])
    with Store(db) as store:
        from benchlab.store.outcomes import run_spend

        assert run_spend(store, run.run_id) == pytest.approx(model["cost_usd"])  # --max-cost
