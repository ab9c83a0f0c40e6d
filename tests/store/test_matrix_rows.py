"""The matrix's SQL against the attempts read one by one, on two real runs (oracle, echo and a
replay file that errors on 8 of 12 cases): per-column counts, the failure and error filters
and the score sort hold for any choice of columns, not only for every model of the runs."""

from __future__ import annotations

from itertools import combinations

import pytest
from sqlalchemy import select

from benchlab.store import Store
from benchlab.store.matrix_rows import MatrixColumn, MatrixQuery, matrix_page
from benchlab.store.schema import attempts
from support.lab import Seed
from support.matrix_lab import make_matrix_lab

pytestmark = pytest.mark.slow  # two real runs to set up

MODELS = ["oracle", "echo", "replay/answers.jsonl"]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Seed:
    return make_matrix_lab(tmp_path_factory.mktemp("matrix_rows"))


def _attempts(store: Store) -> dict[MatrixColumn, list[tuple[str, str, bool | None]]]:
    a = attempts.c
    out: dict[MatrixColumn, list[tuple[str, str, bool | None]]] = {}
    with store.engine.connect() as conn:
        for run_id, model, case_id, status, passed in conn.execute(
            select(a.run_id, a.model, a.case_id, a.status, a.passed)
        ):
            out.setdefault(MatrixColumn(run_id, model), []).append((case_id, status, passed))
    return out


def _verdict(status: str, passed: bool | None) -> str:
    if status != "ok":
        return "error"
    return "none" if passed is None else ("pass" if passed else "fail")


def test_counts_and_filters_match_the_attempts_for_any_columns(lab: Seed) -> None:
    every = [MatrixColumn(run, model) for run in lab.runs for model in MODELS]
    with Store(f"sqlite:///{lab.db}") as store:
        by_column = _attempts(store)
        for size in (1, 2, 3):
            for columns in combinations(every, size):
                chosen = list(columns)
                _, counts = matrix_page(store, MatrixQuery(columns=chosen))
                for column in chosen:
                    expected = {"pass": 0, "fail": 0, "error": 0, "none": 0}
                    for _, status, passed in by_column[column]:
                        expected[_verdict(status, passed)] += 1
                    assert counts[column] == expected, column
                failing = {
                    case_id
                    for column in chosen
                    for case_id, status, passed in by_column[column]
                    if _verdict(status, passed) == "fail"
                }
                erring = {
                    case_id
                    for column in chosen
                    for case_id, status, _ in by_column[column]
                    if status != "ok"
                }
                failures, _ = matrix_page(store, MatrixQuery(columns=chosen, failures=True))
                assert {row["case_id"] for row in failures.items} == failing
                assert failures.total == len(failing)
                errors, _ = matrix_page(store, MatrixQuery(columns=chosen, errors=True))
                assert {row["case_id"] for row in errors.items} == erring
        # the filters saw something to keep and something to drop
        assert any(v == "fail" for c in every for v in (_verdict(s, p) for _, s, p in by_column[c]))


def test_score_sort_orders_by_the_chosen_column_alone(lab: Seed) -> None:
    every = [MatrixColumn(run, model) for run in lab.runs for model in MODELS]
    with Store(f"sqlite:///{lab.db}") as store:
        for index in range(len(every)):
            for desc in (False, True):
                page, _ = matrix_page(
                    store, MatrixQuery(columns=every, sort="score", sort_column=index, desc=desc)
                )
                values = []
                for row in page.items:
                    cell = row["cells"][index]
                    scores = [] if cell is None else [s["value"] for s in cell["scores"].values()]
                    values.append(sum(scores) / len(scores) if scores else None)
                scored = [v for v in values if v is not None]
                assert values == scored + [None] * (len(values) - len(scored))  # unscored last
                assert scored == sorted(scored, reverse=desc)
                assert page.total == 12
