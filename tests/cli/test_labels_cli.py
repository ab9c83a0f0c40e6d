"""`benchlab labels add|export` and `benchlab agreement` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from benchlab.store import Store
from support.labeling import quick_run
from support.runs import assert_user_error, cli


def _attempts(db: str, run_id: str) -> dict[tuple[str, str], tuple[str, bool | None]]:
    """Attempt ids the way a user finds them: from `benchlab export`."""
    done = cli("export", run_id, "--format", "jsonl", "--db", db)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    with Store(db) as store:
        stored = {str(a.id) for a in store.iter_attempts(run_id)}
    assert {r["attempt_id"] for r in rows} == stored
    return {(r["case_id"], r["model"]): (r["attempt_id"], r["passed"]) for r in rows}


def test_label_export_and_agreement(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/lab.db"
    run_id = quick_run(db)
    found = _attempts(db, run_id)
    chosen = sorted(found)[:4]
    # ana labels like the run's verdict; bo disagrees on the first answer
    script = [("ana", key, "pass" if found[key][1] else "fail") for key in chosen]
    script += [("bo", key, label) for _, key, label in script]
    script[4] = ("bo", chosen[0], "fail" if script[0][2] == "pass" else "pass")
    for who, key, label in script:
        done = cli("labels", "add", run_id, found[key][0], label, "-l", who, "--db", db, "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["label"] == label

    rows = cli("labels", "export", run_id[:12], "--format", "csv", "--db", db)
    assert rows.returncode == 0, rows.stderr
    table = list(csv.DictReader(io.StringIO(rows.stdout)))
    assert len(table) == 8
    assert table[0].keys() >= {"run_id", "attempt_id", "case_id", "model", "labeler", "label"}
    assert {(r["labeler"], r["case_id"], r["model"], r["label"]) for r in table} == {
        (who, key[0], key[1], label) for who, key, label in script
    }
    out = tmp_path / "labels.jsonl"
    written = cli("labels", "export", run_id, "-o", str(out), "--db", db)
    assert written.returncode == 0 and "wrote 8 labels" in written.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0]["run_id"] == run_id and isinstance(lines[0]["attempt_id"], str)

    shown = cli("agreement", run_id, "--json", "--db", db)
    assert shown.returncode == 0, shown.stderr
    report = json.loads(shown.stdout)
    between = report["between_labelers"]
    assert (between["n_units"], between["n_values"]) == (4, 8)
    assert between["percent_agreement"] == 0.75
    verdict = report["scorers"][0]
    assert verdict["scorer"] == "verdict" and verdict["n"] == 3 and verdict["ties"] == 1
    assert verdict["kappa"]["observed"] == 1.0  # where the two agree, they agree with the run

    one = cli("agreement", run_id, "--scorer", "verdict", "--db", db, env={"COLUMNS": "200"})
    assert one.returncode == 0, one.stderr
    assert "Krippendorff's alpha (nominal)" in one.stdout
    assert "8 pass_fail labels on 4 attempts by ana (4), bo (4)" in one.stdout
    assert "humans (rows) vs verdict (columns)" in one.stdout


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/lab.db"
    run_id = quick_run(db)
    attempt = next(iter(_attempts(db, run_id).values()))[0]
    assert_user_error(cli("agreement", "no-such-run", "--db", db), "no run 'no-such-run'")
    assert_user_error(
        cli("labels", "add", run_id, attempt, "maybe", "-l", "ana", "--db", db), "label 'maybe'"
    )
    assert_user_error(
        cli("labels", "add", run_id, attempt, "pass", "-l", "a/b", "--db", db), "labeler 'a/b'"
    )
    assert_user_error(
        cli("labels", "add", run_id, "12x", "pass", "-l", "ana", "--db", db), "attempt id '12x'"
    )
    assert_user_error(cli("labels", "export", run_id, "-f", "xml", "--db", db), "--format")
    assert_user_error(cli("agreement", run_id, "--scorer", "judge", "--db", db), "scorer 'judge'")
