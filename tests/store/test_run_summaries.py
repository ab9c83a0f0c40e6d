"""Kept run parts (store/run_summaries.py) against the computation they replace, on SQLite
and PostgreSQL: every summary, run page and compare read from kept parts equals one computed
from the attempts, on real runs with errors, cached answers, an unpriced model, a judge,
a resume, a re-scoring pass and labels; a change to any of them is seen at once; a running
run is read live.

The oracle is the same code with nothing kept (the table emptied before the call): it is
what every reader computed before parts were kept.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update

from benchlab.analysis.compare_view import compare_view
from benchlab.analysis.run_views import run_detail
from benchlab.analysis.summary import summarize_run
from benchlab.labeling import add_label
from benchlab.store import Store
from benchlab.store.labels import delete_label
from benchlab.store.schema import attempts, run_summaries
from support.priced_lab import JUDGE, UNPRICED, Lab, N, make_lab
from support.runs import cli, replay
from support.servers import StubServer


def _fresh(store: Store, read: Any) -> Any:
    """What `read()` gives with nothing kept: the computation before parts were kept."""
    with store.engine.begin() as conn:
        conn.execute(delete(run_summaries))
    return read()


def _kept_rows(store: Store, run_id: str | None = None) -> int:
    query = select(func.count()).select_from(run_summaries)
    if run_id is not None:
        query = query.where(run_summaries.c.run_id == run_id)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _same(store: Store, read: Any) -> Any:
    """`read()` twice (the first keeps parts, the second reads them) equals a fresh one."""
    fresh = _fresh(store, read)
    assert _kept_rows(store) > 0
    kept = read()
    assert kept == fresh
    return kept


def _dump(value: Any) -> Any:
    return json.loads(
        json.dumps(value.model_dump(mode="json") if hasattr(value, "model_dump") else value)
    )


@pytest.fixture
def lab(tmp_path: Path, db_url: str, stub_server: StubServer) -> Lab:
    return make_lab(tmp_path, db_url, stub_server)


@pytest.mark.slow
def test_kept_summaries_equal_fresh_ones_and_follow_every_change(lab: Lab) -> None:
    env, url = lab.env, lab.url
    with Store(url) as store:
        # a run's end prints its summary: that keeps it, so its page's first view reads it
        with store.engine.connect() as conn:
            made = conn.execute(
                select(run_summaries.c.run_id).where(run_summaries.c.part == "summary/0")
            ).all()
        assert {r for (r,) in made} >= {lab.first, lab.cached, lab.judged}
        for run_id in (lab.first, lab.cached, lab.judged):
            _same(store, lambda r=run_id: summarize_run(store, r))
            _same(store, lambda r=run_id: _dump(run_detail(store, r)))
        first = summarize_run(store, lab.first)
        by_model = {m["model"]: m for m in first["models"]}
        short = f"replay/{lab.short}"
        assert by_model[short]["errors"] == 4 and by_model[UNPRICED]["cost_usd"] is None
        assert by_model["paid"]["cost_usd"] > 0 and first["cache"]["used"] == 0
        assert summarize_run(store, lab.cached)["cache"]["used"] > 0
        judged = summarize_run(store, lab.judged)
        assert judged["models"][0]["judge_cost_usd"] > 0
        compared = _same(store, lambda: _dump(compare_view(store, lab.first, lab.cached)))
        assert compared["models"]

        # the kept part is what is read: a row changed behind the reader's back shows
        with store.engine.begin() as conn:
            conn.execute(
                update(run_summaries)
                .where(run_summaries.c.part == "summary/0")
                .values(body=func.replace(run_summaries.c.body, '"errors": 4', '"errors": 99'))
            )
        assert {m["model"]: m for m in summarize_run(store, lab.first)["models"]}[short][
            "errors"
        ] == 99

        # a label added, replaced and deleted: the human score follows at once
        with store.engine.connect() as conn:
            attempt_id = conn.execute(
                select(attempts.c.id).where(attempts.c.run_id == lab.first).limit(1)
            ).scalar_one()
        add_label(store, lab.first, str(attempt_id), "ann", "pass")
        labelled = _same(store, lambda: summarize_run(store, lab.first))
        assert any("human" in m["scores"] for m in labelled["models"])
        add_label(store, lab.first, str(attempt_id), "ann", "fail")
        assert summarize_run(store, lab.first) == _fresh(
            store, lambda: summarize_run(store, lab.first)
        )
        summarize_run(store, lab.first)  # kept again, with the label
        assert delete_label(store, lab.first, attempt_id, "ann")
        unlabelled = summarize_run(store, lab.first)
        assert not any("human" in m["scores"] for m in unlabelled["models"])
        assert unlabelled == _fresh(store, lambda: summarize_run(store, lab.first))

    # resumed: the missing answers are there now, the errors asked again
    replay(lab.short, N, failing=[2])
    resumed = cli("resume", lab.first, "--retry-errors", "--db", url, "--json", "-q", env=env)
    assert resumed.returncode == 0, resumed.stderr
    with Store(url) as store:
        after = summarize_run(store, lab.first)
        short = {m["model"]: m for m in after["models"]}[f"replay/{lab.short}"]
        assert short["errors"] == 0 and short["attempts"] == N
        assert after == _same(store, lambda: summarize_run(store, lab.first))
        _same(store, lambda: _dump(compare_view(store, lab.first, lab.cached)))

    # re-scored: a new pass is shown; the old one, asked for, is still right
    rescored = cli(
        "score", lab.judged, "--judge-model", JUDGE, "--no-cache", "--json", "--db", url,
        env=env,
    )  # fmt: skip
    assert rescored.returncode == 0, rescored.stderr
    with Store(url) as store:
        newest = summarize_run(store, lab.judged)
        assert newest["score_pass"] == 1
        assert newest == _same(store, lambda: summarize_run(store, lab.judged))
        _same(store, lambda: summarize_run(store, lab.judged, score_pass=0))
        _same(store, lambda: _dump(compare_view(store, lab.judged, lab.judged)))

        # a running run is read live (what changes while it runs need not change its
        # attempt count), and nothing is kept for it
        store.set_status(lab.cached, "running")
        before = summarize_run(store, lab.cached)
        with store.engine.begin() as conn:
            conn.execute(
                update(attempts)
                .where(attempts.c.run_id == lab.cached)
                .values(latency_ms=attempts.c.latency_ms + 1000.0)
            )
        live = summarize_run(store, lab.cached)
        assert all(m["latency_ms"]["mean"] > 1000 for m in live["models"])
        assert all(m["latency_ms"]["mean"] < 1000 for m in before["models"])
        assert _kept_rows(store, lab.cached) == 0


def test_a_label_that_comes_and_goes_while_a_part_is_made_is_not_kept_as_current(
    tmp_path: Path,
) -> None:
    """The part is made after its fingerprint is read. A label added and withdrawn meanwhile
    brings the label count, newest time and sum back to what they were, so without the
    run's count of label changes the part made with the label was read as current."""
    from benchlab.store.run_summaries import RunParts

    db = f"sqlite:///{tmp_path / 'lab.db'}"
    run_id = json.loads(cli("run", "quickstart", "-m", "oracle", "--db", db, "--json").stdout)[
        "run_id"
    ]
    with Store(db) as store:
        with store.engine.connect() as conn:
            attempt_id = conn.execute(
                select(attempts.c.id).where(attempts.c.run_id == run_id).limit(1)
            ).scalar_one()

        def made_while_a_label_came_and_went() -> str:
            add_label(store, run_id, str(attempt_id), "ann", "pass")
            delete_label(store, run_id, attempt_id, "ann")
            return "made with ann's label"

        RunParts(store, run_id).get("probe", made_while_a_label_came_and_went)
        assert RunParts(store, run_id).get("probe", lambda: "made again") == "made again"
        # and with nothing changing, the part is kept and read
        assert RunParts(store, run_id).get("probe", lambda: "not asked") == "made again"
