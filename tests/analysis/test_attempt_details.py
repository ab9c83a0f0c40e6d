"""Attempts read together (`attempt_details`, `queries.first_attempt_ids`: what the compare
page's side-by-side answers read) equal the same attempts read one at a time, on real runs
with errors, several scoring passes, a judge, cases of two suites, and a human label."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from benchlab.analysis.attempt_views import attempt_detail, attempt_details
from benchlab.labeling import add_label
from benchlab.store import Store, queries
from benchlab.store.schema import attempts
from support.priced_lab import JUDGE, make_lab
from support.runs import cli
from support.servers import StubServer


@pytest.mark.slow
def test_attempts_read_together_equal_attempts_read_one_at_a_time(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    lab = make_lab(tmp_path, db_url, stub_server)
    rescored = cli(
        "score", lab.judged, "--judge-model", JUDGE, "--no-cache", "--db", db_url, env=lab.env
    )
    assert rescored.returncode == 0, rescored.stderr
    with Store(db_url) as store:
        with store.engine.connect() as conn:
            rows = conn.execute(
                select(attempts.c.id, attempts.c.run_id, attempts.c.model, attempts.c.status)
                .where(attempts.c.run_id.in_([lab.first, lab.judged]))
                .order_by(attempts.c.id)
            ).all()
        labelled = next(r.id for r in rows if r.run_id == lab.first and r.status == "ok")
        add_label(store, lab.first, str(labelled), "ann", "pass")
        ids = [r.id for r in rows]
        together = attempt_details(store, [*ids, 10**9])  # one that does not exist
        assert sorted(together) == ids
        for attempt_id in ids:
            alone = attempt_detail(store, attempt_id).model_copy(update={"others": []})
            assert together[attempt_id] == alone
        assert any(len({s.scorer for s in d.scores}) > 1 for d in together.values())
        assert any(s.scorer == "human" for s in together[labelled].scores)
        assert any(r.status == "error" for r in rows)

        # the first attempt of each case, as the run's attempt list shows it
        for run_id, model in sorted({(r.run_id, r.model) for r in rows}):
            page = queries.attempts_page(
                store, run_id, queries.AttemptFilter(model=model), limit=1000
            ).items
            keys = sorted({(a["suite"], a["case_id"]) for a in page})
            keys += [(None, case_id) for _, case_id in keys]
            keys.append(("no-such-suite", page[0]["case_id"]))
            found = queries.first_attempt_ids(store, run_id, model, keys)
            for suite, case_id in keys:
                where = queries.AttemptFilter(model=model, suite=suite, case_id=case_id)
                first = queries.attempts_page(store, run_id, where, limit=1).items
                assert found.get((suite, case_id)) == (int(first[0]["id"]) if first else None)
