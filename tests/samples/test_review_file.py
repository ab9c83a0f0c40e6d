"""samples/review_file.py on its own: its vocabulary is the run side's, a verdict on a
file whose YAML the build wrote keeps the file loadable as a suite, and reviewers in
separate processes lose no verdict."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

import benchlab
from benchlab.errors import NotFound, SuiteError, UserError
from benchlab.samples import review_file
from benchlab.suites import review
from benchlab.suites.loader import load_suite
from support.review_suite import write_many_cases

SRC = str(Path(benchlab.__file__).parent.parent)

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


def test_a_changed_or_reopened_decision_keeps_every_earlier_verdict(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(SUITE, encoding="utf-8")
    moments = iter(datetime(2026, 12, 7, 10, minute, tzinfo=UTC) for minute in range(10))

    def record(by: str, **change: Any) -> dict[str, Any]:
        version = review_file.read_review_suite(tmp_path, "tiny").version
        _, case = review_file.record_review(
            tmp_path, "tiny", "b", version=version, by=by, now=next(moments), **change
        )
        return case

    record("ana", status="accepted", expected="6", tags=["math"])
    record("bo", status="rejected", tags=[])
    record("ana", expected="six")
    case = record("carla", status="unreviewed")  # reopened: back in the queue
    verdict = case["metadata"]["review"]
    assert verdict["status"] == "unreviewed" and verdict["by"] == "carla"
    assert verdict["at"] == "2026-12-07T10:03:00Z"
    assert case["expected"] == "six" and verdict["original"] == "7"
    assert verdict["history"] == [
        {"status": "accepted", "by": "ana", "at": "2026-12-07T10:00:00Z", "tags": ["math"]},
        {"status": "rejected", "by": "bo", "at": "2026-12-07T10:01:00Z", "expected": "6"},
        {"status": "rejected", "by": "ana", "at": "2026-12-07T10:02:00Z"},
    ]
    with pytest.raises(SuiteError, match="no reviewed case"):  # a run no longer asks it
        review.runnable_ids(load_suite(str(tmp_path / "tiny.yaml")), include_unreviewed=False)
    # Back to the production output: no longer an edit, and the edit is in the history.
    case = record("bo", status="accepted", expected="7")
    assert "original" not in case["metadata"]["review"] and case["expected"] == "7"
    assert case["metadata"]["review"]["history"][-1]["expected"] == "six"


def _versions(folder: Path) -> dict[str, str]:
    suite = review_file.read_review_suite(folder, "tiny")
    return {str(c["id"]): review_file.case_version_of(c) for c in suite.cases}


def test_a_case_version_conflicts_only_with_a_change_to_that_case(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(SUITE, encoding="utf-8")
    read = _versions(tmp_path)
    at = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    _, a = review_file.record_review(
        tmp_path, "tiny", "a", case_version=read["a"], by="ana", status="accepted", now=at
    )
    assert review_file.case_version_of(a) == _versions(tmp_path)["a"] != read["a"]  # as read back
    assert _versions(tmp_path)["b"] == read["b"]  # the file changed; case b did not
    _, b = review_file.record_review(
        tmp_path, "tiny", "b", case_version=read["b"], by="bo", status="rejected"
    )
    assert b["metadata"]["review"]["by"] == "bo"
    assert review_file.review_of(a)["status"] == "accepted"  # ana's verdict is still there
    with pytest.raises(review_file.CaseChanged) as raised:  # bo read a before ana decided it
        review_file.record_review(
            tmp_path, "tiny", "a", case_version=read["a"], by="bo", status="rejected"
        )
    conflict = raised.value
    assert (conflict.case_id, conflict.by, conflict.at) == ("a", "ana", "2026-12-07T10:00:00Z")
    assert "ana changed it at 2026-12-07T10:00:00Z (accepted)" in str(conflict)
    assert review_file.review_of(yaml.safe_load(path.read_text())["cases"][0])["by"] == "ana"
    a_read = _versions(tmp_path)["a"]

    # A change no reviewer made (an edit of the file) is a conflict that names nobody.
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["cases"][0]["input"] = "2 + 2?"
    document["cases"][0]["metadata"]["review"] = "unreviewed"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(review_file.CaseChanged, match="outside the review queue") as raised:
        review_file.record_review(tmp_path, "tiny", "a", case_version=a_read, by="bo", tags=[])
    assert raised.value.by is None
    with pytest.raises(UserError, match="name the version"):
        review_file.record_review(tmp_path, "tiny", "b", by="ana", status="accepted")


REVIEWER = """
import sys, time
from pathlib import Path
from benchlab.samples.review_file import (
    StaleVersion, case_version_of, read_review_suite, record_review,
)
folder, name, go, per_case = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
while not go.exists():
    time.sleep(0.001)
