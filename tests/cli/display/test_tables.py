"""Tables as a person reads them in an 80-column terminal: nothing cut, no two names alike."""

from __future__ import annotations

import json
from pathlib import Path

from support.runs import cli

NAMES = ("openai/aaaaaaaa-long-name-1", "openai/aaaaaaaa-long-name-2")


def _two_models_run(tmp_path: Path) -> tuple[str, str]:
    models = tmp_path / "models.yaml"
    models.write_text("models:\n" + "".join(f"  - name: {n}\n    spec: oracle\n" for n in NAMES))
    db = f"sqlite:///{tmp_path}/runs.db"
    args = ["run", "quickstart", "--models", str(models), "-m", NAMES[0], "-m", NAMES[1]]
    done = cli(*args, "--db", db, "--json", "-q")
    assert done.returncode == 0, done.stderr
    return str(json.loads(done.stdout)["run_id"]), db


def test_show_and_runs_at_80_columns_keep_every_name_and_number_whole(tmp_path: Path) -> None:
    run_id, db = _two_models_run(tmp_path)
    for args in (("show", run_id), ("runs",)):
        shown = cli(*args, "--db", db, env={"COLUMNS": "80"})
        assert shown.returncode == 0, shown.stderr
        text = shown.stdout
        assert "…" not in text, text
        assert all(len(line) <= 80 for line in text.splitlines()), text
        for name in NAMES:
            assert name in text, text
        assert run_id in text
    table = cli("show", run_id, "--db", db, env={"COLUMNS": "80"}).stdout
    for cell in ("100.0%", "[75.8, 100.0]", "tokens in/out", "$0.0000"):
        assert cell in table, table
    # A wide terminal still gets one table.
    wide = cli("show", run_id, "--db", db, env={"COLUMNS": "200"}).stdout
    assert any("attempts" in line and "tokens in/out" in line for line in wide.splitlines())


def test_compare_and_history_at_80_columns_keep_every_name_whole(tmp_path: Path) -> None:
    first, db = _two_models_run(tmp_path)
    second, _ = _two_models_run(tmp_path)
    for args in (("compare", first, second), ("history", "quickstart")):
        shown = cli(*args, "--db", db, env={"COLUMNS": "80"})
        assert shown.returncode == 0, shown.stderr
        text = shown.stdout
        assert "…" not in text, text
        assert all(len(line) <= 80 for line in text.splitlines()), text
        for name in NAMES:
            assert name in text, text
