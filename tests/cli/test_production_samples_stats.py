"""`benchlab samples stats` as a user runs it: a real log imported into a real SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

from benchlab.store import Store
from support import sample_stats as known
from support.runs import assert_user_error, cli


def _store(tmp_path: Path) -> str:
    db = str(tmp_path / "store.db")
    log = known.write_log(tmp_path / "app.jsonl")
    imported = cli("samples", "import", str(log), "--db", db)
    assert imported.returncode == 0, imported.stderr
    return db


def test_stats_as_json(tmp_path: Path) -> None:
    db = _store(tmp_path)
    result = cli("samples", "stats", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["total"] == known.TOTAL
    assert document["volume"] == known.VOLUME
    assert document["categories"] == known.CATEGORIES
    assert document["feedback"] == {
        "labels": known.FEEDBACK_LABELS,
        "scores": known.FEEDBACK_SCORES,
        "without": known.WITHOUT_FEEDBACK,
        "mean_score": 0.5,
    }
    assert document["duplicates"] == {
        "exact": known.EXACT_DUPLICATES,
        "near": known.NEAR_DUPLICATES,
        "near_threshold": 0.8,
    }
    assert document["pii"] == known.PII
    assert document["samples_with_pii"] == 5


def test_stats_as_text_per_week_without_the_slow_parts(tmp_path: Path) -> None:
    db = _store(tmp_path)
    result = cli("samples", "stats", "--db", db, "--period", "week", "--no-near", "--no-pii")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{known.TOTAL} samples in sqlite:///{db}"
    assert "volume per week" in lines
    assert any(line.split() == ["2026-W49", str(known.TOTAL)] for line in lines)
    assert any(line.split() == ["account", "18"] for line in lines)
    assert "feedback: 20 with, 20 without, mean score 0.5" in lines
    assert f"duplicates: {known.EXACT_DUPLICATES} exact, near: not counted" in lines
    assert not any(line.startswith("personal data") for line in lines)

    full = cli("samples", "stats", "--db", db)
    assert "duplicates: 20 exact, 5 near (threshold 0.8)" in full.stdout.splitlines()
    assert (
        "personal data and secrets: secret 0, email 1, iban 1, card 1, ip 1, phone 1 (in 5 samples)"
        in full.stdout.splitlines()
    )


def test_a_bad_period_is_a_user_error(tmp_path: Path) -> None:
    assert_user_error(cli("samples", "stats", "--db", str(tmp_path / "x.db"), "--period", "month"))


def test_an_empty_store_says_so(tmp_path: Path) -> None:
    db = str(tmp_path / "empty.db")
    Store(db).close()  # a database with no samples (a missing one is an error: test_bad_input)
    result = cli("samples", "stats", "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"0 samples in sqlite:///{db}\n"
