"""`benchlab doctor`: every backend tried for real, the one in use, and what it records."""

from __future__ import annotations

import json
import subprocess
import sys

from benchlab.sandbox import Job, LocalExecutor


def test_doctor_json_reports_what_auto_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchlab", "doctor", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report["backends"]) == {"bwrap", "unshare", "none"}
    assert report["backends"]["none"]["works"]
    auto = report["auto"]
    assert auto in report["backends"] and report["backends"][auto]["works"]
    with LocalExecutor(workers=1) as executor:  # what doctor prints is what executions record
        result = executor.run_many([Job.python("pass")])[0]
    assert result.isolation == report["isolation"]["label"]
    assert report["toolchains"]["python"].startswith("Python 3")
    defends = report["isolation"]["defends"]
    assert set(defends) == {"network", "unix sockets", "filesystem", "uid", "limits"}


def test_doctor_prints_a_readable_report() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchlab", "doctor"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "in use (auto):" in done.stdout and "every execution records:" in done.stdout
    for harm in ("network", "unix sockets", "filesystem", "uid", "limits"):
        assert f"\n  {harm} " in done.stdout  # what each working level defends, one row a harm
    assert "defends (in use):" in done.stdout
