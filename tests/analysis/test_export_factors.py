"""A grid run's export carries each case's factor levels (CSV columns, a JSONL object)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from benchlab import api
from benchlab.domain import ModelProfile
from benchlab.engine.config import RunConfig


def test_grid_export_has_factor_columns(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/grid.db"
    config = RunConfig(
        suites=["rent-sycophancy"],
        models=[ModelProfile(name="echo", spec="echo")],
        limit=6,
        seed=1,
        db=db,
        score=False,
    )
    result = api.run(config)
    assert result.status == "completed"

    out = io.StringIO()
    assert api.export(result.run_id, "csv", out, db=db) == 6
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    factors = ["rent", "quality", "relationship", "perspective"]
    assert set(factors) <= set(rows[0])
    for row in rows:
        # the case id joins the levels, so each column must agree with it
        levels = dict(part.split("=", 1) for part in row["case_id"].split("|"))
        assert {f: row[f] for f in factors} == {f: levels[f] for f in factors}

    out = io.StringIO()
    api.export(result.run_id, "jsonl", out, db=db)
    first = json.loads(out.getvalue().splitlines()[0])
    assert set(first["factors"]) == set(factors)


def test_plain_suite_export_has_no_factor_columns(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/plain.db"
    result = api.run(
        RunConfig(suites=["quickstart"], models=[ModelProfile(name="oracle", spec="oracle")], db=db)
    )
    out = io.StringIO()
    api.export(result.run_id, "csv", out, db=db)
    header = out.getvalue().splitlines()[0].split(",")
    assert "perspective" not in header and header[0] == "run_id"
