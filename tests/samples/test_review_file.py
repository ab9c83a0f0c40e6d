"""samples/review_file.py on its own: its vocabulary is the run side's, and a verdict on a
file whose YAML the build wrote keeps the file loadable as a suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchlab.errors import NotFound, UserError
from benchlab.samples import review_file
from benchlab.suites import review
from benchlab.suites.loader import load_suite

SUITE = """\
name: tiny
version: 2026-12-01+000000000000
metadata: {review_required: true}
cases:
  - {id: a, input: "2+2?", expected: "4", metadata: {review: unreviewed}}
  - {id: b, input: "3+3?", expected: "7", metadata: {review: unreviewed}}
"""


def test_the_vocabulary_is_the_run_sides() -> None:
    assert (review_file.ACCEPTED, review_file.REJECTED) == (review.ACCEPTED, review.REJECTED)


def test_an_edit_keeps_the_original_once_and_the_suite_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(SUITE, encoding="utf-8")
    suite = review_file.read_review_suite(tmp_path, "tiny")
    written, case = review_file.record_review(
        tmp_path, "tiny", "b", version=suite.version, by="ana", status="accepted", expected="6"
    )
    assert case["expected"] == "6" and case["metadata"]["review"]["original"] == "7"
    again, case = review_file.record_review(
        tmp_path, "tiny", "b", version=written.version, by="bo", expected="six"
    )
    assert case["metadata"]["review"]["original"] == "7"  # the production output, not "6"
    assert case["metadata"]["review"]["status"] == "accepted"
    loaded = load_suite(str(path))
    assert review.runnable_ids(loaded, include_unreviewed=False) == {"b"}
    with pytest.raises(review_file.StaleVersion):
        review_file.record_review(
            tmp_path, "tiny", "a", version=suite.version, by="ana", status="rejected"
        )
    with pytest.raises(UserError, match="nothing to record"):
        review_file.record_review(tmp_path, "tiny", "a", version=again.version, by="ana")
    with pytest.raises(NotFound):
        review_file.read_review_suite(tmp_path, "../tiny")
