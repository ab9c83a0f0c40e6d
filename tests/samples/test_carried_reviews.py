"""samples/carried_reviews.py: a rebuilt suite keeps the reviews of the cases drawn again."""

from __future__ import annotations

import copy
from typing import Any

from benchlab.samples.carried_reviews import carry_reviews
from benchlab.samples.suite_file import REVIEW_REQUIRED, content_hash


def _case(case_id: str, expected: str, review: Any = "unreviewed") -> dict[str, Any]:
    return {
        "id": case_id,
        "input": f"question {case_id}",
        "expected": expected,
        "metadata": {"review": review, "production": {"hash": case_id}},
    }


def _suite(*cases: dict[str, Any]) -> dict[str, Any]:
    digest = content_hash("prod", ["exact"], list(cases))
    return {
        "name": "prod",
        "version": f"2026-12-07+{digest[:12]}",
        "scorers": ["exact"],
        "metadata": {REVIEW_REQUIRED: True, "production_samples": {"content_hash": digest}},
        "cases": list(cases),
    }


ACCEPTED = {"status": "accepted", "by": "ana", "at": "2026-12-07T10:00:00Z"}
EDITED = {
    "status": "accepted",
    "by": "bo",
    "at": "2026-12-07T10:01:00Z",
    "original": "prod b",
    "history": [{"status": "rejected", "by": "ana", "at": "2026-12-07T09:00:00Z"}],
}
TAGGED = {"status": "unreviewed", "by": "carla", "at": "2026-12-07T10:02:00Z", "tags": ["x"]}


def test_reviews_of_cases_drawn_again_are_kept_and_the_others_named() -> None:
    previous = _suite(
        _case("p-a", "prod a", ACCEPTED),
        _case("p-b", "bo's answer", EDITED),
        _case("p-c", "prod c", TAGGED),
        _case("p-d", "prod d"),  # never reviewed: nothing to keep
        _case("p-e", "prod e", {"status": "rejected", "by": "ana", "at": "t"}),
        _case("p-g", "prod g", "accepted"),  # decided by hand in the file
    )
    built = _suite(
        _case("p-a", "prod a"),
        _case("p-b", "prod b"),
        _case("p-c", "prod c"),
        _case("p-f", "prod f"),
        _case("p-g", "prod g"),
    )
    fresh = copy.deepcopy(built)
    carried = carry_reviews(previous, built)
    assert (carried.kept, carried.dropped) == (4, ["p-e"])
    cases = {c["id"]: c for c in built["cases"]}
    assert cases["p-a"]["metadata"]["review"] == ACCEPTED
    assert (
        cases["p-b"]["metadata"]["review"] == EDITED and cases["p-b"]["expected"] == "bo's answer"
    )
    assert cases["p-c"]["metadata"]["review"] == TAGGED and cases["p-c"]["expected"] == "prod c"
    assert cases["p-f"]["metadata"]["review"] == "unreviewed"
    assert cases["p-g"]["metadata"]["review"] == "accepted"
    digest = content_hash("prod", ["exact"], built["cases"])
    assert built["version"] == f"2026-12-07+{digest[:12]}" != fresh["version"]
    assert built["metadata"]["production_samples"]["content_hash"] == digest


def test_nothing_is_carried_from_a_file_that_is_not_a_suite_to_review() -> None:
    hand_written = _suite(_case("p-a", "mine", ACCEPTED))
    hand_written["metadata"] = {}
    for previous in (None, "text", {"cases": "odd"}, hand_written):
        built = _suite(_case("p-a", "prod a"))
        before = copy.deepcopy(built)
        carried = carry_reviews(previous, built)
        assert (carried.kept, carried.dropped, built) == (0, [], before)
