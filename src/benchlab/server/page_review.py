"""The review queue of production suites: `/review`, `/review/{suite}` and `/api/review/...`.

A suite built by `benchlab samples build` carries the production outputs as
candidate references, unreviewed; `benchlab run` asks only the cases a person
accepted. This page is where that happens: the suites of the server's suite
folder (`--suite-dir`) that need review, and per suite a queue of its cases
(unreviewed first) to accept, reject, re-answer or tag with the keyboard, as
on the label page. What was decided is changed or reopened on the reviewed
cases' view (page_reviewed.py), through the same API: its GET filters by
decision and tag, and a case's review carries the verdicts it replaced.

Reviews live in the suite file itself (samples/review_file.py says why); a
write names the version of the case it read (`case_version`) and is refused
with 409, naming who changed the case and when, only when that case changed
since: reviewers on other cases of the suite never stand in each other's way.
The check and the write happen under a lock every process shares
(samples/suite_lock.py), so no verdict is half-written or lost. A write that
names the file's version (`version`, as clients before per-case versions did)
is checked against the whole file, as it was then.
Writing takes the same keys as labeling (write_guard.py lets a label key
through for these paths only): a labeler's own key reviews under its name, the
shared label key and the admin key under a name the request gives (one with
no key of its own).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from benchlab.errors import ConfigError, UserError
from benchlab.samples.dedupe import DEFAULT_NEAR_THRESHOLD
from benchlab.samples.review_file import (
    CaseChanged,
    StaleVersion,
    case_version_of,
    find_review_suites,
    read_review_suite,
    record_review,
    review_of,
)
from benchlab.samples.suite_lock import FileBusy
from benchlab.server.deps import SettingsDep, StoreDep
from benchlab.server.errors import ErrorBody, error_response, error_responses, redact
from benchlab.server.labels import (
    _WRITE_ERRORS,
    LABELER_PATTERN,
    LabelerDep,
    labeling_enabled,
    speak_for,
)
from benchlab.server.rendering import failure, render

__all__ = [
    "Decision",
    "ReviewConflict",
    "ReviewIn",
    "ReviewQueue",
    "ReviewResult",
    "ReviewSuites",
    "api",
    "get_queue",
    "router",
]

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/review", tags=["review"])

SuiteName = Annotated[str, Path(min_length=1, max_length=200, description="the file's stem")]
Status = Literal["accepted", "rejected", "unreviewed"]
# What the reviewed-cases view filters by: a status, `reviewed` (accepted or rejected), or
# `edited` (a reviewer replaced the production output as the reference).
Decision = Literal["accepted", "rejected", "unreviewed", "reviewed", "edited"]


class Message(BaseModel):
    role: str
    content: str


class Feedback(BaseModel):
    score: float | None = None
    label: str | None = None
    comment: str | None = None


class Provenance(BaseModel):
    """Where a case came from (`metadata.production` of the built suite)."""

    source: str | None = None
    source_line: int | None = None
    source_format: str | None = None
    timestamp: str | None = None
    model: str | None = None
    feedback: Feedback | None = None
    dedupe_count: int | None = Field(default=None, description="logged samples it stands for")


class Verdict(BaseModel):
    status: Status
    by: str | None = None
    at: str | None = None
    tags: list[str] = Field(default_factory=list)


class PastReview(Verdict):
    """A verdict a later one replaced: kept, so who decided what is never lost."""

    expected: str | None = Field(
        default=None, description="the reference it stood on, when the next verdict changed it"
    )


class Review(Verdict):
    original: str | None = Field(
        default=None, description="the production output, when a reviewer edited the reference"
    )
    history: list[PastReview] = Field(
        default_factory=list, description="the verdicts this one replaced, oldest first"
    )


class ReviewCase(BaseModel):
    id: str
    version: str = Field(
        description="the case's version (a hash of its content): send it back as "
        "`case_version` with a review of this case"
    )
    input: str | list[Message]
    expected: str | None = Field(description="the candidate reference answer")
    category: str | None = None
    review: Review
    production: Provenance


class Counts(BaseModel):
    accepted: int
    rejected: int
    unreviewed: int


class SuiteSummary(BaseModel):
    name: str
    suite_version: str = Field(description="the suite's own version (date + content hash)")
    version: str = Field(
        description="the file's version (any change to the file changes it); a review "
        "names its case's version instead (`cases[].version`)"
    )
    description: str
    counts: Counts


class ReviewSuites(BaseModel):
    suites: list[SuiteSummary]


class ReviewQueue(SuiteSummary):
    """One suite's cases (those the filters let through), unreviewed first, then in file
    order; the counts are the whole suite's."""

    cases: list[ReviewCase]
    tags: list[str] = Field(description="every review tag the suite's cases carry, sorted")


