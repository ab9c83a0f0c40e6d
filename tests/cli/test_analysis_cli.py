"""compare, gate, history, report, power, spend and budgets as a user runs them: real processes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from support.runs import assert_user_error, cli, make_run, priced_models, replay, suite


@pytest.fixture
def store(tmp_path: Path) -> dict[str, str]:
    db = f"sqlite:///{tmp_path}/cli.db"
    s = suite(tmp_path, 40)
    good = replay(tmp_path / "good.jsonl", 40, failing=[0])
    bad = replay(tmp_path / "bad.jsonl", 40, failing=[0, *range(1, 40, 3)])
    models = {n: (spec, 1.0) for n, spec in (("good", good), ("bad", bad))}
    priced = priced_models(tmp_path / "models.json", models)
    ids = {
        "main": make_run(db, s, "good", models_file=priced, tags={"branch": "main"}).run_id,
        "same": make_run(db, s, "good", models_file=priced, tags={"branch": "pr"}).run_id,
    }
    # the candidate model is the worse one, under the same profile name as the baseline's
    worse = priced_models(tmp_path / "worse.json", {"good": (bad, 1.0)})
    ids["worse"] = make_run(db, s, "good", models_file=worse, tags={"branch": "pr"}).run_id
    return {"db": db, **ids}


def test_compare_json_contract_and_table(store: dict[str, str]) -> None:
    result = cli("compare", store["main"], store["worse"], "--db", store["db"], "--json")
    assert result.returncode == 0, result.stderr
    (m,) = json.loads(result.stdout)["models"]
    for key in ("model", "n_paired", "a", "b", "delta", "ci95", "p_value", "flips", "verdict"):
        assert key in m
    assert m["verdict"] == "regression" and len(m["flips"]["pass_to_fail"]) == 13
    assert set(m["flips"]) == {"pass_to_fail", "fail_to_pass"}
    assert {"cost_usd", "latency_ms", "by_category", "mde"} <= set(m)
    table = cli("compare", store["main"], store["worse"], "--db", store["db"])
    assert table.returncode == 0 and "regression" in table.stdout and "pass → fail" in table.stdout


def test_gate_exit_codes_and_files(store: dict[str, str], tmp_path: Path) -> None:
    md, junit = tmp_path / "gate.md", tmp_path / "junit.xml"
    args = ["--baseline", "latest:branch=main", "--db", store["db"]]
    ok = cli("gate", *args, "--candidate", store["same"], "--markdown", str(md))
    assert ok.returncode == 0, ok.stderr
    assert "gate passed" in ok.stdout and "✅ passed" in md.read_text()
    failed = cli(
        "gate",
        *args,
        "--candidate",
        store["worse"],
        "--markdown",
        str(md),
        "--junit",
        str(junit),
        env={"BENCHLAB_URL": "https://bench.example"},
    )
    assert failed.returncode == 1, failed.stderr
    text = md.read_text()
    assert "❌ failed" in text and "🔴 regression" in text and "| model |" in text
    assert f"https://bench.example/runs/{store['worse']}" in text
    root = ET.parse(junit).getroot()
    assert root.tag == "testsuites" and int(root.get("tests") or 0) == 41
    assert int(root.get("failures") or 0) == 13 + 1  # 13 regressions, the gate's check
    assert int(root.get("skipped") or 0) == 1  # c0 failed in the baseline too: known failure
    thresholds = cli(
        "gate", *args, "--candidate", store["same"], "--min-pass-rate", "0.99", "--json"
    )
    assert thresholds.returncode == 1
    data = json.loads(thresholds.stdout)
    assert data["passed"] is False and {c["name"] for c in data["checks"]} >= {"min_pass_rate"}


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["compare", "nosuchrun", "nosuchrun2"], ["nosuchrun"]),
        (["gate", "--candidate", "x"], ["--baseline"]),
        (["gate", "--baseline", "latest:branch=nope", "--candidate", "{worse}"], ["branch=nope"]),
        (
            ["gate", "--baseline", "{main}", "--candidate", "{worse}", "--max-drop", "2"],
            ["--max-drop"],
        ),
        (["gate", "--baseline", "{main}", "--candidate", "{worse}", "--alpha", "0"], ["--alpha"]),
        (["history", "nosuite"], ["nosuite"]),
        (["history", "s", "--last", "0"], ["--last"]),
        (["report", "{main}", "--format", "pdf"], ["--format"]),
        (["report", "nosuchrun"], ["nosuchrun"]),
        (["power", "--rate", "0.8"], ["--delta or --cases"]),
        (["power", "--rate", "0.8", "--delta", "0.9"], ["--delta"]),
        (["spend", "--month", "2026-13"], ["--month"]),
        (["run", "s", "-m", "oracle", "--max-cost", "-1"], ["--max-cost"]),
    ],
)
def test_bad_input_exits_2_with_one_line(
    store: dict[str, str], args: list[str], needles: list[str]
) -> None:
    filled = [a.format(**store) for a in args]
    assert_user_error(
        cli(*filled, "--db", store["db"]) if args[0] != "power" else cli(*filled), *needles
    )


def test_history_report_spend(store: dict[str, str], tmp_path: Path) -> None:
    data = json.loads(cli("history", "s", "--db", store["db"], "--json").stdout)
    (entry,) = data["models"]
    assert [p["run_id"] for p in entry["points"]] == [store["main"], store["same"], store["worse"]]
    assert [a["verdict"] for a in entry["alerts"]] == ["regression"]
    shown = cli("history", "s", "--db", store["db"])
    assert shown.returncode == 0 and "Alerts" in shown.stdout and "regression" in shown.stdout
    out = tmp_path / "report.html"
    made = cli("report", store["worse"], "--format", "html", "-o", str(out), "--db", store["db"])
    assert made.returncode == 0, made.stderr
    assert out.read_text().startswith("<!DOCTYPE html>") and "<svg" in out.read_text()
    md = cli("report", store["worse"], "--db", store["db"])
    assert md.returncode == 0 and "## Alerts" in md.stdout
    spent = json.loads(cli("spend", "--db", store["db"], "--json").stdout)
    # Every run measures (the cache is opt-in), so the A/A re-run was asked and paid for too.
    assert spent["runs"] == 3 and spent["total_usd"] > 0


def test_power_prints_the_number_of_cases() -> None:
    result = cli("power", "--rate", "0.8", "--delta", "0.03")
    assert result.returncode == 0 and "2,946 cases" in result.stdout
    data = json.loads(cli("power", "--rate", "0.8", "--cases", "2946", "--json").stdout)
    assert data["detectable_delta"] == pytest.approx(0.03, abs=2e-4)


def test_budget_flags(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/b.db"
    s = suite(tmp_path, 20)
    models = priced_models(tmp_path / "m.json", {"paid": (replay(tmp_path / "r.jsonl", 20), 1e3)})
    common = [str(s), "--models", str(models), "-m", "paid", "--scorer", "numeric", "--db", db]
    dry = cli("run", *common, "--dry-run", "--max-cost", "0.01", "--json")
    assert dry.returncode == 0 and "exceeds --max-cost" in dry.stderr
    assert json.loads(dry.stdout)["over_budget"] is True
    stopped = cli("run", *common, "--max-cost", "0.02", "-c", "1", "--json", "-q")
    assert stopped.returncode == 1 and "resume" in stopped.stderr
    run = json.loads(stopped.stdout)
    assert run["status"] == "stopped_budget" and run["models"][0]["attempts"] < 20
    finished = cli("resume", run["run_id"], "--max-cost", "5", "--db", db, "--json", "-q")
    assert finished.returncode == 0, finished.stderr
    assert json.loads(finished.stdout)["models"][0]["attempts"] == 20
