"""The typed run views (analysis/run_views.py) over real runs: a row per run, a run's detail."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchlab import api
from benchlab.analysis.run_views import run_detail, run_list
from benchlab.store import Store
from support.runs import make_run, replay, suite


def test_a_row_is_the_runs_totals_and_each_models(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/views.db"
    s = suite(tmp_path, 4)
    worse = replay(tmp_path / "worse.jsonl", 4, failing=[0])
    first = make_run(db, s, "oracle", worse, tags={"env": "ci"})
    second = make_run(db, s, "oracle")
    with Store(db) as store:
        page = run_list(store, limit=None)  # the command line lists without a page bound
        assert page.total == 2 and page.limit is None
        assert [r.run_id for r in page.items] == [second.run_id, first.run_id]
        row = page.items[1]
        assert row.status == "completed" and row.tags == {"env": "ci"} and row.attempts == 8
        per_model = {m.model: m for m in row.per_model}
        assert per_model["oracle"].pass_rate == 1.0 and per_model["oracle"].n == 4
        assert per_model[worse].passed == 3 and per_model[worse].ci95 is not None
        assert row.pass_rate == pytest.approx(7 / 8)
        assert row.duration_s is not None and row.duration_s >= 0
        # times leave as they always did: ISO 8601 with the offset, not pydantic's "Z"
        created = store.get_run(first.run_id).created_at
        assert row.model_dump(mode="json")["created_at"] == created.isoformat()
        assert run_list(store, limit=1, offset=1).items[0].run_id == first.run_id
        assert [r.run_id for r in run_list(store, tags={"env": "ci"}).items] == [first.run_id]
        assert run_list(store, status="failed").total == 0

        detail = run_detail(store, first.run_id[:-2])  # a unique prefix, as everywhere
        assert detail.run_id == first.run_id and detail.planned_total == detail.done == 8
        assert detail.models_requested == ["oracle", worse]
    # the typed detail is `benchlab show --json`'s summary, values unchanged, plus the extras
    dumped = detail.model_dump(mode="json", exclude_unset=True)
    summary = api.show(first.run_id, db=db)
    assert {key: dumped[key] for key in summary} == summary
    assert set(dumped) - set(summary) == {
        "models_requested",
        "config",
        "benchlab_version",
        "planned_total",
        "done",
        "facets",
    }
    assert [r.id for r in api.list_runs(db=db, tags={"env": "ci"})] == [first.run_id]
    assert api.run_rows(db=db, limit=1).items[0].run_id == second.run_id
