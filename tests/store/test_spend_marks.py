"""A month's spend is computed again exactly when what it reads changed (store/spend_marks.py),
on SQLite and PostgreSQL: after each change the figures equal a fresh computation (nothing
remembered), and without one the remembered figures are handed out again.

Changes made as a user makes them: another run, a resume that asks the errored attempts
again, a re-scoring pass by a paid judge, and a pass that is still scoring.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from benchlab.analysis import spend
from benchlab.analysis.spend import monthly_spend
from benchlab.store import Store
from benchlab.store.passes import add_scores, start_pass
from benchlab.store.records import ScoreRecord
from benchlab.store.schema import attempts
from support.priced_lab import JUDGE, Lab, N, make_lab
from support.runs import cli, replay
from support.servers import StubServer


@pytest.fixture
def lab(tmp_path: Path, db_url: str, stub_server: StubServer) -> Lab:
    return make_lab(tmp_path, db_url, stub_server)


def _figures(store: Store) -> dict[str, Any]:
    return monthly_spend(store).model_dump(mode="json")


def _fresh(store: Store) -> dict[str, Any]:
    """The month's figures with nothing remembered: the computation itself."""
    with spend._made_lock:
        spend._made.clear()
    return _figures(store)


def _changed(store: Store, before: dict[str, Any]) -> dict[str, Any]:
    """The figures read now differ from `before` and equal a fresh computation."""
    now = _figures(store)
    assert now != before
    assert now == _fresh(store)
    return now


@pytest.mark.slow
def test_the_spend_is_recomputed_exactly_when_what_it_reads_changed(lab: Lab) -> None:
    with Store(lab.url) as store:
        first = monthly_spend(store)
        assert monthly_spend(store) is first  # nothing changed: the same figures, not recomputed
        figures = first.model_dump(mode="json")
        assert figures == _fresh(store)
        assert figures["total_usd"] is None and figures["known_usd"] > 0  # a model is unpriced
        assert figures["cached_answers"] > 0 and figures["judge_calls"] > 0

    # a resume asks the 4 unanswered cases again: they are paid requests now
    replay(lab.short, N, failing=[2])
    resumed = cli("resume", lab.first, "--retry-errors", "--db", lab.url, "-q", env=lab.env)
    assert resumed.returncode == 0, resumed.stderr
    with Store(lab.url) as store:
        after = _changed(store, figures)
        assert after["requests"] == figures["requests"] + 4

    # a paid judge scores the judged run again
    rescored = cli(
        "score", lab.judged, "--judge-model", JUDGE, "--no-cache", "--db", lab.url, env=lab.env
    )
    assert rescored.returncode == 0, rescored.stderr
    with Store(lab.url) as store:
        rescored_figures = _changed(store, after)
        assert rescored_figures["judge_calls"] > after["judge_calls"]

        # a pass still scoring: its verdicts count from its start, one at a time
        pass_no = start_pass(store, lab.first, scorers=None, judge_model=JUDGE)
        started = _figures(store)  # nothing scored in it yet
        assert started == rescored_figures
        with store.engine.connect() as conn:
            attempt_id = conn.execute(
                select(attempts.c.id).where(attempts.c.run_id == lab.first).limit(1)
            ).scalar_one()
        usage = {"model": JUDGE, "calls": 1, "cached_calls": 0, "paid_usd": 0.25}
        add_scores(
            store,
            [
                ScoreRecord(
                    attempt_id=attempt_id,
                    scorer="judge",
                    pass_no=pass_no,
                    run_id=lab.first,
                    value=1.0,
                    passed=True,
                    explanation=None,
                    details=json.dumps({"judge": usage}),
                )
            ],
        )
        scored = _changed(store, started)
        assert scored["judge_calls"] == started["judge_calls"] + 1

    # another run in the month
    more = cli(
        "run", "rent-sycophancy", "--limit", "2", "-m", "echo", "--judge-model", JUDGE,
        "--db", lab.url, "-q", env=lab.env,
    )  # fmt: skip
    assert more.returncode == 0, more.stderr
    with Store(lab.url) as store:
        assert _changed(store, scored)["runs"] == scored["runs"] + 1
