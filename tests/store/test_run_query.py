"""The one run filter (store/run_query.py) behind every run list, on SQLite and PostgreSQL."""

from __future__ import annotations

import time

import pytest

from benchlab.errors import ConfigError
from benchlab.store import Store
from benchlab.store.run_query import RunFilter, count_runs, find_runs, parse_tags, sorted_runs
from benchlab.store.stats import refresh


def _run(store: Store, run_id: str, *, model: str, suite: str, tags: dict[str, str]) -> None:
    store.create_run(
        run_id,
        config={"seed": 0},
        suites_info=[
            {
                "name": suite,
                "hash": suite * 64,
                "version": "1",
                "source": "x",
                "header": {"name": suite},
                "n_cases": 1,
            }
        ],
        model_profiles=[{"name": model, "spec": "oracle"}],
        seed=0,
        tags=tags,
        version="test",
    )


def test_parse_tags_keeps_empty_values_and_names_the_flag_in_errors() -> None:
    assert parse_tags(["env=ci", " team =ml=x", "note="]) == {
        "env": "ci",
        "team": "ml=x",
        "note": "",
    }
    with pytest.raises(ConfigError, match=r"^--tag 'novalue': expected KEY=VALUE$"):
        parse_tags(["novalue"])
    with pytest.raises(ConfigError, match=r"^tag ' =x': expected KEY=VALUE$"):
        parse_tags([" =x"], flag="tag")  # the query parameter's name, on the server


def test_lists_and_counts_apply_the_same_filter(db_url: str) -> None:
    ids = ["20260101-000000-aaaaaa", "20260102-000000-bbbbbb", "20260103-000000-cccccc"]
    with Store(db_url) as store:
        _run(store, ids[0], model="a", suite="x", tags={"env": "ci"})
        time.sleep(0.01)
        _run(store, ids[1], model="b", suite="x", tags={"env": "ci", "team": "ml"})
        middle = time.time()
        time.sleep(0.01)
        _run(store, ids[2], model="a", suite="y", tags={})
        store.set_status(ids[0], "completed")
        store.set_status(ids[1], "stopped_budget")

        def found(where: RunFilter, **page: int) -> list[str]:
            return [r.id for r in find_runs(store.engine, where, **page)]

        everything = RunFilter()
        assert found(everything) == ids[::-1] and count_runs(store.engine, everything) == 3
        assert found(everything, limit=2) + found(everything, limit=2, offset=2) == ids[::-1]
        cases = [
            (RunFilter(model="a"), [ids[2], ids[0]]),
            (RunFilter(suite="x"), [ids[1], ids[0]]),
            (RunFilter(status="stopped_budget"), [ids[1]]),
            (RunFilter(tags={"env": "ci"}), [ids[1], ids[0]]),
            (RunFilter(tags={"env": "ci", "team": "ml"}), [ids[1]]),
            (RunFilter(tags={"env": "prod"}), []),
            (RunFilter(since=middle), [ids[2]]),
            (RunFilter(until=middle), [ids[1], ids[0]]),
            (RunFilter(model="a", suite="x", status="completed"), [ids[0]]),
        ]
        for where, expected in cases:
            assert found(where) == expected, where
            assert count_runs(store.engine, where) == len(expected), where
        # the Store's own list is this query too
        assert [r.id for r in store.list_runs(status="stopped_budget")] == [ids[1]]


def test_runs_sort_by_their_totals_with_missing_values_last(db_url: str) -> None:
    """Sorting is the database's (SQLite and PostgreSQL alike), over every matching run
    before the page is cut; a run without totals (still running) ends either order."""
    ids = ["20260101-000000-aaaaaa", "20260102-000000-bbbbbb", "20260103-000000-cccccc"]
    with Store(db_url) as store:
        for i, run_id in enumerate(ids):
            _run(store, run_id, model="m", suite="x", tags={})
            time.sleep(0.01)
            if i < 2:
                store.set_status(run_id, "completed")
        refresh(store)  # no attempts: marker rows only, so no run has a pass rate
        for sort in ("pass_rate", "-pass_rate", "cost", "-errors"):
            found = [r.id for r in sorted_runs(store.engine, RunFilter(), sort)]
            assert found == ids[::-1], sort  # all missing: newest first, as unsorted
        assert [r.id for r in sorted_runs(store.engine, RunFilter(), "created")] == ids
        by_status = [r.id for r in sorted_runs(store.engine, RunFilter(), "-status")]
        assert by_status == [ids[2], ids[1], ids[0]]  # running > completed, then newest
        paged = [
            r.id
            for offset in range(3)
            for r in sorted_runs(store.engine, RunFilter(), "status", limit=1, offset=offset)
        ]
        assert paged == [ids[1], ids[0], ids[2]]
        with pytest.raises(ConfigError, match="sort 'models': expected one of"):
            sorted_runs(store.engine, RunFilter(), "models")
