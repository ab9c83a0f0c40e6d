"""A run with errors is not a success: `run`/`resume` exit 3, say what failed and how to finish.

Real `benchlab` processes against a real HTTP stub server on 127.0.0.1.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from support.runs import assert_user_error, cli
from support.servers import Status, StubServer, every_nth
from support.suites import write_jsonl_suite

N = 12


def _env(server: StubServer) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.openai_base_url, "OPENAI_API_KEY": "sk-test"}


def _run(suite: Path, db: str, server: StubServer, *extra: str) -> Any:
    args = ["run", str(suite), "-m", "openai/stub", "--scorer", "numeric", "--db", db]
    return cli(*args, "--retries", "0", "--no-cache", "-q", *extra, env=_env(server))


def _stderr_lines(result: Any) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_a_wrong_key_exits_3_after_a_handful_naming_the_endpoint_and_status(
    tmp_path: Path, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 30)
    db = f"sqlite:///{tmp_path}/b.db"
    stub_server.behave = lambda payload: Status(401)
    result = _run(suite, db, stub_server, "--json")
    assert result.returncode == 3, result.stderr
    assert stub_server.count <= 5  # a handful, not the suite
    summary = json.loads(result.stdout)
    assert summary["status"] == "failed" and summary["errors_by_kind"]["auth"]["count"] >= 1
    endpoint = f"openai/stub at {stub_server.openai_base_url}: 401 Unauthorized"
    assert any(endpoint in line and "OPENAI_API_KEY" in line for line in _stderr_lines(result))
    assert f"benchlab resume {summary['run_id']} --retry-errors" in _stderr_lines(result)
    assert "Traceback" not in result.stderr

    stub_server.behave = None  # the key is fixed: resume finishes the whole suite
    before = stub_server.count
    done = cli(
        "resume",
        summary["run_id"],
        "--retry-errors",
        "--db",
        db,
        "--json",
        "-q",
        env=_env(stub_server),
    )
    assert done.returncode == 0, done.stderr
    assert stub_server.count - before == 30
    final = json.loads(done.stdout)
    assert final["status"] == "completed" and final["errors"] == 0
    assert final["models"][0]["attempts"] == 30 and final["models"][0]["pass_rate"] == 1.0


def test_server_errors_exit_3_grouped_by_kind_and_retry_errors_asks_exactly_those(
    tmp_path: Path, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", N)
    db = f"sqlite:///{tmp_path}/b.db"
    stub_server.behave = every_nth(3, Status(500))
    result = _run(suite, db, stub_server, "--json")
    assert result.returncode == 3, result.stderr
    summary = json.loads(result.stdout)
    (model,) = summary["models"]
    assert model["errors"] == 4 and model["pass_rate"] == 1.0  # over the 8 judged
    lines = _stderr_lines(result)
    assert "4 of 12 attempts errored (33.3%) and have no verdict:" in lines
    assert any(line.startswith("  server: 4 — first: HTTP 500 from") for line in lines)
    assert f"benchlab resume {summary['run_id']} --retry-errors" in lines

    stub_server.behave = None
    stub_server.reset()
    done = cli(
        "resume",
        summary["run_id"],
        "--retry-errors",
        "--db",
        db,
        "--json",
        "-q",
        env=_env(stub_server),
    )
    assert done.returncode == 0, done.stderr
    asked = sorted(last["json"]["messages"][-1]["content"] for last in stub_server.requests)
    assert asked == ["answer 0", "answer 3", "answer 6", "answer 9"]  # exactly the errored
    final = json.loads(done.stdout)
    assert final["errors"] == 0 and final["models"][0]["attempts"] == N
    assert final["models"][0]["pass_rate"] == 1.0 and "errored" not in done.stderr


def test_max_error_rate_accepts_up_to_that_share(tmp_path: Path, stub_server: StubServer) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", N)
    db = f"sqlite:///{tmp_path}/b.db"
    stub_server.behave = every_nth(3, Status(500))  # 4 of 12: a third
    accepted = _run(suite, db, stub_server, "--max-error-rate", "0.4")
    assert accepted.returncode == 0, accepted.stderr
    assert "4 of 12 attempts errored" in accepted.stderr  # still said
    assert "accepted by --max-error-rate 0.4" in accepted.stderr
    refused = _run(suite, db, stub_server, "--max-error-rate", "0.25")
    assert refused.returncode == 3, refused.stderr
    assert_user_error(_run(suite, db, stub_server, "--max-error-rate", "1.5"), "--max-error-rate")


def test_scorer_errors_are_visible_in_show_and_the_exports(
    tmp_path: Path, stub_server: StubServer
) -> None:
    suite = tmp_path / "re.jsonl"
    rows = [
        {"id": "good", "input": "abc", "expected": "a.c"},
        {"id": "bad", "input": "x", "expected": "(["},
    ]
    suite.write_text("".join(json.dumps(r) + "\n" for r in rows))
    db = f"sqlite:///{tmp_path}/b.db"
    result = cli("run", str(suite), "-m", "echo", "--scorer", "regex", "--db", db, "--json", "-q")
    assert result.returncode == 3, result.stderr
    run_id = json.loads(result.stdout)["run_id"]
    assert any(
        line.startswith("  scorer: 1 — first: regex: scorer error")
        for line in _stderr_lines(result)
    )

    shown = cli("show", run_id, "--db", db, env={"COLUMNS": "200"})
    assert shown.returncode == 0, shown.stderr
    assert "scorer" in shown.stdout and "invalid regex" in shown.stdout
    as_json = json.loads(cli("show", run_id, "--db", db, "--json").stdout)
    assert as_json["errors_by_kind"]["scorer"]["count"] == 1
    assert as_json["models"][0]["pass_rate"] == 1.0

    jsonl = cli("export", run_id, "--db", db, "--format", "jsonl")
    by_case = {r["case_id"]: r for r in map(json.loads, jsonl.stdout.splitlines())}
    assert by_case["bad"]["passed"] is None and by_case["bad"]["error_type"] == "scorer"
    assert "invalid regex" in by_case["bad"]["error"]
    table = list(
        csv.DictReader(io.StringIO(cli("export", run_id, "--db", db, "--format", "csv").stdout))
    )
    bad = next(r for r in table if r["case_id"] == "bad")
    assert bad["passed"] == "" and "invalid regex" in bad["error"]
