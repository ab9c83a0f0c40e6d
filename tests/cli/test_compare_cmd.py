"""`benchlab compare` as a user runs it: real runs in a real SQLite file, the CLI as a process."""

from __future__ import annotations

import json
from pathlib import Path

from support.runs import assert_user_error, cli, make_run, replay, suite


def test_runs_with_no_case_in_common_are_a_user_error(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/c.db"
    one = make_run(db, suite(tmp_path / "one", 5, name="alpha"), "oracle").run_id
    two = make_run(db, suite(tmp_path / "two", 5, name="beta"), "oracle").run_id
    for args in ([], ["--json"]):
        assert_user_error(
            cli("compare", one, two, "--db", db, *args),
            f"runs {one} and {two} have no case in common for model oracle",
            "5 cases of suite alpha",
            "5 cases of suite beta",
        )
    gated = cli("gate", "--baseline", one, "--candidate", two, "--db", db)
    assert_user_error(gated, "no case in common")


def test_errored_cases_are_left_out_and_counted_per_side(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/c.db"
    s = suite(tmp_path, 20)
    a_path, b_path = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a_spec = replay(a_path, 20, failing=[0])
    b_spec = replay(b_path, 20, failing=[0, 7])
    # missing recorded answers are errored attempts: c3 in A; c4, c5 and c6 in B
    for path, missing in ((a_path, {"c3"}), (b_path, {"c4", "c5", "c6"})):
        rows = path.read_text().splitlines()
        kept = [r for r in rows if json.loads(r)["case_id"] not in missing]
        path.write_text("\n".join(kept) + "\n")
    a = make_run(db, s, a_spec).run_id
    b = make_run(db, s, b_spec).run_id
    shown = cli("compare", a, b, "--db", db, "--json")
    assert shown.returncode == 0, shown.stderr
    (m,) = json.loads(shown.stdout)["models"]
    assert m["errors"] == {"a": 1, "b": 3}
    assert m["errored"]["b"]["cases"] == ["c4", "c5", "c6"] and m["errored"]["b"]["attempts"] == 3
    assert m["errored"]["a"]["cases"] == ["c3"]
    assert m["n_paired"] == 20 - 4  # judged on both sides only
    assert m["flips"] == {"pass_to_fail": ["c7"], "fail_to_pass": []}  # never an errored case
    assert m["a"] == 15 / 16 and m["b"] == 14 / 16
    assert m["only_in_a"] == m["only_in_b"] == []
    table = cli("compare", a, b, "--db", db)
    assert table.returncode == 0, table.stderr
    assert "3 cases left out for errors in run B" in table.stdout
    assert "1 case left out for errors in run A" in table.stdout
