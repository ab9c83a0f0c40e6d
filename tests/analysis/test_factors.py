"""`show --by` / `--paired-by` on a real rent-sycophancy run judged by a stub with known stances.

The stub judge leans +0.6 for the landlord, -0.6 for the tenant and 0 for a
bystander, so every level's mean, bin shares and paired uplift are known exactly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.judging import stance_judge
from support.runs import assert_user_error, cli
from support.servers import StubServer

STANCES = {"I am the landlord": 0.6, "I am the tenant": -0.6}


def _stance(prompt: str) -> float:
    return next((v for k, v in STANCES.items() if k in prompt), 0.0)


def _ok(result: Any) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def grid_run(tmp_path: Path, stub_server: StubServer) -> tuple[str, list[str]]:
    stub_server.answer = stance_judge(_stance)
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url}
    db = ["--db", str(tmp_path / "f.db")]
    args = ["rent-sycophancy", "--limit", "6", "--seed", "1", "-q", "--json", *db]
    run = _ok(cli("run", *args, "-m", "echo", "--judge-model", "openai/judge", env=env))
    return run["run_id"], db


def test_by_perspective_means_bins_and_uplift(grid_run: tuple[str, list[str]]) -> None:
    run_id, db = grid_run
    report = _ok(cli("show", run_id, "--paired-by", "perspective", "--json", *db))
    assert report["by"] == "perspective" and report["scorer"] == "stance"
    (model,) = report["models"]
    levels = {row["level"]: row for row in model["levels"]}
    assert list(levels) == ["landlord", "tenant", "neutral"]  # the suite's level order
    expected = {"landlord": (0.6, "pos"), "tenant": (-0.6, "neg"), "neutral": (0.0, "neu")}
    for level, (mean, side) in expected.items():
        row = levels[level]
        assert row["n"] == 2 and row["mean"] == pytest.approx(mean)
        assert row["bins"] == {b: (1.0 if b == side else 0.0) for b in ("neg", "neu", "pos")}
        low, high = row["ci95"]
        assert low <= mean <= high
    uplift = model["uplift"]
    assert list(uplift) == ["landlord-tenant", "landlord-neutral", "tenant-neutral"]
    for pair, mean in (
        ("landlord-tenant", 1.2),
        ("landlord-neutral", 0.6),
        ("tenant-neutral", -0.6),
    ):
        assert uplift[pair]["n"] == 2 and uplift[pair]["mean"] == pytest.approx(mean)
        low, high = uplift[pair]["ci95"]
        assert low <= mean <= high

    by_rent = _ok(cli("show", run_id, "--by", "rent", "--json", *db))
    rows = by_rent["models"][0]["levels"]
    assert [r["level"] for r in rows] == [950, 1600, 2800]
    assert sum(r["n"] for r in rows) == 6
    assert all(r["mean"] == pytest.approx(0.0) for r in rows if r["n"])
    assert "uplift" not in by_rent["models"][0]

    table = cli(
        "show",
        run_id,
        "--by",
        "perspective",
        "--paired-by",
        "perspective",
        *db,
        env={"COLUMNS": "200"},
    )
    assert table.returncode == 0, table.stderr
    assert "landlord-tenant" in table.stdout and "+1.200" in table.stdout


def test_unknown_factor_is_one_line_exit_2(grid_run: tuple[str, list[str]]) -> None:
    run_id, db = grid_run
    assert_user_error(
        cli("show", run_id, "--by", "mood", *db),
        "'mood'",
        "rent, quality, relationship, perspective",
    )
    assert_user_error(cli("show", run_id, "--paired-by", "mood", "--json", *db), "--paired-by")


QUALITY = {"renovated two years ago": 0.2, "dated": 0.0, "mould keeps coming back": -0.1}


def _uneven_stance(prompt: str) -> float:
    """Landlord +0.6 and bystander 0 everywhere; the tenant's lean moves with the flat's state,
    so landlord-neutral is +0.6 in every matched set and landlord-tenant is noisy."""
    if "I am the tenant" in prompt:
        return -0.6 + next((v for k, v in QUALITY.items() if k in prompt), 0.0)
    return _stance(prompt)


def test_consistent_uplift_is_never_less_certain_than_a_noisy_one(
    tmp_path: Path, stub_server: StubServer
) -> None:
    """Issue 11: +0.6 in every matched set got a pass/fail bound [-0.52, +1.72] while a
    noisier uplift got a narrow bootstrap interval; and no output named the method."""
    stub_server.answer = stance_judge(_uneven_stance)
    env = {"OPENAI_BASE_URL": stub_server.openai_base_url}
    db = ["--db", str(tmp_path / "u.db")]
    args = ["rent-sycophancy", "--limit", "9", "--seed", "3", "-q", "--json", *db]
    run_id = _ok(cli("run", *args, "-m", "echo", "--judge-model", "openai/judge", env=env))[
        "run_id"
    ]
    report = _ok(cli("show", run_id, "--paired-by", "perspective", "--json", *db))
    (model,) = report["models"]
    steady, noisy = model["uplift"]["landlord-neutral"], model["uplift"]["landlord-tenant"]
    assert steady["n"] == noisy["n"] == 3
    assert steady["mean"] == pytest.approx(0.6) and steady["ci95"] == [0.6, 0.6]
    low, high = noisy["ci95"]
    assert low < noisy["mean"] < high and high - low > 0.0
    assert steady["ci_method"] == noisy["ci_method"] == "t"
    assert all(row["ci_method"] == "t" for row in model["levels"])

    table = cli("show", run_id, "--paired-by", "perspective", *db, env={"COLUMNS": "200"})
    assert table.returncode == 0, table.stderr
    steady_line = next(ln for ln in table.stdout.splitlines() if "landlord-neutral" in ln)
    cells = [c.strip() for c in steady_line.split("│")]
    assert "[+0.600, +0.600]" in cells and cells[cells.index("[+0.600, +0.600]") + 1] == "t"


def test_export_rows_carry_the_stance_bin_and_reasoning(grid_run: tuple[str, list[str]]) -> None:
    """Issue 11: exports named neither the pass, the judge, the stance bin nor the reasoning."""
    run_id, db = grid_run
    exported = cli("export", run_id, *db)
    assert exported.returncode == 0, exported.stderr
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    landlord = [r for r in rows if r["factors"]["perspective"] == "landlord"]
    assert landlord and all(r["score_pass"] == 0 for r in rows)
    assert {r["judge_model"] for r in rows} == {"openai/judge"}
    for row in landlord:
        stance = row["score_details"]["stance"]
        assert (stance["bin"], stance["reasoning"], stance["pass"]) == ("pos", "leans", 0)
        assert stance["judge_model"] is not None and stance["value"] == pytest.approx(0.6)
