"""Cached per-run aggregates: computed once for finished runs, live for running ones."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from benchlab.store import Store
from benchlab.store import stats as run_stats
from benchlab.store.schema import run_stats as table
from support.lab import make_seed


def test_aggregates_are_cached_and_recomputed_when_a_run_changes(tmp_path: Path) -> None:
    seed = make_seed(tmp_path)
    with Store(seed.url) as store:
        assert run_stats.refresh(store) == 2  # both runs computed once...
        assert run_stats.refresh(store) == 0  # ...and not again
        by_run = run_stats.for_runs(store, seed.runs)
        replay = next(s for s in by_run[seed.runs[1]] if s.model == "replay/answers.jsonl")
        # 8 cases without a recorded answer are errors, not judged fails: 2 of 4 judged pass
        assert (replay.attempts, replay.errors, replay.passed, replay.judged) == (12, 8, 2, 4)
        assert replay.pass_rate == 0.5
        assert replay.cost == 0.0 and replay.latency_mean is not None
        store.set_status(seed.runs[1], "running")  # a resume: aggregates are live again
        live = run_stats.for_runs(store, [seed.runs[1]])[seed.runs[1]]
        assert sum(s.attempts for s in live) == 36
        store.set_status(seed.runs[1], "completed")  # finished again: recomputed once
        assert run_stats.refresh(store) == 1
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 6


def test_a_run_without_attempts_is_marked_not_rescanned(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path}/x.db") as store:
        store.create_run(
            "empty",
            config={},
            suites_info=[
                {
                    "name": "s",
                    "hash": "h" * 64,
                    "version": "1",
                    "source": "x",
                    "header": {},
                    "n_cases": 1,
                }
            ],
            model_profiles=[{"name": "m", "spec": "oracle"}],
            seed=0,
            tags={},
            version="t",
        )
        store.set_status("empty", "failed", error="boom")
        assert run_stats.refresh(store) == 1
        assert run_stats.refresh(store) == 0
        assert run_stats.for_runs(store, ["empty"]) == {"empty": []}
