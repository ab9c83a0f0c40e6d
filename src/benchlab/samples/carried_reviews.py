"""Rebuilding a suite that people have reviewed: their verdicts stay with the cases drawn again.

`samples build` writes the whole file. Before it kept nothing of the file it
replaced, so rebuilding a suite (more samples, another filter, a weekly
refresh) silently threw away every verdict, edited reference and tag of its
reviewers. A case's id is made from its sample's content hash (`p-` + 16 hex
digits), so the same production sample drawn again is the same case: its
review (status, who, when, tags, history) goes over to the new file, with
the reference a reviewer wrote in place of the production output. Reviewed
cases the new draw leaves out cannot be kept in a file of the cases drawn;
they are counted and named so the command can say so (the old file is in
git, or wherever the team keeps it).

Only a file that is itself a suite to review (`review_required: true`) is
read: a hand-written suite of the same name has no verdicts to keep.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benchlab.samples.review_file import review_of
from benchlab.samples.suite_marks import REVIEW_REQUIRED, UNREVIEWED, content_hash

__all__ = ["Carried", "carry_reviews"]


@dataclass
class Carried:
    """What a rebuild kept of the file it replaced."""

    kept: int = 0  # cases drawn again whose review was carried over
    dropped: list[str] = field(default_factory=list)  # reviewed cases not drawn again


def _reviewed(case: Any) -> bool:
    """Someone decided it (a bare `accepted` written by hand counts), or a person recorded
    something on it through the queue: an edit, tags, a reopening."""
    if not isinstance(case, dict):
        return False
    review = review_of(case)
    return review["status"] != UNREVIEWED or isinstance(review.get("by"), str)


def carry_reviews(previous: Any, document: dict[str, Any]) -> Carried:
    """Carry the reviews of `previous` (the replaced file's parsed YAML, or None) into
    `document` (a built suite, changed in place: its cases, version and content hash)."""
    carried = Carried()
    if not isinstance(previous, dict):
        return carried
    metadata = previous.get("metadata")
    if not (isinstance(metadata, dict) and metadata.get(REVIEW_REQUIRED) is True):
        return carried
    cases = previous.get("cases")
    old = {str(c.get("id")): c for c in cases if _reviewed(c)} if isinstance(cases, list) else {}
    if not old:
        return carried
    drawn = {str(case["id"]): case for case in document["cases"]}
    for case_id, before in old.items():
        case = drawn.get(case_id)
        if case is None:
            carried.dropped.append(case_id)
            continue
        review = before["metadata"]["review"]
        case["metadata"]["review"] = review
        if isinstance(review, dict) and "original" in review:  # a reviewer's own reference
            case["expected"] = before.get("expected")
        carried.kept += 1
    if carried.kept:
        _rehash(document)
    return carried


def _rehash(document: dict[str, Any]) -> None:
    """The version and content hash of the cases as they now are (the date is the build's)."""
    digest = content_hash(document["name"], document["scorers"], document["cases"])
    day = str(document["version"]).split("+", 1)[0]
    document["version"] = f"{day}+{digest[:12]}"
    document["metadata"]["production_samples"]["content_hash"] = digest
