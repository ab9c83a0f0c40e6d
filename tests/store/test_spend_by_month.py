"""A month's spend finds that month's attempts through migration 0011's index, and dates
each judge verdict: pass 0 by its attempt, a later scoring pass by the pass's start."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchlab.analysis.spend import month_bounds
from benchlab.store import Store
from benchlab.store.outcomes import judge_spend_rows, spend_rows, spend_run_ids
from benchlab.store.schema import attempts, score_passes, scores

NOV = datetime(2026, 11, 20, tzinfo=UTC).timestamp()
DEC = datetime(2026, 12, 3, tzinfo=UTC).timestamp()


def _attempt(i: int, run_id: str, finished_at: float, cost: float) -> dict[str, object]:
    return {
        "id": i,
        "run_id": run_id,
        "suite": "s",
        "case_id": f"c{i}",
        "model": "m",
        "sample": 0,
        "status": "ok",
        "prompt": "p",
        "output": "o",
        "cost_usd": cost,
        "cached": False,
        "retries": 0,
        "passed": True,
        "finished_at": finished_at,
    }


def _score(attempt_id: int, run_id: str, pass_no: int, paid: float) -> dict[str, object]:
    usage = {"judge": {"model": "judge/j", "calls": 1, "cached_calls": 0, "paid_usd": paid}}
    return {
        "attempt_id": attempt_id,
        "scorer": "judge",
        "pass_no": pass_no,
        "run_id": run_id,
        "value": 1.0,
        "passed": True,
        "details": json.dumps(usage),
    }


def _seed(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            attempts.insert(),
            [
                _attempt(1, "nov", NOV, 0.5),
                _attempt(2, "nov", NOV, 0.25),
                _attempt(3, "dec", DEC, 2.0),
            ],
        )
        conn.execute(
            scores.insert(),
            [
                _score(1, "nov", 0, 0.01),  # pass 0: November, with its attempt
                _score(3, "dec", 0, 0.02),  # pass 0: December
                _score(2, "nov", 1, 0.04),  # a re-scoring pass started in December
            ],
        )
        conn.execute(
            score_passes.insert(),
            {
                "run_id": "nov",
                "pass_no": 1,
                "status": "completed",
                "created_at": DEC,
                "scored": 1,
                "errors": 0,
            },
        )


def test_verdicts_are_dated_by_attempt_or_by_their_scoring_pass(db_url: str) -> None:
    with Store(db_url) as store:
        _seed(store)
        _, nov_start, nov_end = month_bounds("2026-11")
        _, dec_start, dec_end = month_bounds("2026-12")
        nov = judge_spend_rows(store, nov_start, nov_end)
        dec = judge_spend_rows(store, dec_start, dec_end)
        assert [(r.judge, r.calls, r.paid_usd) for r in nov] == [("judge/j", 1, 0.01)]
        assert [(r.judge, r.calls) for r in dec] == [("judge/j", 2)]
        assert dec[0].paid_usd == 0.02 + 0.04
        assert [(r.requests, r.cost_usd) for r in spend_rows(store, nov_start, nov_end)] == [
            (2, 0.75)
        ]
        assert list(spend_run_ids(store, dec_start, dec_end)) == ["dec"]
        assert judge_spend_rows(store, *month_bounds("2026-10")[1:]) == []


def test_a_month_does_not_read_every_attempt(tmp_path: Path) -> None:
    """The queries the spend really sends, planned by SQLite: index searches, no full scans."""
    sent: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, params: Any, *_a: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "alembic" not in statement:
            sent.append((statement, params))

    with Store(f"sqlite:///{tmp_path}/plan.db") as store:
        _seed(store)
        event.listen(store.engine, "before_cursor_execute", record)
        _, start, end = month_bounds("2026-12")
        spend_rows(store, start, end)
        spend_run_ids(store, start, end)
        judge_spend_rows(store, start, end)
        event.remove(store.engine, "before_cursor_execute", record)
        with store.engine.connect() as conn:
            plans = [
                str(row[-1])
                for statement, params in sent
                for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)
            ]
    assert any("ix_attempts_finished" in p for p in plans), plans
    assert not [p for p in plans if p.startswith("SCAN attempts")], plans
