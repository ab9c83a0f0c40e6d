"""The points where a tracked suite's content changed (store/suite_history.py), which the
overview marks on its trend, on SQLite and PostgreSQL."""

from __future__ import annotations

from benchlab.domain import RunStatus
from benchlab.store import Store
from benchlab.store.records import RunRecord
from benchlab.store.suite_history import SuiteChange, suite_changes

DAY = 86_400.0
T0 = 1_780_000_000.0
V1, V2, V3 = ("1" * 64, "2" * 64, "3" * 64)


def _run(
    store: Store,
    run_id: str,
    day: float,
    contents: dict[str, tuple[str, int]],
    *,
    status: RunStatus = "completed",
    tags: dict[str, str] | None = None,
) -> None:
    """A run created `day` days after T0 over suites name -> (content hash, case count)."""
    created = T0 + day * DAY
    record = RunRecord(
        id=run_id,
        status=status,
        created_at=created,
        started_at=created,
        finished_at=created + 60,
        seed=0,
        suites=list(contents),
        models=["oracle"],
        tags={"branch": "main"} if tags is None else tags,
        benchlab_version="test",
        config={"seed": 0},
        error=None,
        owner_pid=None,
        owner_host=None,
        heartbeat_at=None,
    )
    suites_info = [
        {
            "name": name,
            "hash": digest,
            "version": "1",
            "source": "x",
            "header": {"name": name},
            "n_cases": n,
        }
        for name, (digest, n) in contents.items()
    ]
    with store.engine.begin() as conn:
        store.insert_run(conn, record, suites_info, [{"name": "oracle"}])


def test_a_change_is_the_first_run_on_new_content_oldest_first(db_url: str) -> None:
    with Store(db_url) as store:
        _run(store, "r1", 0, {"daily": (V1, 10)})
        _run(store, "r2", 1, {"daily": (V1, 10), "other": (V3, 5)})  # the same content
        _run(store, "r3", 2, {"daily": (V2, 12)})  # the data file grew
        _run(store, "r4", 3, {"daily": (V2, 12)})
        _run(store, "r5", 4, {"daily": (V1, 10)})  # and was put back
        _run(store, "r6", 5, {"other": (V1, 10)})  # another suite's runs do not count
        assert suite_changes(store, "daily") == [
            SuiteChange("r3", T0 + 2 * DAY, V2, 12, V1, 10),
            SuiteChange("r5", T0 + 4 * DAY, V1, 10, V2, 12),
        ]
        assert suite_changes(store, "other") == [SuiteChange("r6", T0 + 5 * DAY, V1, 10, V3, 5)]
        assert suite_changes(store, "nothing-ran-it") == []


def test_only_runs_with_the_tags_and_statuses_asked_for_count(db_url: str) -> None:
    """A pull-request run on edited data, or a failed run, is no change of the tracked
    sample: the run after it, on the same content as before, is no change either."""
    with Store(db_url) as store:
        _run(store, "r1", 0, {"daily": (V1, 10)})
        _run(store, "pr", 1, {"daily": (V3, 11)}, tags={"branch": "pr-7"})
        _run(store, "broken", 2, {"daily": (V3, 11)}, status="failed")
        _run(store, "r2", 3, {"daily": (V1, 10)})
        _run(store, "r3", 4, {"daily": (V2, 12)})
        main = {"branch": "main"}
        assert [c.run_id for c in suite_changes(store, "daily", tags=main)] == ["r3"]
        # without the tag filter the pull request's content is a change, and so is its end
        assert [c.run_id for c in suite_changes(store, "daily")] == ["pr", "r2", "r3"]
        with_failed = suite_changes(store, "daily", tags=main, statuses=("completed", "failed"))
        assert [(c.run_id, c.previous_hash) for c in with_failed] == [
            ("broken", V1),
            ("r2", V3),
            ("r3", V1),
        ]
        assert suite_changes(store, "daily", tags={"branch": "nowhere"}) == []


def test_runs_created_at_the_same_moment_are_taken_in_id_order(db_url: str) -> None:
    with Store(db_url) as store:
        _run(store, "b", 1, {"daily": (V2, 12)})
        _run(store, "a", 1, {"daily": (V1, 10)})
        _run(store, "c", 0, {"daily": (V2, 12)})
        assert suite_changes(store, "daily") == [
            SuiteChange("a", T0 + DAY, V1, 10, V2, 12),
            SuiteChange("b", T0 + DAY, V2, 12, V1, 10),
        ]
