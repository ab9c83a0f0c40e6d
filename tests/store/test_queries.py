"""Browsing queries: pages, filters and the attempt detail, straight on the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchlab.domain import Score
from benchlab.errors import NotFound
from benchlab.store import Store, queries
from benchlab.store.passes import add_scores, start_pass
from benchlab.store.records import ScoreRecord
from support.lab import make_seed
from support.runs import make_run, replay, suite


def test_pages_filters_and_detail(tmp_path: Path) -> None:
    seed = make_seed(tmp_path)
    with Store(seed.url) as store:
        page = queries.runs_page(store, tags={"env": "ci"})
        assert [r.id for r in page.items] == [seed.runs[1]] and page.total == 1
        assert queries.runs_page(store, limit=10_000).limit == queries.MAX_PAGE
        attempts = queries.attempts_page(
            store, seed.runs[1], queries.AttemptFilter(passed=False, model="echo")
        )
        assert attempts.total == 11
        assert all(a["passed"] is False for a in attempts.items)
        one, case = queries.get_attempt(store, attempts.items[0]["id"])
        assert case is not None and one.expected == case["expected"]
        assert len(queries.sibling_attempts(store, one)) == 2
        assert queries.planned_total(store, store.get_run(seed.runs[0])) == 36
        assert queries.category_counts(store, queries.suite_hash(store, "quickstart"))["math"] == 2
        with pytest.raises(NotFound):
            queries.get_attempt(store, 1)
        with pytest.raises(NotFound):
            queries.suite_hash(store, "nope")


def test_an_attempts_scores_keep_their_scoring_pass(tmp_path: Path) -> None:
    """`get_attempt` reads score rows through `ScoreRecord`, so a re-scored attempt's scores
    say which pass they belong to (it built `Score` by hand before and left `pass_no` 0)."""
    seed = make_seed(tmp_path)
    with Store(seed.url) as store:
        attempt_id = queries.attempts_page(
            store, seed.runs[1], queries.AttemptFilter(model="echo")
        ).items[0]["id"]
        pass_no = start_pass(store, seed.runs[1], scorers=None, judge_model=None)
        again = Score(scorer="exact", value=1.0, passed=True, explanation="second look")
        add_scores(
            store,
            [
                ScoreRecord.from_domain(
                    again, attempt_id=attempt_id, run_id=seed.runs[1], pass_no=pass_no
                )
            ],
        )
        one, _ = queries.get_attempt(store, attempt_id)
        assert [s.pass_no for s in one.scores] == [0, pass_no] and pass_no >= 1
        assert (one.scores[1].scorer, one.scores[1].explanation) == ("exact", "second look")


def test_each_attempt_filter_narrows_the_page_and_they_combine(db_url: str, tmp_path: Path) -> None:
    """`AttemptFilter`, the one filter behind the attempts API, the run page and the flip
    view: every condition on its own and together, on SQLite and PostgreSQL. A replay
    without an answer for c5 errs there, which is neither a pass nor a fail."""
    cases = suite(tmp_path, 6)  # categories cat0 (even cases) and cat1 (odd)
    answers = tmp_path / "answers.jsonl"
    replayed = replay(answers, 6, failing=[1, 2])
    answers.write_text("".join(answers.read_text().splitlines(keepends=True)[:5]))  # no c5
    run_id = make_run(db_url, cases, replayed, "oracle").run_id

    def page(**where: Any) -> list[dict[str, Any]]:
        with Store(db_url) as store:
            return queries.attempts_page(store, run_id, queries.AttemptFilter(**where)).items

    def found(**where: Any) -> list[tuple[str, str]]:
        return [(r["case_id"], r["model"][:6]) for r in page(**where)]

    assert len(found()) == 12
    assert found(model=replayed) == [(f"c{i}", "replay") for i in range(6)]
    assert found(case_id="c3") == [("c3", "oracle"), ("c3", "replay")]
    assert found(passed=False) == [("c1", "replay"), ("c2", "replay")]
    assert {c for c, _ in found(model=replayed, passed=True)} == {"c0", "c3", "c4"}
    assert found(category="cat1", model=replayed, passed=False) == [("c1", "replay")]
    (errored,) = page(status="error")
    assert errored["case_id"] == "c5" and errored["error_type"]
    assert found(error_type=errored["error_type"]) == [("c5", "replay")]
    assert found(suite="s") == found() and found(suite="other") == []
    assert found(q="wrong") == [("c1", "replay"), ("c2", "replay")]  # in the answer
    assert found(q="c4") == [("c4", "oracle"), ("c4", "replay")]  # in the case id
    assert found(q="_") == []  # a LIKE wildcard is a character here