class ReviewIn(BaseModel):
    """One reviewer's verdict on one case; fields left out are kept as they are."""

    model_config = ConfigDict(extra="forbid")

    case_id: str = Field(min_length=1, max_length=200)
    case_version: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{16}$",
        description="the version of the case the reviewer read (`cases[].version`): the "
        "review is refused (409) only if this case changed since. Give it or `version`.",
    )
    version: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{16}$",
        description="the file version the reviewer read: the review is refused (409) if "
        "anything in the file changed since, even another case. What clients sent before "
        "`case_version`; still honoured, and checked too when both are given.",
    )
    status: Status | None = None
    expected: str | None = Field(
        default=None, max_length=100_000, description="a new reference answer"
    )
    tags: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = Field(
        default=None, max_length=20, description="replace the case's review tags"
    )
    reviewer: str | None = Field(
        default=None,
        max_length=64,
        json_schema_extra={"pattern": LABELER_PATTERN},
        description="who reviews (a labeler's own key names them; other keys must)",
    )


class ReviewConflict(ErrorBody):
    """A 409: the case changed since it was read (`case_id`, `changed_by`, `changed_at` say
    which, by whom and when), the file did (a `version` check), or its lock was held."""

    case_id: str | None = Field(default=None, description="the case that changed")
    changed_by: str | None = Field(
        default=None,
        description="the reviewer whose verdict the case now carries; null when the change "
        "was not a review (a rebuild or an edit of the file)",
    )
    changed_at: str | None = Field(default=None, description="when that verdict was recorded")


class ReviewResult(BaseModel):
    suite: str
    version: str = Field(description="the file's new version")
    suite_version: str
    case: ReviewCase
    counts: Counts


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _case(raw: dict[str, Any]) -> ReviewCase:
    metadata = raw.get("metadata") if isinstance(raw.get("metadata"), dict) else {}
    review = review_of(raw)
    tags = review.get("tags")
    production = (metadata or {}).get("production")
    value = raw.get("input")
    shown: str | list[Message]
    if isinstance(value, list):
        shown = [
            Message(role=str(m.get("role", "user")), content=_text(m.get("content")) or "")
            for m in value
            if isinstance(m, dict)
        ]
    else:
        shown = _text(value) or ""
    history = review.get("history")
    return ReviewCase(
        id=str(raw.get("id")),
        version=case_version_of(raw),
        input=shown,
        expected=_text(raw.get("expected")),
        category=_text((metadata or {}).get("category")),
        review=Review(
            status=review["status"],
            by=_text(review.get("by")),
            at=_text(review.get("at")),
            tags=_tags(tags),
            original=_text(review.get("original")),
            history=[_past(p) for p in history if isinstance(p, dict)]
            if isinstance(history, list)
            else [],
        ),
        production=_provenance(production),
    )


def _tags(value: Any) -> list[str]:
    return [str(t) for t in value] if isinstance(value, list) else []


def _past(value: dict[str, Any]) -> PastReview:
    status = value.get("status")
    return PastReview(
        status=status if status in ("accepted", "rejected") else "unreviewed",
        by=_text(value.get("by")),
        at=_text(value.get("at")),
        tags=_tags(value.get("tags")),
        expected=_text(value.get("expected")),
    )


def _matches(case: ReviewCase, decision: Decision | None, tag: str | None) -> bool:
    review = case.review
    if decision == "reviewed":
        decided = review.status != "unreviewed"
    elif decision == "edited":
        decided = review.original is not None
    else:
        decided = decision is None or review.status == decision
    return decided and (tag is None or tag in review.tags)


def _provenance(value: Any) -> Provenance:
    """A case's provenance as shown; a hand-edited file's odd values are left out, not a 500."""
    if not isinstance(value, dict):
        return Provenance()
    try:
        return Provenance.model_validate(value)
    except ValidationError:
        fields = {}
        for name in Provenance.model_fields:
            try:
                Provenance.model_validate({name: value.get(name)})
            except ValidationError:
                continue
            fields[name] = value.get(name)
        return Provenance.model_validate(fields)


def _summary(suite: Any) -> dict[str, Any]:
    document = suite.document
    return {
        "name": suite.name,
        "suite_version": str(document.get("version", "")),
        "version": suite.version,
        "description": str(document.get("description", "")),
        "counts": Counts(**suite.counts()),
    }


_ORDER = {"unreviewed": 0, "accepted": 1, "rejected": 2}


@api.get("", response_model=ReviewSuites)
def list_suites(settings: SettingsDep) -> ReviewSuites:
    """The suites of the server's suite folder that need review, with their counts."""
    return ReviewSuites(
        suites=[SuiteSummary(**_summary(s)) for s in find_review_suites(settings.suite_dir)]
    )


