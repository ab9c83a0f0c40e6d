"""The factor view document (`factor_view`) and the pivot of two factors (`factor_pivot`)
over a stance run and a regex grid made by real CLI runs (tests/support/grid_runs.py):
the numbers are `show --by/--paired-by --json`'s, and each pivot cell is known."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchlab import api
from benchlab.analysis.factor_views import factor_view, grid_summary
from benchlab.analysis.factors import factor_pivot
from benchlab.domain import ModelProfile, ScorerSpec
from benchlab.engine.config import RunConfig
from benchlab.errors import ConfigError
from benchlab.store import Store
from support.grid_runs import PERSPECTIVE_MEANS, GridLab, make_grid_lab
from support.runs import assert_user_error, cli

pytestmark = pytest.mark.slow  # two real CLI runs, once for the module


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> GridLab:
    return make_grid_lab(tmp_path_factory.mktemp("grid"))


@pytest.fixture
def store(lab: GridLab) -> Iterator[Store]:
    with Store(lab.url) as s:
        yield s


def test_the_document_holds_what_show_prints(lab: GridLab, store: Store) -> None:
    doc = factor_view(store, lab.stance_run, by="rent", paired_by="perspective")
    shown = lab.show(lab.stance_run, "--by", "rent", "--paired-by", "perspective")
    (model,) = shown["models"]
    assert (doc.by, doc.paired_by, doc.scorer, doc.sided) == ("rent", "perspective", "stance", True)
    assert [row.model_dump() for row in doc.models[0].levels] == model["levels"]
    uplift = doc.models[0].uplift
    assert uplift is not None
    assert [u.pair for u in uplift] == list(model["uplift"])
    for u in uplift:
        found = model["uplift"][u.pair]
        assert (u.n, u.mean, u.ci95, u.level, u.baseline) == (
            found["n"],
            found["mean"],
            found["ci95"],
            *u.pair.split("-"),
        )
    assert list(doc.factors) == ["rent", "quality", "relationship", "perspective"]
    assert doc.pivot is not None and (doc.pivot.rows, doc.pivot.cols) == ("rent", "quality")


def test_pivot_cells_hold_the_cases_at_both_levels(lab: GridLab, store: Store) -> None:
    pivot = factor_pivot(store, lab.stance_run, "perspective", "quality")
    (model,) = pivot["models"]
    by_level = {
        row["level"]: row
        for row in lab.show(lab.stance_run, "--by", "perspective")["models"][0]["levels"]
    }
    assert pivot["row_levels"] == ["landlord", "tenant", "neutral"]
    assert pivot["col_levels"] == ["good", "fair", "poor"]
    filled = 0
    for level, cells in zip(pivot["row_levels"], model["cells"], strict=True):
        assert sum(c["n"] for c in cells) == by_level[level]["n"]
        for cell in cells:
            if cell["n"] == 0:
                assert cell["mean"] is None and cell["ci95"] is None
                continue
            filled += 1
            mean = PERSPECTIVE_MEANS[level]
            assert cell["mean"] == pytest.approx(mean)
            if cell["n"] >= 2:  # every case at the level leans the same: zero width
                assert cell["ci95"] == pytest.approx([mean, mean])
            else:
                assert cell["ci95"] is None
    assert filled >= 3


def test_pivot_of_a_regex_grid(lab: GridLab, store: Store) -> None:
    doc = factor_view(store, lab.grid_run, pivot=("who", "drink"))
    assert doc.sided is False and doc.by == "drink" and doc.paired_by is None
    assert doc.pivot is not None
    assert doc.pivot.row_levels == ["me", "you", "one-sided"]
    for row in doc.pivot.models[0].cells:
        assert [(c.n, c.mean) for c in row] == [(1, 1.0), (1, 0.0)]
    assert grid_summary(store, lab.grid_run) == {
        "factors": {"drink": ["green-tea", "coffee"], "who": ["me", "you", "one-sided"]}
    }


def test_bad_factors_are_user_errors(lab: GridLab, store: Store, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'mood'"):
        factor_pivot(store, lab.stance_run, "mood", "rent")
    with pytest.raises(ConfigError, match="two different factors"):
        factor_pivot(store, lab.stance_run, "rent", "rent")
    with pytest.raises(ConfigError, match="--by: unknown factor 'mood'"):
        factor_view(store, lab.stance_run, by="mood")
    db = f"sqlite:///{tmp_path}/plain.db"
    plain = api.run(
        RunConfig(
            suites=["quickstart"],
            models=[ModelProfile(name="oracle", spec="oracle")],
            scorers=[ScorerSpec(name="contains")],
            db=db,
        )
    )
    with Store(db) as other:
        assert grid_summary(other, plain.run_id) is None
        empty = factor_view(other, plain.run_id)  # nothing to group: an empty view
        assert (empty.factors, empty.by, empty.models, empty.pivot) == ({}, None, [], None)
        with pytest.raises(ConfigError, match="no grid suite"):
            factor_view(other, plain.run_id, by="rent")
        with pytest.raises(ConfigError, match="no grid suite"):
            factor_view(other, plain.run_id, pivot=("rent", "quality"))


def test_show_pivot_prints_the_pivot(lab: GridLab) -> None:
    """`benchlab show --pivot A,B` prints what `factor_pivot` (and the dashboard) holds."""
    shown = lab.show(lab.grid_run, "--pivot", "who,drink")
    assert (shown["rows"], shown["cols"]) == ("who", "drink")
    assert [[c["mean"] for c in row] for row in shown["models"][0]["cells"]] == [[1.0, 0.0]] * 3
    table = cli("show", lab.grid_run, "--pivot", "who,drink", "--db", str(lab.db))
    assert table.returncode == 0, table.stderr
    line = next(ln for ln in table.stdout.splitlines() if "one-sided" in ln)
    assert [c.strip() for c in line.split("│")[1:-1]] == ["one-sided", "+1.000 n=1", "+0.000 n=1"]
    assert_user_error(cli("show", lab.grid_run, "--pivot", "who", "--db", str(lab.db)), "A,B")
    assert_user_error(
        cli("show", lab.grid_run, "--pivot", "who,mood", "--db", str(lab.db)), "'mood'"
    )
