"""`benchlab samples import` as a user runs it: real files, a real SQLite store, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchlab.store import Store
from benchlab.store.samples import count_samples
from support.production_samples import Generated, write_csv, write_openai, write_otlp, write_ours
from support.runs import assert_user_error, cli

N = 1500


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Generated]:
    folder = tmp_path_factory.mktemp("logs")
    return [
        write_ours(folder / "2026-11-30.jsonl", N),
        write_csv(folder / "export.csv", N),
        write_openai(folder / "gateway.jsonl", N),
        write_otlp(folder / "otel-export.json", N),
    ]


def test_import_counts_per_file_bad_lines_on_stderr_and_a_second_run_adds_nothing(
    files: list[Generated], tmp_path: Path
) -> None:
    db = tmp_path / "store.db"
    first = cli("samples", "import", *(str(g.path) for g in files), "--db", str(db))
    assert first.returncode == 0, first.stderr
    out = first.stdout.splitlines()
    ours = files[0]
    assert out[0] == (
        f"{ours.path} (jsonl): {ours.good} read, {ours.good - ours.duplicates} imported, "
        f"{ours.duplicates} duplicates, {len(ours.bad_lines)} bad, "
        f"{ours.latin1_lines} lines not UTF-8 (read as Windows-1252)"
    )
    assert f"{files[3].skipped} skipped (not model calls)" in out[3]
    assert out[4].startswith("total: ")
    bad = first.stderr.splitlines()
    all_bad = sum(len(g.bad_lines) for g in files)
    assert all_bad > 20
    assert len(bad) == 21  # 20 shown, then one line for the rest
    assert bad[0].startswith(f"{ours.path}:{ours.bad_lines[0]}: not JSON")
    assert bad[-1] == f"... and {all_bad - 20} more bad records (not shown)"
    with Store(str(db)) as store:
        stored = count_samples(store)
    assert stored == sum(g.good - g.duplicates for g in files)

    second = cli("samples", "import", *(str(g.path) for g in files), "--db", str(db), "--json")
    assert second.returncode == 0, second.stderr  # everything already stored: still success
    doc = json.loads(second.stdout)
    assert [f["imported"] for f in doc["files"]] == [0, 0, 0, 0]
    assert [f["duplicates"] for f in doc["files"]] == [g.good for g in files]
    assert [f["format"] for f in doc["files"]] == ["jsonl", "csv", "openai", "otlp"]
    assert doc["total"]["bad"] == all_bad and doc["total"]["imported"] == 0
    with Store(str(db)) as store:
        assert count_samples(store) == stored


def test_a_missing_file_or_an_unknown_format_is_one_line_and_exit_2(
    files: list[Generated], tmp_path: Path
) -> None:
    db = tmp_path / "store.db"
    missing = cli("samples", "import", str(files[0].path), str(tmp_path / "gone.jsonl"))
    assert_user_error(missing, "gone.jsonl: no such file")
    odd = tmp_path / "notes.md"
    odd.write_text("# notes\n\nnothing here\n")
    assert_user_error(cli("samples", "import", str(odd), "--db", str(db)), "unknown format")
    wrong = cli("samples", "import", str(files[0].path), "--format", "xml", "--db", str(db))
    assert_user_error(wrong, "--format xml")
    assert not db.exists()  # refused before the store was opened


def test_a_file_of_bad_lines_only_imports_nothing_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('{"input": "q"}\n{"input": "q", "output": 1}\n')
    done = cli("samples", "import", str(path), "--db", str(tmp_path / "s.db"))
    assert done.returncode == 1
    assert done.stdout == f"{path} (jsonl): 0 read, 0 imported, 0 duplicates, 2 bad\n"
    assert done.stderr.splitlines()[0] == f"{path}:1: output: Field required"


def test_the_old_import_samples_command_is_another_command() -> None:
    help_text = cli("--help").stdout
    assert "import-samples" in help_text and "samples " in help_text
    assert "import" in cli("samples", "--help").stdout
