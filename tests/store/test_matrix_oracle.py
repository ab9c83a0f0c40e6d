"""The matrix's SQL (store/matrix_rows.py) against a plain Python reading of the same attempts,
on SQLite and PostgreSQL: which rows every filter keeps, in which order every sort puts them,
the total, and what each cell shows.

The store is seeded directly with what the real runs rarely hold all at once: two suites,
cells missing from a column, errors, answers without a verdict, a second sample, models in
one run only, ties in every sort key, a re-scoring pass (and an unfinished one) in one run
and imported pass numbers in the other, and one human label.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import insert

from benchlab.store import Store
from benchlab.store.matrix_rows import MatrixColumn, MatrixQuery, matrix_page
from benchlab.store.schema import attempts, labels, score_passes, scores

RUN_A, RUN_B = "20260101-000000-aaaaaa", "20260102-000000-bbbbbb"
MODELS = {RUN_A: ["m1", "m2", "m3"], RUN_B: ["m1", "m2", "m4"]}
SUITES = {"s1": 8, "s2": 4}  # suite -> cases
VALUES = [0.0, 0.25, 0.5, 0.75, 1.0, None]  # exact in binary: means tie exactly in SQL too
FAIL, ERROR, NONE, PASS, MISSING = 0, 1, 2, 3, 4
VERDICTS = {FAIL: "fail", ERROR: "error", NONE: "none", PASS: "pass"}


@dataclass
class Seeded:
    """What was written, read back by the oracle: one entry per attempt."""

    attempts: dict[int, dict[str, Any]] = field(default_factory=dict)
    scores: list[tuple[int, str, int, float | None, bool | None]] = field(default_factory=list)
    passes: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # run -> (no, status)


def _seed(store: Store) -> Seeded:
    rng = random.Random(12)
    seeded = Seeded(passes={RUN_A: [], RUN_B: [(1, "completed"), (2, "running")]})
    for run_id, models in MODELS.items():
        store.create_run(
            run_id,
            config={"seed": 0},
            suites_info=[
                {
                    "name": suite,
                    "hash": suite * 32,
                    "version": "1",
                    "source": "x",
                    "header": {"name": suite},
                    "n_cases": n,
                }
                for suite, n in SUITES.items()
            ],
            model_profiles=[{"name": m, "spec": "oracle"} for m in models],
            seed=0,
            tags={},
            version="test",
        )
    next_id = 1
    for run_id, models in MODELS.items():
        for suite, n in SUITES.items():
            for c, model, sample in itertools.product(range(1, n + 1), models, (0, 1)):
                if rng.random() < 0.15 or (sample == 1 and rng.random() < 0.6):
                    continue  # a missing cell
                roll = rng.random()
                status = "error" if roll < 0.15 else "ok"
                passed = None if status == "error" or roll > 0.85 else rng.random() < 0.55
                output = None if status == "error" else f"Answer {rng.randint(0, 3)} to c{c:02d}"
                seeded.attempts[next_id] = {
                    "id": next_id,
                    "run_id": run_id,
                    "suite": suite,
                    "case_id": f"c{c:02d}",
                    "model": model,
                    "sample": sample,
                    "status": status,
                    "category": None,
                    "prompt": "[]",
                    "output": output,
                    "error_type": "RateLimited" if status == "error" else None,
                    "error_message": "429" if status == "error" else None,
                    "cached": False,
                    "retries": 0,
                    "passed": passed,
                    "finished_at": 1.0,
                    "latency_ms": 10.0,
                    "cost_usd": None,
                }
                if status == "ok":
                    # pass 0 for both runs; run A also numbers an imported scorer 1 (no
                    # recorded pass uses it, so it belongs to pass 0 too); run B was
                    # re-scored (pass 1, shown) and is being re-scored again (pass 2, not)
                    pass_nos = [0, 1] if run_id == RUN_A else [0, 1, 2]
                    for pass_no in pass_nos:
                        seeded.scores.append(
                            (next_id, "exact", pass_no, rng.choice(VALUES), passed)
                        )
                    if rng.random() < 0.5:
                        seeded.scores.append((next_id, "judge", 0, rng.choice(VALUES), None))
                next_id += 1
    with store.engine.begin() as conn:
        conn.execute(insert(attempts), list(seeded.attempts.values()))
        conn.execute(
            insert(scores),
            [
                {
                    "attempt_id": aid,
                    "scorer": scorer,
                    "pass_no": pass_no,
                    "run_id": seeded.attempts[aid]["run_id"],
                    "value": value,
                    "passed": ok,
                    "explanation": None,
                    "details": None,
                }
                for aid, scorer, pass_no, value, ok in seeded.scores
            ],
        )
        conn.execute(
            insert(score_passes),
            [
                {
                    "run_id": run_id,
                    "pass_no": no,
                    "status": status,
                    "scorers": None,
                    "judge_model": None,
                    "created_at": 1.0,
                    "finished_at": 2.0 if status == "completed" else None,
                    "scored": 0,
                    "errors": 0,
                }
                for run_id, found in seeded.passes.items()
                for no, status in found
            ],
        )
        labelled = next(
            a for a in seeded.attempts.values() if a["status"] == "ok" and a["sample"] == 0
        )
        conn.execute(
            insert(labels).values(
                attempt_id=labelled["id"],
                labeler="ann",
                run_id=labelled["run_id"],
                kind="scale",
                label="0.5",
                value=0.5,
                passed=None,
                note=None,
                created_at=1.0,
            )
        )
    return seeded


@pytest.fixture
def seeded(db_url: str) -> tuple[str, Seeded]:
    with Store(db_url) as store:
        return db_url, _seed(store)


# --- the oracle: the matrix's meaning, one attempt at a time ------------------------------------
def _code(attempt: dict[str, Any] | None) -> int:
    if attempt is None:
        return MISSING
    if attempt["status"] != "ok":
        return ERROR
    return NONE if attempt["passed"] is None else (PASS if attempt["passed"] else FAIL)


def _shown(seeded: Seeded, run_id: str) -> tuple[int, set[int]]:
    found = seeded.passes[run_id]
    completed = [no for no, status in found if status == "completed"]
    return max(completed, default=0), {no for no, _ in found}


def _in_shown_pass(seeded: Seeded, run_id: str, pass_no: int) -> bool:
    shown, recorded = _shown(seeded, run_id)
    return pass_no == shown if shown else pass_no not in recorded


def _mean_score(seeded: Seeded, attempt: dict[str, Any] | None) -> float | None:
    if attempt is None:
        return None
    values = [
        value
        for aid, _, pass_no, value, _ in seeded.scores
        if aid == attempt["id"] and _in_shown_pass(seeded, attempt["run_id"], pass_no)
    ]
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _expected(seeded: Seeded, query: MatrixQuery) -> list[tuple[str, str]]:
    """Every row the query keeps, in its order (before paging)."""
    grid: dict[tuple[str, str], list[dict[str, Any] | None]] = {}
    for attempt in seeded.attempts.values():
        if attempt["sample"] != query.sample:
            continue
        if query.suite is not None and attempt["suite"] != query.suite:
            continue
        column = MatrixColumn(attempt["run_id"], attempt["model"])
        if column not in query.columns:
            continue
        row = grid.setdefault((attempt["suite"], attempt["case_id"]), [None] * len(query.columns))
        row[list(query.columns).index(column)] = attempt

    def keep(cells: list[dict[str, Any] | None]) -> bool:
        codes = [_code(a) for a in cells]
        judged = {c for c in codes if c in (PASS, FAIL)}
        if query.failures and FAIL not in codes:
            return False
        if query.errors and ERROR not in codes:
            return False
        if query.disagreements and len(judged) < 2:
            return False
        if query.flip_pairs and not any(
            codes[i] in (PASS, FAIL) and codes[j] in (PASS, FAIL) and codes[i] != codes[j]
            for i, j in query.flip_pairs
        ):
            return False
        if query.q:
            needle = query.q.lower()
            texts = [(a["case_id"] + "\0" + (a["output"] or "")).lower() for a in cells if a]
            if not any(needle in t for t in texts):
                return False
        return True

    kept = [key for key, cells in grid.items() if keep(cells)]
    if query.sort == "case":
        return sorted(kept, reverse=query.desc)
    kept.sort()  # the tie-break, ascending whichever way the key goes
    if query.sort == "verdict":
        return sorted(
            kept,
            key=lambda key: _code(grid[key][query.sort_column]),
            reverse=query.desc,
        )
    means = {key: _mean_score(seeded, grid[key][query.sort_column]) for key in kept}
    scored = sorted(
        (key for key in kept if means[key] is not None),
        key=lambda key: means[key] or 0.0,
        reverse=query.desc,
    )
    return scored + [key for key in kept if means[key] is None]  # unscored last either way


def _pairs(columns: Sequence[MatrixColumn]) -> list[tuple[int, int]]:
    """What `show=flips` asks: each model of the first run with itself in the second."""
    return [
        (i, j)
        for i, a in enumerate(columns)
        for j, b in enumerate(columns)
        if a.run_id == RUN_A and b.run_id == RUN_B and a.model == b.model
    ]


EVERY = [MatrixColumn(run, m) for run, models in MODELS.items() for m in models]
COLUMN_SETS = [
    EVERY,
    [MatrixColumn(RUN_B, "m1"), MatrixColumn(RUN_A, "m3"), MatrixColumn(RUN_A, "m1")],
    [MatrixColumn(RUN_B, "m4")],
]
SHOWS = ["all", "failures", "errors", "disagreements", "flips", "mixed flips"]


def _query(columns: list[MatrixColumn], show: str, **options: Any) -> MatrixQuery:
    pairs = _pairs(columns) if show == "flips" else []
    if show == "mixed flips":  # pairs the API never asks: other models, the same run
        pairs = [(0, 4), (1, 0), (2, 5)]
    return MatrixQuery(
        columns=columns,
        failures=show == "failures",
        errors=show == "errors",
        disagreements=show == "disagreements",
        flip_pairs=pairs,
        limit=1000,
        **options,
    )


def test_the_seed_holds_every_edge_case(seeded: tuple[str, Seeded]) -> None:
    _, seed = seeded
    codes = [_code(a) for a in seed.attempts.values()]
    assert {FAIL, ERROR, NONE, PASS} <= set(codes)
    keys = {
        (a["run_id"], a["suite"], a["case_id"], a["model"], a["sample"])
        for a in seed.attempts.values()
    }
    possible = sum(len(m) for m in MODELS.values()) * sum(SUITES.values()) * 2
    assert len(keys) < possible  # missing cells
    flips = _expected(seed, _query(EVERY, "flips"))
    everything = _expected(seed, _query(EVERY, "all"))
    assert 0 < len(flips) < len(everything)
    by_key = {
        (a["run_id"], a["suite"], a["case_id"], a["model"]): _code(a)
        for a in seed.attempts.values()
        if a["sample"] == 0
    }

    def flipped(suite: str, case_id: str, model: str) -> bool:
        codes = {by_key.get((run, suite, case_id, model)) for run in (RUN_A, RUN_B)}
        return codes == {PASS, FAIL}

    assert any(all(flipped(*key, m) for m in ("m1", "m2")) for key in flips)  # listed once


@pytest.mark.parametrize("columns", COLUMN_SETS, ids=["every", "three", "one"])
def test_filters_and_sorts_keep_and_order_the_rows_as_the_attempts_say(
    seeded: tuple[str, Seeded], columns: list[MatrixColumn]
) -> None:
    url, seed = seeded
    every_sort = [("case", 0)] + [(k, i) for k in ("verdict", "score") for i in range(len(columns))]
    some_sorts = [("case", 0), ("verdict", len(columns) - 1), ("score", 0)]
    with Store(url) as store:
        for show, q in itertools.product(SHOWS, (None, "ANSWER 1", "c0", "100%")):
            if show == "flips" and not _pairs(columns):
                continue
            if show == "mixed flips" and columns is not EVERY:
                continue
            sorts = every_sort if q is None else some_sorts  # the sort keys apart from q
            for (key, index), desc in itertools.product(sorts, (False, True)):
                query = _query(columns, show, q=q, sort=key, sort_column=index, desc=desc)
                page, _ = matrix_page(store, query)
                want = _expected(seed, query)
                got = [(r["suite"], r["case_id"]) for r in page.items]
                assert got == want, (show, q, key, index, desc)
                assert page.total == len(want)


def test_suite_sample_and_paging(seeded: tuple[str, Seeded]) -> None:
    url, seed = seeded
    with Store(url) as store:
        for suite, sample, show in itertools.product((None, "s2"), (0, 1), SHOWS[:5]):
            for sort, desc in (("case", True), ("verdict", False), ("score", True)):
                query = _query(EVERY, show, suite=suite, sample=sample, sort=sort, sort_column=1)
                query.desc = desc
                want = _expected(seed, query)
                query.limit, query.offset = 3, 2
                page, _ = matrix_page(store, query)
                assert [(r["suite"], r["case_id"]) for r in page.items] == want[2:5]
                assert page.total == len(want)
        past = _query(EVERY, "failures")
        past.limit, past.offset = 5, 500
        page, _ = matrix_page(store, past)
        assert page.items == [] and page.total == len(_expected(seed, past))


def test_cells_show_each_attempts_verdict_and_its_shown_pass_scores(
    seeded: tuple[str, Seeded],
) -> None:
    url, seed = seeded
    with Store(url) as store:
        page, counts = matrix_page(store, _query(EVERY, "all"))
    by_key = {
        (a["run_id"], a["suite"], a["case_id"], a["model"]): a
        for a in seed.attempts.values()
        if a["sample"] == 0
    }
    seen_human = False
    for row in page.items:
        for column, cell in zip(EVERY, row["cells"], strict=True):
            attempt = by_key.get((column.run_id, row["suite"], row["case_id"], column.model))
            if attempt is None:
                assert cell is None
                continue
            assert cell["id"] == attempt["id"]
            assert cell["verdict"] == VERDICTS[_code(attempt)]
            shown = {}
            for aid, scorer, pass_no, value, _ in sorted(seed.scores, key=lambda s: s[2]):
                if aid == attempt["id"] and _in_shown_pass(seed, attempt["run_id"], pass_no):
                    shown[scorer] = value
            human = cell["scores"].pop("human", None)
            seen_human = seen_human or human is not None
            assert {k: v["value"] for k, v in cell["scores"].items()} == shown
    assert seen_human
    for column in EVERY:
        mine = [
            a for a in seed.attempts.values()
            if (a["run_id"], a["model"], a["sample"]) == (column.run_id, column.model, 0)
        ]  # fmt: skip
        assert sum(counts[column].values()) == len(mine)
        assert counts[column]["error"] == sum(a["status"] != "ok" for a in mine)