@api.get(
    "/{suite}",
    response_model=ReviewQueue,
    responses=error_responses({404: "no suite of that name needs review"}),
)
def get_queue(
    settings: SettingsDep,
    suite: SuiteName,
    decision: Annotated[
        Decision | None,
        Query(description="only cases so decided: a status, reviewed (either), or edited"),
    ] = None,
    tag: Annotated[
        str | None, Query(min_length=1, max_length=64, description="only cases with this tag")
    ] = None,
) -> ReviewQueue:
    """A suite's cases to review (unreviewed first), and the file version to send back."""
    found = read_review_suite(settings.suite_dir, suite)
    every = [_case(c) for c in found.cases if isinstance(c, dict)]
    cases = sorted(
        (c for c in every if _matches(c, decision, tag)), key=lambda c: _ORDER[c.review.status]
    )
    tags = sorted({t for c in every for t in c.review.tags})
    return ReviewQueue(**_summary(found), cases=cases, tags=tags)


@api.post(
    "/{suite}",
    response_model=ReviewResult,
    responses={
        **error_responses(
            {
                404: "no suite of that name needs review, or it has no such case",
                400: "nothing to record, a blank reference or tag, no reviewer named, or "
                "neither version",
            }
        ),
        409: {
            "model": ReviewConflict,
            "description": "the case changed since it was read (by whom and when are given), "
            "the file did (when `version` was sent), or another process has been writing "
            "it for seconds: reload and review again",
        },
        **_WRITE_ERRORS,
    },
)
def post_review(
    request: Request, settings: SettingsDep, caller: LabelerDep, suite: SuiteName, body: ReviewIn
) -> ReviewResult | JSONResponse:
    """Accept, reject or reset a case, edit its reference (the production output is kept as
    `review.original`) or tag it; recorded with who and when, in the suite file."""
    from benchlab.labeling.kinds import labeler_name

    raw = body.reviewer if body.reviewer is not None else caller.labeler
    if raw is None:
        raise HTTPException(400, "name the reviewer: this key reviews under any free name")
    try:
        reviewer = labeler_name(raw)
    except ConfigError as exc:
        raise HTTPException(400, str(exc)) from None
    speak_for(caller, reviewer, settings)
    try:
        written, case = record_review(
            settings.suite_dir,
            suite,
            body.case_id,
            version=body.version,
            case_version=body.case_version,
            by=reviewer,
            status=body.status,
            expected=body.expected,
            tags=body.tags,
        )
    except CaseChanged as exc:
        return error_response(
            409, str(exc), case_id=exc.case_id, changed_by=exc.by, changed_at=exc.at
        )
    except (StaleVersion, FileBusy) as exc:  # FileBusy names the file: not the folder
        return error_response(409, redact(request, str(exc)))
    summary = _summary(written)
    return ReviewResult(
        suite=written.name,
        version=written.version,
        suite_version=summary["suite_version"],
        case=_case(case),
        counts=summary["counts"],
    )


@router.get("/review", response_class=HTMLResponse)
def review_list(request: Request, settings: SettingsDep) -> HTMLResponse:
    suites = [_summary(s) for s in find_review_suites(settings.suite_dir)]
    return render(
        request,
        "review.html",
        nav="review",
        suites=suites,
        suite=None,
        has_folder=settings.suite_dir is not None,
        enabled=labeling_enabled(settings),
    )


@router.get("/samples", response_class=HTMLResponse)
def samples_page(request: Request, store: StoreDep) -> HTMLResponse:
    """What `benchlab samples stats` prints, for the samples in the server's store. Near
    duplicates and personal data cost a pass over every text, so they are asked for."""
    from benchlab.samples.stats import sample_stats

    period = "week" if request.query_params.get("period") == "week" else "day"
    near = request.query_params.get("near") == "1"
    pii = request.query_params.get("pii") == "1"
    stats = sample_stats(
        store, period=period, near_threshold=DEFAULT_NEAR_THRESHOLD if near else None, pii=pii
    )
    return render(
        request,
        "review_samples.html",
        nav="review",
        stats=stats.document(),
        peak=max(stats.volume.values(), default=0),
        asked={"period": period, "near": near, "pii": pii},
    )


@router.get("/review/{suite}", response_class=HTMLResponse)
def review_page(request: Request, suite: str, settings: SettingsDep) -> HTMLResponse:
    try:
        found = read_review_suite(settings.suite_dir, suite)
    except UserError as exc:
        return failure(request, exc)
    return render(
        request,
        "review.html",
        nav="review",
        suites=None,
        suite=_summary(found),
        has_folder=True,
        enabled=labeling_enabled(settings),
    )
