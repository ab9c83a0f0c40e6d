"""examples/ci/github-actions.yml: it parses, and the exact commands it runs work offline.

Steps are run as GitHub runs them (`bash -eo pipefail`, the workflow's and the
step's `env`, `$GITHUB_ENV` read back between steps), with the `${{ }}`
expressions a runner would fill in supplied by the test: the model becomes an
offline one. Steps that talk to GitHub (checkout, cache, comment, upload) are
checked for shape only.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchlab.suites import load_suite

WORKFLOW = Path(__file__).parents[2] / "examples" / "ci" / "github-actions.yml"


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(data, dict)
    return data


def _triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    found = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert isinstance(found, dict)
    return found


def _steps(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (job,) = workflow["jobs"].values()
    return {step.get("id") or step.get("name") or step["uses"]: step for step in job["steps"]}


def test_workflow_shape(workflow: dict[str, Any]) -> None:
    on = _triggers(workflow)
    assert set(on) == {"pull_request", "push", "schedule", "workflow_dispatch"}
    (cron,) = (entry["cron"] for entry in on["schedule"])
    assert len(cron.split()) == 5
    assert set(on["workflow_dispatch"]["inputs"]) == {"limit", "model"}
    env = workflow["env"]
    assert re.fullmatch(r"\d+", env["SEED"])  # a fixed seed: runs pair case by case
    assert "inputs.model" in env["MODEL"] and "inputs.limit" in env["LIMIT"]
    steps = _steps(workflow)
    assert "latest:branch=main" in steps["gate"]["run"] and steps["gate"]["if"]
    assert "--junit junit.xml" in steps["gate"]["run"]
    comment = steps["Comment on the pull request"]
    assert "gh pr comment" in comment["run"] and "--body-file gate.md" in comment["run"]
    upload = steps["Upload the results"]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert "results.jsonl" in upload["with"]["path"]
    assert "--format jsonl" in steps["export"]["run"]
    saves = [s for s in steps.values() if str(s.get("uses", "")).startswith("actions/cache/save")]
    assert saves and "pull_request" in saves[0]["if"]


def _env(workflow: dict[str, Any], step: dict[str, Any], filled: dict[str, str]) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith(("_API_KEY", "_BASE_URL")) and not k.startswith("BENCHLAB_")
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for key, value in {**workflow["env"], **step.get("env", {})}.items():
        if "${{" not in str(value):
            env[key] = str(value)
        elif key in filled:
            env[key] = filled[key]
    return env


def _run_step(
    workflow: dict[str, Any], step_id: str, cwd: Path, filled: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    step = _steps(workflow)[step_id]
    github_env = cwd / "github_env"
    github_env.touch()
    env = _env(workflow, step, filled)
    env.update(line.split("=", 1) for line in github_env.read_text().splitlines() if "=" in line)
    env.update({"GITHUB_ENV": str(github_env), "GITHUB_SHA": "0" * 40})
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _job(workflow: dict[str, Any], cwd: Path, model: str, branch: str, *gate: str) -> Any:
    filled = {"MODEL": model, "LIMIT": "50", "BRANCH": branch, "BENCHLAB_URL": ""}
    (cwd / "github_env").write_text("")
    results = {}
    for step_id in ("run", "export", *gate):
        results[step_id] = _run_step(workflow, step_id, cwd, filled)
        if step_id != "gate":
            assert results[step_id].returncode == 0, results[step_id].stderr
    return results


@pytest.mark.slow  # real runs, exports and gates as subprocesses: ~15 s
def test_the_workflow_commands_gate_offline(workflow: dict[str, Any], tmp_path: Path) -> None:
    # main: the daily run that becomes the baseline
    _job(workflow, tmp_path, "oracle", "main")
    exported = (tmp_path / "results.jsonl").read_text().splitlines()
    n_cases = len(exported)
    assert n_cases > 0 and all(json.loads(line)["passed"] for line in exported)

    # a pull request that changes nothing: the gate passes
    same = _job(workflow, tmp_path, "oracle", "feature", "gate")["gate"]
    assert same.returncode == 0, same.stdout + same.stderr
    assert "✅ passed" in (tmp_path / "gate.md").read_text()
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert int(root.get("tests") or 0) == n_cases + 1 and root.get("failures") == "0"

    # a pull request that swaps the model: main has no run of it to compare with
    wrong = tmp_path / "wrong.jsonl"
    ids = [c.id for c in load_suite(workflow["env"]["SUITE"]).iter_cases()]
    wrong.write_text("".join(json.dumps({"case_id": i, "output": "no idea"}) + "\n" for i in ids))
    swapped = _job(workflow, tmp_path, f"replay/{wrong}", "feature-2", "gate")["gate"]
    assert swapped.returncode == 2, swapped.stdout + swapped.stderr
    assert f"no completed run of model replay/{wrong}" in swapped.stderr

    # a pull request after which the same model gets every case wrong: the gate fails the check
    answers = tmp_path / "answers.jsonl"
    answers.write_text("\n".join(exported) + "\n")  # the oracle's answers on main: all right
    _job(workflow, tmp_path, "replay/answers.jsonl", "main")
    answers.write_text(wrong.read_text())
    with sqlite3.connect(tmp_path / workflow["env"]["BENCHLAB_DB"]) as db:
        db.execute("DELETE FROM response_cache")  # fresh answers, whatever the cache default
    worse = _job(workflow, tmp_path, "replay/answers.jsonl", "feature-3", "gate")["gate"]
    assert worse.returncode == 1, worse.stdout + worse.stderr
    comment = (tmp_path / "gate.md").read_text()
    assert "❌ failed" in comment and "🔴 regression" in comment and "| model |" in comment
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert int(root.get("failures") or 0) == n_cases + 1
