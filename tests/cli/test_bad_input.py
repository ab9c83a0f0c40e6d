"""Bad input the issue found tracebacks for: one line naming the flag, exit 2, nothing written."""

from __future__ import annotations

import json
import os
from pathlib import Path

from benchlab.store import Store
from benchlab.store.passes import run_passes
from support.runs import assert_user_error, cli


def _db_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".db", ".jsonl", ".part")))


def test_seed_beyond_64_bits_is_a_flag_error(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    result = cli("run", "quickstart", "-m", "oracle", "--seed", str(2**64), "--db", str(db))
    assert_user_error(result, "--seed", str(2**64))
    assert not db.exists()
    # The largest 64-bit seed is a seed like any other.
    ok = cli("run", "quickstart", "-m", "oracle", "--seed", str(2**63 - 1), "--db", str(db), "-q")
    assert ok.returncode == 0, ok.stderr


def test_samples_have_a_sane_upper_bound(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    result = cli("run", "quickstart", "-m", "oracle", "--samples", "99999999999", "--db", str(db))
    assert_user_error(result, "--samples", "10000")
    assert not db.exists()


def test_export_into_a_missing_folder_or_onto_a_folder(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/runs.db"
    run = json.loads(cli("run", "quickstart", "-m", "oracle", "--db", db, "--json").stdout)
    missing = tmp_path / "nowhere" / "out.jsonl"
    assert_user_error(
        cli("export", run["run_id"], "-o", str(missing), "--db", db), "--output", "nowhere"
    )
    assert not missing.parent.exists()
    folder = tmp_path / "folder"
    folder.mkdir()
    assert_user_error(
        cli("export", run["run_id"], "-o", str(folder), "--db", db), "--output", "directory"
    )
    assert list(folder.iterdir()) == [] and _db_files(tmp_path) == ["runs.db"]


def test_db_that_is_not_a_database(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello, not SQLite\n" * 100)
    for args in (["runs"], ["run", "quickstart", "-m", "oracle"]):
        assert_user_error(cli(*args, "--db", str(notes)), "--db", "notes.txt", "not a database")
    assert notes.read_text() == "hello, not SQLite\n" * 100


def test_binary_models_file(tmp_path: Path) -> None:
    models = tmp_path / "models.yaml"
    models.write_bytes(bytes(range(128, 256)) * 4 + os.urandom(64))
    db = tmp_path / "runs.db"
    result = cli("run", "quickstart", "--models", str(models), "-m", "fast", "--db", str(db))
    assert_user_error(result, "--models", "models.yaml", "not a text file")
    assert not db.exists()


def test_score_names_an_unknown_executor_and_adds_no_pass(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/runs.db"
    run = json.loads(cli("run", "quickstart", "-m", "oracle", "--db", db, "--json").stdout)
    result = cli("score", run["run_id"], "--executor", "kubernetes", "--db", db)
    assert_user_error(result, "--executor", "expected one of", "kubernetes")
    with Store(db) as store:
        assert len(run_passes(store, run["run_id"])) == 1


def test_a_read_command_on_a_database_that_is_not_there_says_so(tmp_path: Path) -> None:
    """A mistyped --db was made into an empty database and reported on: `spend --budget`
    passed (exit 0, $0 spent) and `runs` listed nothing, with a stray file left behind."""
    typo = tmp_path / "lab.bd"
    for args in (
        ["spend", "--budget", "10"],
        ["runs"],
        ["show", "some-run"],
        ["report", "some-run"],
        ["export", "some-run"],
        ["samples", "stats"],
    ):
        assert_user_error(cli(*args, "--db", str(typo)), "--db", str(typo), "no database there")
    for args in (
        ["resume", "some-run"],
        ["labels", "add", "some-run", "1", "pass", "--labeler", "ana"],
    ):
        assert_user_error(cli(*args, "--db", str(typo)), "--db", str(typo))  # they need a run
    # not a URL at all: the same one line as for any command, not a traceback
    assert_user_error(cli("runs", "--db", "bad url://x"), "--db", "not a database URL")
    via_env = cli("runs", env={"BENCHLAB_DB": str(typo)})
    assert_user_error(via_env, "BENCHLAB_DB", str(typo))
    assert _db_files(tmp_path) == []  # nothing made
    # The default file may be missing: nothing run yet is an empty listing, not an error.
    fresh = cli("runs", cwd=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    # And a run still makes the database it is pointed at.
    made = cli("run", "quickstart", "-m", "oracle", "--db", str(typo), "-q")
    assert made.returncode == 0, made.stderr
    assert cli("spend", "--budget", "10", "--db", str(typo)).returncode == 0
