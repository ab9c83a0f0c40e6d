"""examples/ci/: the pull-request gate and the daily tracker work as written (issue 11).

Each workflow's steps run here in order as a runner would run them (see
support/workflows.py), with offline models in place of the real ones and a real
`benchlab serve` app on 127.0.0.1 as the team server: installed from the checkout
(never from the package index), bubblewrap installed, fresh answers every day, the
push to the server (through a 429), fork pull requests without secrets, and
concurrency groups that keep a push to main from cancelling the daily run.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from benchlab.suites import load_suite
from support.lab import ADMIN_KEY, make_app
from support.live_server import LiveServer
from support.workflows import Context, Runner, load

CI = Path(__file__).parents[2] / "examples" / "ci"
GATE = load(CI / "pr-gate.yml")
TRACKER = load(CI / "tracker.yml")
SECRETS = {"OPENAI_API_KEY": "sk-offline", "BENCHLAB_ADMIN_KEY": ADMIN_KEY}


@pytest.fixture
def team(tmp_path: Path) -> Iterator[LiveServer]:
    """The team server, rate-limited like a busy one (a push that comes within 4 s of the
    last meets a 429 and waits it out; tests/test_remote.py pins that path down)."""
    app = make_app(f"sqlite:///{tmp_path / 'team.db'}", rate_limit=1, rate_window=4.0)
    with LiveServer(app) as live:
        yield live


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    (job,) = workflow["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def _runs(workflow: dict[str, Any]) -> str:
    return "\n".join(str(s.get("run", "")) for s in _steps(workflow))


@pytest.mark.parametrize("workflow", [GATE, TRACKER], ids=["gate", "tracker"])
def test_installed_from_the_checkout_with_bubblewrap(workflow: dict[str, Any]) -> None:
    commands = _runs(workflow)
    assert "pip install benchlab" not in commands  # not on the package index
    assert "python -m pip install ." in commands
    assert "apt-get install -y bubblewrap" in commands
    assert "benchlab push" in commands


def test_a_push_to_main_cannot_cancel_the_daily_run() -> None:
    gate, tracker = GATE["concurrency"], TRACKER["concurrency"]
    assert tracker == {"group": "benchlab-tracker", "cancel-in-progress": False}
    assert "github.event.pull_request.number" in gate["group"]
    assert gate["group"].startswith("benchlab-gate-")  # never the tracker's group
    assert gate["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert set(TRACKER["on"]) == {"schedule", "workflow_dispatch"}
    assert set(GATE["on"]) == {"pull_request", "push", "workflow_dispatch"}


def _job(
    workflow: dict[str, Any], folder: Path, cache: Path, ctx: Context, env: dict[str, str]
) -> Any:
    folder.mkdir(parents=True)
    (job,) = workflow["jobs"]
    return Runner(workflow, folder, cache).run_job(job, ctx, extra_env=env)


@pytest.mark.slow  # five jobs of real runs, gates and pushes as subprocesses
def test_the_gate_workflow(tmp_path: Path, team: LiveServer) -> None:
    cache = tmp_path / "actions-cache"
    vars_ = {"BENCHLAB_URL": team.url}
    offline = {"MODEL": "oracle"}

    main = _job(
        GATE, tmp_path / "main", cache, Context("push", secrets=SECRETS, vars=vars_), offline
    )
    assert not main.failed, [(s.name, s.stderr) for s in main.steps]
    assert main["gate"].outcome == "skipped" and main["push"].outcome == "success"
    assert any(c.startswith("pip -m pip install .") for c in main.shim_log)
    assert "apt-get install -y bubblewrap" in main.shim_log
    run_id = json.loads((tmp_path / "main" / "run.json").read_text())["run_id"]
    on_server = httpx.get(f"{team.url}/api/runs/{run_id}").json()
    assert on_server["status"] == "completed" and on_server["done"] > 0
    assert (cache / ".benchlab").is_dir()  # the baseline for the next pull request

    pr = Context("pull_request", ref_name="1/merge", head_ref="feature", pr_number="1",
                 secrets=SECRETS, vars=vars_)  # fmt: skip
    same = _job(GATE, tmp_path / "pr1", cache, pr, offline)
    assert not same.failed, [(s.name, s.stderr) for s in same.steps]
    assert same["push"].outcome == "success"
    assert "✅ passed" in (tmp_path / "pr1" / "gate.md").read_text()
    assert any(c.startswith("gh pr comment 1 --body-file gate.md") for c in same.shim_log)
    root = ET.parse(tmp_path / "pr1" / "junit.xml").getroot()
    assert root.get("failures") == "0"

    wrong = tmp_path / "wrong.jsonl"
    ids = [c.id for c in load_suite(GATE["env"]["SUITE"]).iter_cases()]
    wrong.write_text("".join(json.dumps({"case_id": i, "output": "no idea"}) + "\n" for i in ids))
    worse = _job(GATE, tmp_path / "pr2", cache, pr, {"MODEL": f"replay/{wrong}"})
    assert worse["gate"].outcome == "failure" and worse["gate"].returncode == 1
    assert "❌ failed" in (tmp_path / "pr2" / "gate.md").read_text()
    assert worse["Comment on the pull request"].outcome == "success"  # failing, still said

    fork = Context("pull_request", ref_name="2/merge", head_ref="fork", pr_number="2")
    skipped = _job(GATE, tmp_path / "fork", cache, fork, offline)
    assert not skipped.failed  # a fork's pull request without secrets passes cleanly...
    assert {s.name: s.outcome for s in skipped.steps}["run"] == "skipped"  # ...measuring nothing
    assert skipped["push"].outcome == "skipped"
    assert "benchmark skipped" in skipped["secrets"].stdout

    model_only = Context("pull_request", ref_name="3/merge", head_ref="f3", pr_number="3",
                         secrets={"OPENAI_API_KEY": "sk-offline"})  # fmt: skip
    local = _job(GATE, tmp_path / "pr3", cache, model_only, offline)
    assert not local.failed and local["gate"].outcome == "success"
    assert local["push"].outcome == "skipped"  # no admin key: gated, not pushed


def _lcb(path: Path, n: int) -> Path:
    """n stdin problems in LiveCodeBench's release format: print k times the number."""
    rows = []
    for k in range(1, n + 1):
        tests = [{"input": "3\n", "output": f"{3 * k}\n", "testtype": "stdin"}]
        rows.append(
            {
                "question_title": f"Times {k}",
                "question_content": f"Read an integer and print it times {k}.",
                "platform": "atcoder",
                "question_id": f"p{k}",
                "contest_id": "c1",
                "contest_date": "2025-01-01T00:00:00",
                "starter_code": "",
                "difficulty": "easy",
                "public_test_cases": json.dumps(tests),
                "private_test_cases": json.dumps([{**tests[0], "input": "5\n",
                                                   "output": f"{5 * k}\n"}]),
                "metadata": "{}",
            }
        )  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _answers(path: Path, n: int, wrong: set[int]) -> str:
    lines = []
    for k in range(1, n + 1):
        factor = k + 1 if k in wrong else k
        program = f"```python\nprint({factor} * int(input()))\n```"
        lines.append(json.dumps({"case_id": f"p{k}", "output": program}) + "\n")
    path.write_text("".join(lines))
    return f"replay/{path}"


