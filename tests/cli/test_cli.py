"""The command line as a user meets it: real processes, exit codes, stdout JSON, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from benchlab.store import Store
from support.runs import assert_user_error, cli
from support.suites import write_jsonl_suite


def test_quickstart_on_offline_models_json_contract(tmp_path: Path) -> None:
    result = cli("run", "quickstart", "-m", "oracle", "-m", "echo", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "completed" and data["run_id"]
    oracle, echo = data["models"]
    assert oracle["model"] == "oracle" and oracle["pass_rate"] == 1.0
    for key in ("attempts", "errors", "pass_rate", "ci95", "latency_ms", "tokens", "cost_usd"):
        assert key in oracle
    assert set(oracle["latency_ms"]) >= {"mean", "p50", "p95"}
    assert set(oracle["tokens"]) == {"input", "output"}
    lo, hi = oracle["ci95"]
    assert 0 < lo < 1 and hi == 1.0
    assert echo["pass_rate"] < oracle["pass_rate"]
    assert "by_category" in oracle
    assert (tmp_path / ".benchlab" / "benchlab.db").is_file()  # the default store

    runs = json.loads(cli("runs", "--json", cwd=tmp_path).stdout)
    assert runs[0]["run_id"] == data["run_id"]
    assert {"run_id", "status", "suites", "models", "created_at"} <= set(runs[0])
    shown = json.loads(cli("show", data["run_id"], "--json", cwd=tmp_path).stdout)
    assert shown["models"] == data["models"]
    prefix = cli("show", data["run_id"][:15], "--json", cwd=tmp_path)
    assert json.loads(prefix.stdout)["run_id"] == data["run_id"]

    # Piped (not a terminal), tables are not cut to 80 columns: ids can be copied whole.
    env = {"COLUMNS": ""}
    assert data["run_id"] in cli("runs", cwd=tmp_path, env=env).stdout
    table = cli("show", data["run_id"], cwd=tmp_path, env=env).stdout
    assert "…" not in table and "tokens in/out" in table


def test_export_formats(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/x.db"
    run = json.loads(cli("run", "quickstart", "-m", "oracle", "--db", db, "--json").stdout)
    run_id = run["run_id"]
    rows = [json.loads(line) for line in cli("export", run_id, "--db", db).stdout.splitlines()]
    assert len(rows) == run["models"][0]["attempts"]
    required = {
        "run_id",
        "suite",
        "case_id",
        "model",
        "sample",
        "input",
        "output",
        "expected",
        "passed",
        "scores",
        "error",
        "latency_ms",
        "input_tokens",
        "output_tokens",
        "cost_usd",
    }
    assert required <= set(rows[0])
    assert all(r["passed"] is True for r in rows)
    assert all(isinstance(r["scores"], dict) and r["scores"] for r in rows)

    out = tmp_path / "run.csv"
    result = cli("export", run_id, "--format", "csv", "-o", str(out), "--db", db)
    assert result.returncode == 0, result.stderr
    table = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(table) == len(rows) and required <= set(table[0])

    doc = json.loads(cli("export", run_id, "--format", "json", "--db", db).stdout)
    assert doc["format"] == "benchlab.run/1"
    assert doc["run"]["id"] == run_id and doc["run"]["config"]["seed"] == 0
    assert len(doc["attempts"]) == len(rows)
    (suite,) = doc["suites"]
    assert suite["name"] == "quickstart" and len(suite["cases"]) == len(rows)
    assert all(a["scores"] for a in doc["attempts"])


def test_run_records_what_reproduces_it(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/x.db"
    run = json.loads(
        cli(
            "run",
            "quickstart",
            "-m",
            "oracle",
            "--db",
            db,
            "--json",
            "--seed",
            "5",
            "--limit",
            "4",
            "--tag",
            "team=qa",
        ).stdout
    )
    doc = json.loads(cli("export", run["run_id"], "--format", "json", "--db", db).stdout)
    config = doc["run"]["config"]
    assert config["seed"] == 5 and config["limit"] == 4 and config["tags"] == {"team": "qa"}
    assert config["models"][0]["spec"] == "oracle"
    assert config["models"][0]["price"] == {"input": 0.0, "output": 0.0}
    assert doc["run"]["benchlab_version"]
    assert len(doc["suites"][0]["hash"]) == 64
    assert doc["run"]["created_at"] and doc["run"]["finished_at"]


def test_dry_run_prints_estimate_and_stores_nothing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/x.db"
    result = cli("run", "quickstart", "-m", "openai/gpt-4.1", "--dry-run", "--json", "--db", db)
    assert result.returncode == 0, result.stderr  # no key needed to estimate
    data = json.loads(result.stdout)
    assert data["dry_run"] is True and data["requests"] == data["cases"] > 0
    assert data["cost_usd"] > 0
    assert not (tmp_path / "x.db").exists()  # not even an empty database


def test_missing_key_is_a_clear_error_before_any_request(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/x.db"
    result = cli("run", "quickstart", "-m", "openai/gpt-4.1", "--db", db)
    assert_user_error(result, "OPENAI_API_KEY")
    result = cli("run", "quickstart", "-m", "anthropic/claude-sonnet-4-5", "--db", db)
    assert_user_error(result, "ANTHROPIC_API_KEY")
    assert json.loads(cli("runs", "--json", "--db", db).stdout) == []  # nothing half-written


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["run", "no-such-suite", "-m", "oracle"], ["no-such-suite"]),
        (["run", "quickstart", "-m", "nosuch/model"], ["nosuch"]),
        (["run", "quickstart", "-m", "oracle", "--limit", "0"], ["--limit"]),
        (["run", "quickstart", "-m", "oracle", "--tag", "novalue"], ["--tag"]),
        (["run", "quickstart", "-m", "oracle", "--scorer", "nosuchscorer"], ["nosuchscorer"]),
        (["show", "nosuchrun"], ["nosuchrun"]),
        (["export", "nosuchrun", "--format", "xml"], ["--format"]),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, args: list[str], needles: list[str]
) -> None:
    db = f"sqlite:///{tmp_path}/x.db"
    Store(db).close()  # there, but empty (a missing one is its own error: test_bad_input)
    assert_user_error(cli(*args, "--db", db), *needles)


def test_bad_suite_file_names_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "input": "x"}\n{"id": "b", "inptu": "y"}\n')
    result = cli(
        "run", str(bad), "-m", "oracle", "--scorer", "exact", "--db", f"sqlite:///{tmp_path}/x.db"
    )
    assert_user_error(result, "bad.jsonl", ":2", "inptu")


def test_case_without_scorer_is_an_error(tmp_path: Path) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 3)
    result = cli("run", str(suite), "-m", "oracle", "--db", f"sqlite:///{tmp_path}/x.db")
    assert_user_error(result, "no scorer", "--scorer")


def test_bad_models_file(tmp_path: Path) -> None:
    models = tmp_path / "models.yaml"
    models.write_text("models:\n  - name: fast\n    spec: openai/gpt-4.1-mini\n    temprature: 0\n")
    result = cli("run", "quickstart", "--models", str(models), "--db", f"sqlite:///{tmp_path}/x.db")
    assert_user_error(result, "models.yaml", "fast", "temprature")


def test_example_models_file_has_two_profiles_of_one_provider() -> None:
    from benchlab.providers.profiles import load_models_file

    path = Path(__file__).parents[2] / "examples" / "models.yaml"
    profiles = load_models_file(path)
    assert len(profiles) >= 2
    assert len({p.provider for p in profiles}) == 1
    assert len({p.name for p in profiles}) == len(profiles)
    assert all(p.price is not None for p in profiles)


def test_help_lists_commands() -> None:
    result = cli("--help")
    assert result.returncode == 0
    for command in ("run", "resume", "runs", "show", "export", "suites", "models"):
        assert command in result.stdout


def test_suites_and_models_listings() -> None:
    suites = json.loads(cli("suites", "--json").stdout)
    assert any(s["name"] == "quickstart" and 8 <= s["cases"] <= 12 for s in suites)
    models = json.loads(cli("models", "--json").stdout)
    assert {
        "openai",
        "anthropic",
        "ollama",
        "litellm",
        "oracle",
        "echo",
        "replay",
        "openrouter",
        "lmstudio",
    } <= {p["provider"] for p in models["providers"]}
    assert any(p["model"] == "openai/gpt-4.1" for p in models["prices"])


def test_bad_scorer_on_a_late_case_stops_the_run_before_it_starts(tmp_path: Path) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 50)
    with suite.open("a") as handle:
        handle.write('{"id": "late", "input": "x", "scorers": [{"name": "numeric", "tol": 1}]}\n')
    db = f"sqlite:///{tmp_path}/x.db"
    result = cli("run", str(suite), "-m", "oracle", "--scorer", "exact", "--db", db)
    assert_user_error(result, "late", "numeric")
    assert json.loads(cli("runs", "--json", "--db", db).stdout) == []
