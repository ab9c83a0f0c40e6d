"""Reviewing a production suite in its own file: read the queue, record a verdict, write back.

Where reviews live: in the suite file itself, as `metadata.review` of each
case. The file is what `benchlab run` reads (suites/review.py asks only the
accepted cases), what a team versions in git, and what a reviewer's verdict
is about; a second place (a store table) would have to be merged into the
file before every run and could drift from it. So the dashboard's review
queue edits the file, and nothing else.

A verdict is recorded as `{status, by, at}` (+ `tags`, and `original`: the
production output, kept while the reference differs from it). A decision can be
changed, or reopened (status `unreviewed`: the case is back in the queue);
the verdict it replaces is appended to the review's `history` (`{status, by,
at, tags?, expected?}`, `expected` being the reference it stood on when the
new verdict changed it), so who decided what, and when, is never lost.

Each write is checked against the version of the case the reviewer read (a
hash of that case's content, `case_version`): if the case changed since, the
write is refused (`CaseChanged`, naming who changed it and when), so two
reviewers, or a reviewer and a rebuild, never overwrite each other silently.
The check is per case, not per file, because a team reviews one suite
together: with a version of the whole file, every verdict on any case made
every other reviewer's next write a conflict, although nothing of theirs had
been touched. A write that names the file's version instead (`version`, what
older clients send) is still checked against the whole file. The check, the
change and the write happen under the file's lock, shared by every process
(samples/suite_lock.py): the file is read again under it, so a verdict on
another case written a moment ago is in what is written back, never dropped,
and two server processes cannot both pass the check on the same bytes.
Writes are atomic, and the suite's `version` is recomputed (date + content
hash, as the build spells it), since the cases a run asks have changed.

Only YAML suites are edited (what `samples build` writes); the file is dumped
as the build dumps it, so comments a person added by hand are not kept.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchlab.errors import NotFound, UserError
from benchlab.samples.suite_lock import locked, replace_atomically
from benchlab.samples.suite_marks import REVIEW_REQUIRED, UNREVIEWED, content_hash
from benchlab.samples.suite_yaml import dump_suite, load_suite_yaml

__all__ = [
    "ACCEPTED",
    "REJECTED",
    "REVIEW_SUFFIXES",
    "CaseChanged",
    "ReviewSuite",
    "StaleVersion",
    "case_version_of",
    "file_version",
    "find_review_suites",
    "read_review_suite",
    "record_review",
    "review_of",
]

# The run side's vocabulary (suites/review.py), spelled here since samples does not import
# suites; tests/samples/test_review_file.py keeps the two equal.
ACCEPTED = "accepted"
REJECTED = "rejected"
STATUSES = (ACCEPTED, REJECTED, UNREVIEWED)
REVIEW_SUFFIXES = (".yaml", ".yml")
MAX_TAGS = 20


class StaleVersion(UserError):
    """The file changed since the reviewer read it (the server answers 409)."""


class CaseChanged(StaleVersion):
    """The case changed since the reviewer read it; `by` and `at` are its latest verdict's
    (None when no reviewer made the change: a rebuild or a hand edit)."""

    def __init__(self, message: str, *, case_id: str, by: str | None, at: str | None) -> None:
        super().__init__(message)
        self.case_id, self.by, self.at = case_id, by, at


@dataclass
class ReviewSuite:
    """A suite file that needs review, as read: its document and the version of its bytes."""

    name: str  # the file's stem: how the dashboard names it
    path: Path
    version: str
    document: dict[str, Any]

    @property
    def cases(self) -> list[dict[str, Any]]:
        cases = self.document.get("cases")
        return cases if isinstance(cases, list) else []

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for case in self.cases:
            out[review_of(case)["status"]] += 1
        return out


def file_version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def case_version_of(case: dict[str, Any]) -> str:
    """A case's content as a hash: its input, reference and metadata (its review with it),
    spelled as canonical JSON so that the same case read back from the file hashes the same."""
    text = json.dumps(case, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def review_of(case: dict[str, Any]) -> dict[str, Any]:
    """A case's review as a mapping with a `status` (a bare word, as built, becomes one)."""
    metadata = case.get("metadata") if isinstance(case.get("metadata"), dict) else {}
    value = (metadata or {}).get("review")
    review = dict(value) if isinstance(value, dict) else {"status": value}
    if review.get("status") not in STATUSES:
        review["status"] = UNREVIEWED
    return review


def _load(path: Path) -> tuple[bytes, dict[str, Any] | None]:
    import yaml

    data = path.read_bytes()
    try:
        document = load_suite_yaml(data)
    except yaml.YAMLError:
        return data, None
    return data, document if isinstance(document, dict) else None


def _needs_review(document: dict[str, Any] | None) -> bool:
    metadata = (document or {}).get("metadata")
    return isinstance(metadata, dict) and metadata.get(REVIEW_REQUIRED) is True


