"""Labels in a real SQLite file: replace-on-relabel, one kind per run, the `human` score
wherever scores are read, and the 0003 -> 0004 migration of an existing database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import inspect

from benchlab import api
from benchlab.analysis.export import export_run
from benchlab.analysis.summary import summarize_run
from benchlab.engine.config import RunConfig
from benchlab.errors import ConfigError, NotFound
from benchlab.providers.profiles import resolve_models
from benchlab.store import Store, queries
from benchlab.store import labels as stored
from benchlab.store.db import SCHEMA_HEAD, current_revision
from support.migrations import database_at


@pytest.fixture
def fresh(tmp_path: Path) -> tuple[str, str]:
    db = f"sqlite:///{tmp_path}/lab.db"
    config = RunConfig(suites=["quickstart"], models=resolve_models(["oracle", "echo"]), db=db)
    return db, api.run(config).run_id


def _ids(store: Store, run_id: str, model: str) -> list[int]:
    return [a.id for a in store.iter_attempts(run_id, model=model)]


def _put(store: Store, run_id: str, aid: int, who: str, label: str, value: float) -> bool:
    passed = None if label not in ("pass", "fail") else label == "pass"
    kind = "pass_fail" if passed is not None else "stance"
    return stored.put_label(
        store,
        run_id=run_id,
        attempt_id=aid,
        labeler=who,
        kind=kind,
        label=label,
        value=value,
        passed=passed,
    )


def test_relabeling_replaces_and_delete_withdraws(fresh: tuple[str, str]) -> None:
    db, run_id = fresh
    with Store(db) as store:
        aid = _ids(store, run_id, "echo")[0]
        assert _put(store, run_id, aid, "ana", "fail", 0.0) is False
        assert _put(store, run_id, aid, "ana", "pass", 1.0) is True  # replaced, not doubled
        assert _put(store, run_id, aid, "bo", "fail", 0.0) is False
        found = stored.run_labels(store, run_id)
        assert [(x.labeler, x.label, x.passed) for x in found] == [
            ("ana", "pass", True),
            ("bo", "fail", False),
        ]
        assert [x.labeler for x in stored.run_labels(store, run_id, labeler="bo")] == ["bo"]
        assert stored.run_kind(store, run_id) == "pass_fail"
        assert stored.delete_label(store, run_id, aid, "ana") is True
        assert stored.delete_label(store, run_id, aid, "ana") is False
        assert [x.labeler for x in stored.run_labels(store, run_id)] == ["bo"]


def test_one_kind_per_run_and_only_answered_attempts_of_the_run(fresh: tuple[str, str]) -> None:
    db, run_id = fresh
    with Store(db) as store:
        aid, other = _ids(store, run_id, "echo")[:2]
        _put(store, run_id, aid, "ana", "pass", 1.0)
        with pytest.raises(ConfigError, match="labeled pass_fail, not stance"):
            _put(store, run_id, other, "bo", "pos", 1.0)
        with pytest.raises(NotFound, match="no attempt 1 in run"):
            _put(store, run_id, 1, "ana", "pass", 1.0)
        with pytest.raises(NotFound):  # an attempt of another run is not this run's
            _put(store, "some-other-run", aid, "ana", "pass", 1.0)


def test_human_score_shows_beside_the_scorers_without_changing_verdicts(
    fresh: tuple[str, str],
) -> None:
    db, run_id = fresh
    with Store(db) as store:
        before = summarize_run(store, run_id)
        echo = _ids(store, run_id, "echo")
        oracle = _ids(store, run_id, "oracle")
        _put(store, run_id, echo[0], "ana", "pass", 1.0)
        _put(store, run_id, echo[0], "bo", "fail", 0.0)
        _put(store, run_id, echo[1], "ana", "pass", 1.0)
        _put(store, run_id, oracle[0], "ana", "pass", 1.0)

        attempts = {a.id: a for a in store.iter_attempts(run_id)}
        human = attempts[echo[0]].scores[-1]
        assert (human.scorer, human.value, human.passed) == ("human", 0.5, None)
        assert human.details == {"n": 2, "labels": {"ana": "pass", "bo": "fail"}}
        assert human.explanation == "2 labels: ana pass, bo fail"
        assert attempts[echo[0]].passed is False  # the scorers' verdict, untouched
        assert [s.scorer for s in attempts[echo[2]].scores if s.scorer == "human"] == []

        attempt, _case = queries.get_attempt(store, echo[0])
        assert attempt.scores[-1].scorer == "human" and attempt.passed is False
        page = queries.attempts_page(store, run_id, queries.AttemptFilter(model="echo"), limit=500)
        cells = {r["id"]: r["scores"] for r in page.items}
        assert cells[echo[1]]["human"] == {"value": 1.0, "passed": None}

        after = summarize_run(store, run_id)
        by_model = {m["model"]: m for m in after["models"]}
        assert by_model["echo"]["scores"]["human"]["n"] == 2  # two labeled cases
        assert by_model["echo"]["scores"]["human"]["mean"] == pytest.approx(0.75)
        assert by_model["oracle"]["scores"]["human"]["mean"] == 1.0
        assert [m["pass_rate"] for m in after["models"]] == [
            m["pass_rate"] for m in before["models"]
        ]

        rows = io.StringIO()
        export_run(store, run_id, "jsonl", rows)
        exported = [json.loads(line) for line in rows.getvalue().splitlines()]
        assert sum(1 for r in exported if "human" in r["scores"]) == 3
        document = io.StringIO()
        export_run(store, run_id, "json", document)  # the run's own scores only
        assert '"human"' not in document.getvalue()


def test_export_rows_and_candidates(fresh: tuple[str, str]) -> None:
    db, run_id = fresh
    with Store(db) as store:
        aid = _ids(store, run_id, "oracle")[0]
        _put(store, run_id, aid, "ana", "pass", 1.0)
        (row,) = stored.iter_export_rows(store, run_id)
        assert row["attempt_id"] == aid and row["model"] == "oracle" and row["labeler"] == "ana"
        found = stored.candidates(store, run_id)
        assert len(found) == 24 and found[0].suite == "quickstart"
        verdicts = stored.shown_scores(store, run_id, [aid], with_details=True)
        assert list(verdicts) == [aid] and all(c.passed for c in verdicts[aid].values())
        assert stored.attempt_verdicts(store, [aid]) == {aid: True}
        assert stored.pass_specs(store, run_id) is None  # the run's own scoring, no pass
        assert {
            spec["name"] for specs in stored.case_scorer_lists(store, run_id) for spec in specs
        } >= {
            "exact",
            "numeric",
        }


def test_an_existing_0003_database_gains_the_labels_table(tmp_path: Path) -> None:
    url, engine = database_at(tmp_path, "0003")
    assert current_revision(engine) == "0003"
    assert "labels" not in inspect(engine).get_table_names()
    engine.dispose()
    with Store(url) as store:  # opening migrates to head
        assert current_revision(store.engine) == SCHEMA_HEAD
        columns = {c["name"] for c in inspect(store.engine).get_columns("labels")}
        assert {"attempt_id", "labeler", "run_id", "kind", "label", "value", "passed"} <= columns
