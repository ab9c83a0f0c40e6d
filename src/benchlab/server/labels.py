"""Labeling on the dashboard: the label page, its queue, writing labels, and agreement.

Reads (the queue, the labels, agreement) are open like the rest of the read
API. Writing a label is a write, and follows the write API's rule: without a
configured key it is off (403), never open, so a dashboard served on a LAN
accepts no anonymous writes. Three kinds of key are accepted as a bearer token
(checked before the body is read, server/write_guard.py):

- a labeler's own key (`BENCHLAB_LABELER_KEYS="ana=KEY1,bo=KEY2"`, or
  `Settings.labeler_keys`): it writes and withdraws labels under that name
  only. A label's labeler must be the key's name (403 otherwise), so one key
  holder cannot write or delete labels under another's name;
- `BENCHLAB_LABEL_KEY`, one key shared by a team that can do nothing but label,
  and the admin key: they may label under any name that no labeler has a key
  for; a name with its own key is reserved to that key;
- no key: 401.

None of them can launch (paid) runs or import results except the admin key.
A wrong key counts against the same per-address limit as the admin API, so
this endpoint is no faster way to guess a key; a right key gets a budget sized
for a person at a keyboard, not the admin API's.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from benchlab import labeling
from benchlab.errors import NotFound, UserError, api_text
from benchlab.labeling.queue import MAX_QUEUE
from benchlab.labeling.views import Agreement, DeletedLabel, LabelList, LabelQueue, SavedLabel
from benchlab.server.auth import LABEL_KEY_ENV, Caller, require_labeler
from benchlab.server.deps import SettingsDep, StoreDep
from benchlab.server.errors import ErrorBody, error_responses, redact
from benchlab.server.query_params import NO_RUN
from benchlab.server.rendering import templates
from benchlab.server.settings import Settings

MAX_ID = 2**63 - 1

api = APIRouter(prefix="/api/runs/{run_id}", tags=["labels"])
page = APIRouter(include_in_schema=False)

RunId = Annotated[str, Path(min_length=1, max_length=64)]
# What `labeling.kinds.labeler_name` accepts once it has collapsed the spaces: the schema
# documents it, the labeling code checks it (a 400 with its own message, not FastAPI's 422).
LABELER_PATTERN = r"^\s*[A-Za-z0-9][A-Za-z0-9._@+-]*(?:\s+[A-Za-z0-9._@+-]+)*\s*$"
Labeler = Annotated[
    str | None,
    Query(
        max_length=64,
        description="who is labeling",
        json_schema_extra={"pattern": LABELER_PATTERN},
    ),
]
_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "missing or wrong key"},
    413: {"model": ErrorBody, "description": "the body is larger than the server accepts"},
    403: {
        "model": ErrorBody,
        "description": "labeling is off (no key configured), or the key may not label under"
        " this labeler's name",
    },
    429: {"model": ErrorBody, "description": "rate limited (the message names which limit)"},
}


def install(app: FastAPI) -> None:
    """Add the label page and the labels API to the app."""
    app.include_router(api)
    app.include_router(page)


def label_key(settings: Settings) -> str | None:
    return settings.env.get(LABEL_KEY_ENV) or None


def labeling_enabled(settings: Settings) -> bool:
    return (
        settings.admin_key is not None
        or label_key(settings) is not None
        or bool(settings.labeler_keys)
    )


LabelerDep = Annotated[Caller, Depends(require_labeler)]


def speak_for(caller: Caller, labeler: str, settings: Settings) -> None:
    """Refuse (403) a label written or withdrawn under a name the caller's key does not own."""
    if caller.role == "labeler":
        if labeler != caller.labeler:
            raise HTTPException(
                403, f"this key labels as {caller.labeler!r} only, not as {labeler!r}"
            )
    elif labeler in (settings.labeler_keys or {}):
        raise HTTPException(403, f"labeler {labeler!r} has a key of their own: label with it")


# --- the JSON API -------------------------------------------------------------------------------
class LabelIn(BaseModel):
    """One label of one attempt."""

    model_config = ConfigDict(extra="forbid")

    attempt_id: int | str = Field(description="the attempt's id (decimal text or number)")
    labeler: str = Field(
        min_length=1, max_length=64, json_schema_extra={"pattern": LABELER_PATTERN}
    )
    label: str = Field(
        min_length=1, max_length=20, description="pass|fail, 1-5, or neg|neu|pos (stance)"
    )
    kind: Literal["pass_fail", "scale", "stance"] | None = None
    note: str | None = Field(default=None, max_length=2000)


