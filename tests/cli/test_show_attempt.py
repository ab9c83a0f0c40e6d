"""`benchlab show RUN_ID --attempt ...`: a code attempt's artifacts, as files and on screen."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from benchlab.tasks.catalog import BUILTIN
from support.runs import cli


def test_artifacts_of_a_task_attempt(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(BUILTIN / "py-fix-median", catalog / "py-fix-median")
    db = f"sqlite:///{tmp_path}/runs.db"
    done = cli(
        "run",
        f"tasks:{catalog}",
        "-m",
        "oracle",
        "-m",
        "echo",
        "--json",
        "-q",
        "--db",
        db,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    run_id = json.loads(done.stdout)["run_id"]
    run_dir = tmp_path / "artifacts" / run_id
    written = sorted(p.name for p in next(run_dir.iterdir()).iterdir())
    assert set(written) >= {"prompt.txt", "response.txt", "stdout.log", "stderr.log"}

    shown = cli(
        "show",
        run_id,
        "--attempt",
        "py-fix-median",
        "--model",
        "oracle",
        "--json",
        "--db",
        db,
        cwd=tmp_path,
    )
    assert shown.returncode == 0, shown.stderr
    (item,) = json.loads(shown.stdout)
    assert item["passed"] is True and item["model"] == "oracle"
    assert "+    ordered = sorted(values)" in item["files"]["patch.diff"]
    assert "Ran 4 tests" in item["files"]["stderr.log"]
    folder = Path(item["folder"])
    assert (folder / "patch.diff").read_text() == item["files"]["patch.diff"]
    assert "stats.py" in (folder / "prompt.txt").read_text()

    text = cli("show", run_id, "--attempt", "py-fix-median", "--db", db, cwd=tmp_path)
    assert text.returncode == 0 and text.stdout.count("== attempt") == 2  # oracle and echo
    assert "--- patch.diff ---" in text.stdout

    missing = cli("show", run_id, "--attempt", "nope", "--db", db, cwd=tmp_path)
    assert missing.returncode == 2 and "no attempt 'nope'" in missing.stderr