stale = 0
for case_id in sys.argv[5:]:
    while True:  # what a reviewer does on a 409: read the file again, then decide again
        suite = read_review_suite(folder, "big")
        if per_case == "case":
            (case,) = [c for c in suite.cases if c["id"] == case_id]
            versions = {"case_version": case_version_of(case)}
        else:
            versions = {"version": suite.version}
        try:
            record_review(folder, "big", case_id, by=name, status="accepted", tags=[name],
                          **versions)
            break
        except StaleVersion:
            stale += 1
print(stale)
"""


@pytest.mark.slow
@pytest.mark.parametrize("checked", ["file", "case"])
def test_reviewers_in_separate_processes_lose_no_decision(tmp_path: Path, checked: str) -> None:
    """Three processes accept ten cases each, all at once, each on a file another has just
    changed. Without a lock every process shares, two of them pass the version check on the
    same bytes and the second write drops the first one's verdict. Checked by the file's
    version, they meet conflicts (and retry); by their cases' versions, none, as no two of
    them review the same case, and the file, read again under the lock, keeps every one."""
    procs, each = 3, 10
    path = tmp_path / "big.yaml"
    write_many_cases(path, procs * each)
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": SRC}
    running = [
        subprocess.Popen(
            [sys.executable, "-c", REVIEWER, str(tmp_path), f"r{p}", str(go), checked]
            + [f"c{p * each + i}" for i in range(each)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for p in range(procs)
    ]
    go.touch()  # every process has started (or is starting): let them race
    stale = [int(p.communicate(timeout=300)[0]) for p in running]
    assert [p.returncode for p in running] == [0] * procs
    if checked == "file":
        assert sum(stale) > 0, "the processes never overlapped: this test checked nothing"
    else:
        assert stale == [0] * procs

    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    verdicts = {case["id"]: review_file.review_of(case) for case in cases}
    assert len(verdicts) == procs * each
    lost = [
        case_id
        for case_id, verdict in verdicts.items()
        if (verdict["status"], verdict.get("by"), verdict.get("tags"))
        != ("accepted", f"r{int(case_id[1:]) // each}", [f"r{int(case_id[1:]) // each}"])
    ]
    assert lost == []
    loaded = load_suite(str(path))
    assert len(review.runnable_ids(loaded, include_unreviewed=False) or ()) == procs * each
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [".big.yaml.lock", "big.yaml", "go"]  # no temporary file left behind


def test_a_review_keeps_what_run_reads_in_a_hand_written_file(tmp_path: Path) -> None:
    """`benchlab run` reads `yes`, `off` and dates as text (suites/loader.py). The review
    queue read YAML 1.1's way, so a review turned `expected: yes` into `true`, and the run
    then wanted another answer than the one accepted."""
    path = tmp_path / "hand.yaml"
    path.write_text(
        "name: hand\nmetadata: {review_required: true}\ncases:\n"
        '  - {id: a, input: "Open?", expected: yes, metadata: {review: unreviewed}}\n'
        '  - {id: b, input: "When?", expected: 2024-03-31, metadata: {review: unreviewed}}\n'
        '  - {id: c, input: "Lights?", expected: off, metadata: {review: unreviewed}}\n',
        encoding="utf-8",
    )

    def asked() -> dict[str, Any]:
        return {c.id: c.expected for c in load_suite(str(path)).iter_cases()}

    before = asked()
    assert before == {"a": "yes", "b": "2024-03-31", "c": "off"}
    for case_id in ("a", "b", "c"):
        suite = review_file.read_review_suite(tmp_path, "hand")
        (case,) = [c for c in suite.cases if c["id"] == case_id]
        assert case["expected"] == before[case_id]  # the queue shows what run asks
        review_file.record_review(
            tmp_path,
            "hand",
            case_id,
            case_version=review_file.case_version_of(case),
            by="ana",
            status="accepted",
        )
    assert asked() == before