@pytest.mark.slow  # two daily runs of code in the sandbox, pushed to a server
def test_the_tracker_workflow_tracks(tmp_path: Path, team: LiveServer) -> None:
    n = 6
    cache = tmp_path / "actions-cache"
    _lcb(cache / TRACKER["env"]["LCB_FILE"], n)  # yesterday's cached download: no internet
    daily = Context("schedule", secrets=SECRETS, vars={"BENCHLAB_URL": team.url})
    rates = []
    for day, wrong in ((1, set()), (2, {3, 6})):  # the model changed overnight
        model = _answers(tmp_path / f"day{day}.jsonl", n, wrong)
        job = _job(TRACKER, tmp_path / f"day{day}", cache, daily, {"MODEL": model, "LIMIT": str(n)})
        assert not job.failed, [(s.name, s.stderr[-2000:]) for s in job.steps]
        assert not any(c.startswith("curl") for c in job.shim_log)
        run_id = json.loads((tmp_path / f"day{day}" / "run.json").read_text())["run_id"]
        pushed = httpx.get(f"{team.url}/api/runs/{run_id}").json()
        assert pushed["done"] == n and pushed["cache"]["used"] == 0  # fresh answers
        (model_row,) = pushed["models"]
        rates.append(model_row["pass_rate"])
    assert rates == [1.0, pytest.approx(4 / 6)]


def test_the_tracker_says_what_is_missing(tmp_path: Path) -> None:
    job = _job(TRACKER, tmp_path / "job", tmp_path / "cache", Context("schedule"), {})
    check = job["Check the settings"]
    assert check.outcome == "failure" and "OPENAI_API_KEY" in check.stderr
    assert job["run"].outcome == "skipped"
