"""The per-run summary CSV of grid runs (`export --format summary-csv`, `show --csv`,
`run --summary-csv`): the very numbers `show --by/--paired-by --json` prints, laid flat.

A stance grid (rent-sycophancy judged by a stub with known stances) checks the
stance rows against `show`; a small offline grid scored by `regex` checks a
non-stance scorer (no bins) and a level holding a '-' ("green-tea").
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchlab import api
from benchlab.analysis.factor_summary_csv import COLUMNS
from benchlab.domain import ModelProfile, ScorerSpec
from benchlab.engine.config import RunConfig
from benchlab.errors import ConfigError
from support.judging import stance_judge
from support.runs import assert_user_error, cli
from support.servers import StubServer

STANCES = {"I am the landlord": 0.6, "I am the tenant": -0.6}
FACTORS = ["rent", "quality", "relationship", "perspective"]


def _stance(prompt: str) -> float:
    return next((v for k, v in STANCES.items() if k in prompt), 0.0)


def _ok(result: Any) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def _num(cell: str) -> float | None:
    return None if cell == "" else float(cell)


def _check_levels(rows: list[dict[str, str]], report: dict[str, Any]) -> None:
    """The CSV's level rows of `report['by']` hold exactly the report's numbers."""
    (entry,) = report["models"]
    mine = [r for r in rows if r["kind"] == "level" and r["factor"] == report["by"]]
    assert [r["level"] for r in mine] == [str(lv["level"]) for lv in entry["levels"]]
    for row, level in zip(mine, entry["levels"], strict=True):
        assert (row["model"], row["scorer"]) == (entry["model"], report["scorer"])
        assert int(row["n"]) == level["n"] and _num(row["mean"]) == level["mean"]
        ci = level["ci95"] or [None, None]
        assert [_num(row["ci_low"]), _num(row["ci_high"])] == ci
        assert row["ci_method"] == ("t" if level["ci95"] is not None else "")
        assert {b: _num(row[b]) for b in ("neg", "neu", "pos")} == level["bins"]


def test_stance_grid_summary_matches_show(tmp_path: Path, stub_server: StubServer) -> None:
    stub_server.answer = stance_judge(_stance)
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url}
    db = ["--db", str(tmp_path / "f.db")]
    written = tmp_path / "summary.csv"
    run = _ok(
        cli(
            "run",
            *("rent-sycophancy", "--limit", "6", "--seed", "1", "-q", "--json", *db),
            *("-m", "echo", "--judge-model", "openai/judge", "--summary-csv", str(written)),
            env=env,
        )
    )
    run_id = run["run_id"]
    exported = cli("export", run_id, "--format", "summary-csv", *db)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == written.read_text()  # the run wrote what export writes
    rows = _rows(exported.stdout)
    assert {r["run_id"] for r in rows} == {run_id}
    kinds = [(r["kind"], r["factor"]) for r in rows]
    # Levels of every factor (3 + 3 + 4 + 3), uplifts only for the factor matched sets vary.
    assert kinds.count(("level", "perspective")) == 3 and len(kinds) == 13 + 3
    assert {f for k, f in kinds if k == "uplift"} == {"perspective"}

    for factor in FACTORS:
        paired = ["--paired-by", factor] if factor == "perspective" else []
        report = _ok(cli("show", run_id, "--by", factor, *paired, "--json", *db))
        _check_levels(rows, report)
    (entry,) = report["models"]  # perspective, with its uplift
    uplift = [r for r in rows if r["kind"] == "uplift"]
    assert [f"{r['level']}-{r['baseline']}" for r in uplift] == list(entry["uplift"])
    for row in uplift:
        found = entry["uplift"][f"{row['level']}-{row['baseline']}"]
        assert int(row["n"]) == found["n"] and _num(row["mean"]) == found["mean"]
        assert [_num(row["ci_low"]), _num(row["ci_high"])] == found["ci95"]
        assert row["ci_method"] == found["ci_method"] == "t"  # issue 11: the CSV names it
        assert row["neg"] == row["neu"] == row["pos"] == ""
    by_side = {r["level"]: r for r in rows if r["factor"] == "perspective" and r["kind"] == "level"}
    assert _num(by_side["landlord"]["pos"]) == 1.0 and _num(by_side["tenant"]["neg"]) == 1.0
    assert _num(uplift[0]["mean"]) == pytest.approx(1.2)  # landlord vs tenant

    # show --csv writes the rows of what it shows: rent's levels, perspective's uplifts.
    shown = tmp_path / "shown.csv"
    table = cli(
        "show", run_id, "--by", "rent", "--paired-by", "perspective", "--csv", str(shown), *db
    )
    assert table.returncode == 0 and "wrote 6 rows" in table.stderr
    picked = _rows(shown.read_text())
    assert picked == [r for r in rows if r["factor"] == "rent" or r["kind"] == "uplift"]


def _drink_grid(tmp_path: Path) -> Path:
    """2 x 3 grid, matched by `who`: `drink` is the factor a matched set varies."""
    body = {
        "name": "drinks",
        "factors": {"drink": ["green-tea", "coffee"], "who": ["me", "you", "one-sided"]},
        "matched_by": ["who"],
        "template": "Do {{ who }} like {{ drink }}?",
        "scorers": [{"name": "regex", "pattern": "tea"}],
    }
    path = tmp_path / "drinks.yaml"
    path.write_text(yaml.safe_dump(body))
    return path


def test_non_stance_grid_has_no_bins_and_hyphenated_levels(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/d.db"
    echo = [ModelProfile(name="echo", spec="echo")]
    result = api.run(RunConfig(suites=[str(_drink_grid(tmp_path))], models=echo, db=db))
    out = io.StringIO()
    assert api.export(result.run_id, "summary-csv", out, db=db) == 2 + 3 + 1
    rows = _rows(out.getvalue())
    drink = {r["level"]: r for r in rows if r["factor"] == "drink" and r["kind"] == "level"}
    assert _num(drink["green-tea"]["mean"]) == 1.0 and _num(drink["coffee"]["mean"]) == 0.0
    assert all(r["neg"] == r["neu"] == r["pos"] == "" for r in rows)  # regex has no sides
    (uplift,) = [r for r in rows if r["kind"] == "uplift"]
    assert (uplift["factor"], uplift["level"], uplift["baseline"]) == (
        "drink",
        "green-tea",
        "coffee",
    )
    assert int(uplift["n"]) == 3 and _num(uplift["mean"]) == 1.0
    who = [r["level"] for r in rows if r["factor"] == "who"]
    assert who == ["me", "you", "one-sided"]

    # Paired by a factor whose level holds a '-': the pair still splits at the levels.
    report = api.show_factors(result.run_id, None, paired_by="who", db=db)
    out = io.StringIO()
    api.write_factor_csv(report, out, db=db)
    pairs = [(r["level"], r["baseline"]) for r in _rows(out.getvalue()) if r["kind"] == "uplift"]
    assert pairs == [("me", "you"), ("me", "one-sided"), ("you", "one-sided")]


def test_runs_without_a_summary_are_user_errors(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/e.db"
    plain = api.run(
        RunConfig(
            suites=["quickstart"],
            models=[ModelProfile(name="oracle", spec="oracle")],
            scorers=[ScorerSpec(name="contains")],
            db=db,
        )
    )
    with pytest.raises(ConfigError, match="no grid suite"):
        api.export(plain.run_id, "summary-csv", io.StringIO(), db=db)
    grid = str(_drink_grid(tmp_path))
    unscored = api.run(
        RunConfig(
            suites=[grid], models=[ModelProfile(name="echo", spec="echo")], db=db, score=False
        )
    )
    assert_user_error(
        cli("export", unscored.run_id, "--format", "summary-csv", "--db", db), "no scores"
    )
    out = tmp_path / "s.csv"
    flags = ["-m", "echo", "--db", db, "--summary-csv", str(out)]
    assert_user_error(cli("run", grid, *flags, "--dry-run"), "--summary-csv", "dry run")
    assert_user_error(cli("run", grid, *flags, "--no-score"), "--summary-csv", "--no-score")
    assert_user_error(cli("run", "quickstart", *flags), "--summary-csv", "no grid suite")
    assert_user_error(cli("show", unscored.run_id, "--csv", str(out), "--db", db), "--csv")
    assert not out.exists()