def _files(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return [p for p in sorted(folder.iterdir()) if p.suffix in REVIEW_SUFFIXES and p.is_file()]


def find_review_suites(folder: Path | None) -> list[ReviewSuite]:
    """Every YAML suite in `folder` whose header says `review_required: true`."""
    out = []
    for path in _files(folder):
        data, document = _load(path)
        if document is not None and _needs_review(document):
            out.append(ReviewSuite(path.stem, path, file_version(data), document))
    return out


def read_review_suite(folder: Path | None, name: str) -> ReviewSuite:
    """The suite file of that name (stem) in `folder`; NotFound unless it needs review.
    The name is matched against the folder's listing, never joined into a path."""
    return _read(_path_of(folder, name), name)


def _path_of(folder: Path | None, name: str) -> Path | None:
    return next((path for path in _files(folder) if path.stem == name), None)


def _read(path: Path | None, name: str) -> ReviewSuite:
    if path is not None and path.is_file():
        data, document = _load(path)
        if document is not None and _needs_review(document):
            return ReviewSuite(name, path, file_version(data), document)
    raise _not_found(name)


def _not_found(name: str) -> NotFound:
    return NotFound(f"no suite {name!r} that needs review in the server's suite folder")


def _clean_tags(tags: list[str]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        tag = " ".join(tag.split())
        if not tag:
            raise UserError("a tag must not be blank")
        if tag not in out:
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise UserError(f"at most {MAX_TAGS} tags per case")
    return out


def record_review(
    folder: Path | None,
    name: str,
    case_id: str,
    *,
    version: str | None = None,
    case_version: str | None = None,
    by: str,
    status: str | None = None,
    expected: str | None = None,
    tags: list[str] | None = None,
    now: datetime | None = None,
) -> tuple[ReviewSuite, dict[str, Any]]:
    """Record one reviewer's verdict on one case and write the file; returns the suite as
    written and the case. `status` None keeps the case's status (an edit or a tag alone);
    `expected` replaces the reference, keeping the production output as `original` once;
    `tags` replace the case's review tags. CaseChanged if the case is not at `case_version`,
    StaleVersion if the file is not at `version` (each checked when given; one must be)."""
    if version is None and case_version is None:
        raise UserError("name the version you read: the case's (case_version) or the file's")
    if status is not None and status not in STATUSES:
        raise UserError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    if status is None and expected is None and tags is None:
        raise UserError("nothing to record: give a status, a new reference or tags")
    if expected is not None and not expected.strip():
        raise UserError("a reference answer must not be blank")
    cleaned = None if tags is None else _clean_tags(tags)
    path = _path_of(folder, name)
    if path is None:
        raise _not_found(name)
    with locked(path):
        suite = _read(path, name)  # read under the lock: what no other process is changing
        if version is not None and suite.version != version:
            raise StaleVersion(
                f"suite {name!r} changed since it was read (version {version}, now "
                f"{suite.version}): reload it and review again"
            )
        case = next((c for c in suite.cases if str(c.get("id")) == case_id), None)
        if case is None:
            raise NotFound(f"suite {name!r} has no case {case_id!r}")
        if case_version is not None and case_version_of(case) != case_version:
            raise _changed(name, case_id, case)
        moment = now or datetime.now(UTC)
        at = moment.isoformat(timespec="seconds").replace("+00:00", "Z")
        review = _new_review(case, by=by, at=at, status=status, expected=expected, tags=cleaned)
        metadata = case.setdefault("metadata", {})
        metadata["review"] = review
        document = suite.document
        digest = content_hash(
            str(document.get("name")), list(document.get("scorers") or []), suite.cases
        )
        document["version"] = f"{moment.strftime('%Y-%m-%d')}+{digest[:12]}"
        data = dump_suite(document)
        replace_atomically(suite.path, data)
        return ReviewSuite(name, suite.path, file_version(data), document), case


def _changed(name: str, case_id: str, case: dict[str, Any]) -> CaseChanged:
    """The conflict, with who made the case what it is now and when, as far as the file says."""
    review = review_of(case)
    by = review.get("by") if isinstance(review.get("by"), str) else None
    at = review.get("at") if isinstance(review.get("at"), str) else None
    if by is not None:
        who = f"{by} changed it at {at} ({review['status']})" if at else f"{by} changed it"
    else:
        who = "it was changed outside the review queue (a rebuild or an edit of the file)"
    return CaseChanged(
        f"case {case_id!r} of suite {name!r} changed since you read it: {who}; "
        "reload it and review again",
        case_id=case_id,
        by=by,
        at=at,
    )


def _new_review(
    case: dict[str, Any],
    *,
    by: str,
    at: str,
    status: str | None,
    expected: str | None,
    tags: list[str] | None,
) -> dict[str, Any]:
    """The case's review after this verdict (and its new reference, set on `case`). The
    verdict it replaces, if a person recorded one, goes to the end of `history`, with the
    reference it stood on when this one changes it: an audit trail, never an overwrite."""
    review = review_of(case)
    past: dict[str, Any] | None = (
        {k: review[k] for k in ("status", "by", "at", "tags") if k in review}
        if isinstance(review.get("by"), str)
        else None
    )
    if expected is not None and expected != case.get("expected"):
        if past is not None:
            past["expected"] = case.get("expected")
        original = review.setdefault("original", case.get("expected"))
        case["expected"] = expected
        if expected == original:  # back to the production output: no longer an edit
            review.pop("original")
    if tags is not None:
        if tags:
            review["tags"] = tags
        else:
            review.pop("tags", None)
    if status is not None:
        review["status"] = status
    history = review.pop("history", None)
    history = list(history) if isinstance(history, list) else []
    if past is not None:
        history.append(past)
    review.update(by=by, at=at)
    keys = ("status", "by", "at", "tags", "original")
    ordered: dict[str, Any] = {k: review[k] for k in keys if k in review}
    ordered.update({k: v for k, v in review.items() if k not in ordered})
    if history:
        ordered["history"] = history
    return ordered
