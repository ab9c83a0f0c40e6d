"""`benchlab run SUITE --scorer ifeval` end to end: a real process, a real SQLite store.

Cases in the Hub's IFEval shape (key, prompt, instruction ids, kwargs with
nulls for unused arguments), answered by a replay file, so each verdict is
known in advance: followed strictly, followed only loosely, not followed,
several instructions at once, and a malformed row (a scorer error).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchlab.scorers.ifeval.scorer import aggregate
from benchlab.store import Store
from support.runs import cli

from ._replies import as_hub_row

CASES: list[dict[str, Any]] = [
    {
        "key": 1000,
        "prompt": "Write a short note without commas.",
        "ids": ["punctuation:no_comma"],
        "kwargs": [{}],
        "reply": "A short note with no commas at all.",
    },
    {
        "key": 1001,
        "prompt": "Describe the park in lower case only.",
        "ids": ["change_case:english_lowercase"],
        "kwargs": [{}],
        "reply": "Sure! Here it is:\nthe park is green and quiet and we walk there every day.",
    },
    {
        "key": 1005,
        "prompt": "Give a title in double angle brackets and exactly 2 bullets.",
        "ids": ["detectable_format:title", "detectable_format:number_bullet_lists"],
        "kwargs": [{}, {"num_bullets": 2}],
        "reply": "<<Parks>>\n* trees\n* grass\n* ponds",
    },
    {
        "key": 1012,
        "prompt": "Answer in at least 3 sentences and end with 'Any other questions?'.",
        "ids": ["length_constraints:number_sentences", "startend:end_checker"],
        "kwargs": [
            {"num_sentences": 3, "relation": "at least"},
            {"end_phrase": "Any other questions?"},
        ],
        "reply": "Parks are good. Dr. Smith agrees. So do I. Any other questions?",
    },
    {  # a row without its argument: the grader cannot judge, an error, not a fail
        "key": 1099,
        "prompt": "Answer in under some words.",
        "ids": ["length_constraints:number_words"],
        "kwargs": [{}],
        "reply": "Short.",
    },
]


def _suite(tmp_path: Path) -> tuple[Path, Path]:
    suite = tmp_path / "ifeval_sample.jsonl"
    replies = tmp_path / "replies.jsonl"
    with suite.open("w") as cases, replies.open("w") as answers:
        for case in CASES:
            metadata = {
                "instruction_id_list": case["ids"],
                "kwargs": [as_hub_row(args) for args in case["kwargs"]],
            }
            row = {"id": case["key"], "input": case["prompt"], "metadata": metadata}
            cases.write(json.dumps(row) + "\n")
            answers.write(json.dumps({"case_id": str(case["key"]), "output": case["reply"]}) + "\n")
    return suite, replies


def test_a_run_stores_the_four_ifeval_figures_per_case(tmp_path: Path, nltk_data: Path) -> None:
    suite, replies = _suite(tmp_path)
    db = f"sqlite:///{tmp_path}/runs.db"
    result = cli(
        "run", str(suite), "-m", f"replay/{replies}", "--scorer", "ifeval", "--db", db,
        env={"NLTK_DATA": str(nltk_data)},
    )  # fmt: skip
    assert result.returncode == 3, (result.stdout, result.stderr)  # 3: some attempts errored
    assert "5/5 done, 1 errors" in result.stderr

    with Store(db) as store:
        (run,) = store.list_runs()
        attempts = {a.case_id: a for a in store.iter_attempts(run.id)}
    assert sorted(attempts) == ["1000", "1001", "1005", "1012", "1099"]
    unjudged = attempts.pop("1099").scores[0]
    assert unjudged.value is None and unjudged.passed is None
    assert "'length_constraints:number_words' needs an integer `num_words`" in unjudged.explanation
    details = {case_id: a.scores[0].details or {} for case_id, a in attempts.items()}
    verdicts = {case_id: a.scores[0].passed for case_id, a in attempts.items()}
    assert verdicts == {"1000": True, "1001": False, "1005": False, "1012": True}
    assert details["1001"]["inst_level_strict_acc"] == [False]
    assert details["1001"]["inst_level_loose_acc"] == [True]
    assert details["1005"]["instruction_id_list"] == [
        "detectable_format:title",
        "detectable_format:number_bullet_lists",
    ]
    assert details["1005"]["inst_level_strict_acc"] == [True, False]
    # Loose drops the last line: two bullets left.
    assert details["1005"]["inst_level_loose_acc"] == [True, True]
    assert details["1012"]["prompt_level_strict_acc"] is True
    assert aggregate(details.values()) == {
        "prompt_level_strict_acc": 2 / 4,
        "inst_level_strict_acc": 4 / 6,
        "prompt_level_loose_acc": 4 / 4,
        "inst_level_loose_acc": 6 / 6,
    }