@api.get(
    "/labels/queue",
    response_model=LabelQueue,
    response_model_exclude_unset=True,  # an item's stratum or disagreement: in its mode only
    responses=error_responses(
        {**NO_RUN, 400: "`by` is no stratum of the run, or `kind` differs from its labels'"}
    ),
)
def get_queue(
    store: StoreDep,
    run_id: RunId,
    mode: Literal["random", "stratified", "disagreement"] = "random",
    by: Annotated[str | None, Query(max_length=200, description="stratum (stratified)")] = None,
    labeler: Labeler = None,
    limit: Annotated[int, Query(ge=1, le=MAX_QUEUE)] = 20,
    seed: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
    kind: Literal["pass_fail", "scale", "stance"] | None = None,
) -> LabelQueue:
    """The next attempts for `labeler` to label (their own labels left out), blind: no
    scorer verdicts, no other labeler's labels and no model names (balanced over
    `model`, the levels are aliases: "model 1", ...)."""
    return labeling.label_queue(
        store,
        run_id,
        mode=mode,
        by=by,
        labeler=labeler,
        limit=limit,
        seed=seed,
        kind=kind,
    )


@api.get(
    "/labels",
    response_model=LabelList,
    responses=error_responses({**NO_RUN, 400: "`labeler` is not a labeler's name"}),
)
def get_labels(store: StoreDep, run_id: RunId, labeler: Labeler = None) -> LabelList:
    """A run's labels (one labeler's, if named)."""
    run = store.get_run(run_id)
    return LabelList(run_id=run.id, items=labeling.list_labels(store, run.id, labeler=labeler))


@api.post(
    "/labels",
    status_code=201,
    response_model=SavedLabel,
    responses={
        200: {"model": SavedLabel, "description": "replaced this labeler's earlier label"},
        **error_responses(
            {**NO_RUN, 400: "the label, kind, note or attempt id does not fit the run"}
        ),
        **_WRITE_ERRORS,
    },
)
def post_label(
    store: StoreDep, settings: SettingsDep, caller: LabelerDep, run_id: RunId, body: LabelIn
) -> JSONResponse:
    """Label one attempt as one labeler; labeling it again replaces the label (200).
    A labeler's own key labels under its name only."""
    speak_for(caller, body.labeler, settings)
    saved = labeling.add_label(
        store,
        run_id,
        body.attempt_id,
        body.labeler,
        body.label,
        kind=body.kind,
        note=body.note,
    )
    return JSONResponse(saved.model_dump(), status_code=200 if saved.replaced else 201)


@api.delete(
    "/labels/{attempt_id:int}",  # digits only, so /labels/queue is no label to DELETE
    response_model=DeletedLabel,
    responses={
        **error_responses(
            {404: "no such run, or no such label", 400: "`labeler` is not a labeler's name"}
        ),
        **_WRITE_ERRORS,
    },
)
def delete_label(
    store: StoreDep,
    settings: SettingsDep,
    caller: LabelerDep,
    run_id: RunId,
    attempt_id: Annotated[int, Path(ge=0, le=MAX_ID)],
    labeler: Annotated[
        str, Query(min_length=1, max_length=64, json_schema_extra={"pattern": LABELER_PATTERN})
    ],
) -> DeletedLabel:
    """Withdraw a labeler's label of an attempt (the label page's undo); a labeler's own key
    withdraws its own labels only."""
    speak_for(caller, labeler, settings)
    run = store.get_run(run_id)
    if not labeling.remove_label(store, run.id, attempt_id, labeler):
        raise HTTPException(404, f"no label by {labeler!r} on attempt {attempt_id}")
    return DeletedLabel(run_id=run.id, attempt_id=str(attempt_id), labeler=labeler, deleted=True)


@api.get(
    "/agreement",
    response_model=Agreement,
    responses=error_responses(
        {**NO_RUN, 400: "`pass` names no scoring pass, or `scorer` no scorer of the run"}
    ),
)
def get_agreement(
    store: StoreDep,
    run_id: RunId,
    scorer: Annotated[str | None, Query(max_length=200)] = None,
    score_pass: Annotated[
        str | None,
        Query(alias="pass", max_length=300, description="scoring pass: N or judge=MODEL"),
    ] = None,
) -> Agreement:
    """Krippendorff's alpha between labelers; Cohen's kappa, Spearman's rho and the confusion
    matrix of each scorer (of one scoring pass, default the latest) against the humans'
    consensus."""
    return labeling.agreement_report(store, run_id, scorer=scorer, score_pass=score_pass)


# --- the page -----------------------------------------------------------------------------------
@page.get("/runs/{run_id}/label", response_class=HTMLResponse)
def label_page(
    request: Request, run_id: str, store: StoreDep, settings: SettingsDep
) -> HTMLResponse:
    try:
        run = store.get_run(run_id)
        kind = labeling.active_kind(store, run.id)
        strata = labeling.strata_options(store, run.id)
    except UserError as exc:
        status = 404 if isinstance(exc, NotFound) else 400
        context = {"nav": "runs", "message": redact(request, api_text(exc)), "status": status}
        return templates.TemplateResponse(request, "error.html", context, status_code=status)
    context = {
        "nav": "runs",
        "run": run,
        "kind": kind,
        "strata": strata,
        "enabled": labeling_enabled(settings),
        "label_key_env": LABEL_KEY_ENV,
    }
    return templates.TemplateResponse(request, "label.html", context)
