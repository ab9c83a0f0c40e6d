"""The admin write API: import a finished run, launch a run in the server process.

Both sit behind `require_admin` (bearer key + rate limit), which the write
guard (server/write_guard.py) checks from the headers before the body is read,
so an unauthenticated client cannot make the server read a large upload, and
a body past its cap is refused (413) as it streams. An import is validated
whole before anything is written.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from starlette.concurrency import run_in_threadpool

from benchlab.errors import ConfigError, ImportConflict
from benchlab.server.auth import require_admin
from benchlab.server.deps import LauncherDep, SettingsDep, StoreDep
from benchlab.server.errors import ErrorBody, error_response, error_responses
from benchlab.server.suites import launch_scorers, launch_targets
from benchlab.server.whitespace import NOT_BLANK
from benchlab.store.ingest import RunDocument, import_run

router = APIRouter(prefix="/api", tags=["admin"], dependencies=[Depends(require_admin)])

# Not blank (the schema says so too: whitespace alone would be stripped to nothing), in a
# pattern the server and a client validating against the schema read alike.
Name = Annotated[
    str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True, pattern=NOT_BLANK)
]
_ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "missing or wrong admin key"},
    403: {"model": ErrorBody, "description": "the write API is off (no BENCHLAB_ADMIN_KEY)"},
    413: {"model": ErrorBody, "description": "the body is larger than the server accepts"},
    429: {"model": ErrorBody, "description": "rate limited (the message names which limit)"},
}


# The run document's schema, its nested models as components of their own (prefixed, so no
# name meets a response model's): `install_document_schemas` adds them to /openapi.json,
# where every `$ref` of the request body then resolves.
_PREFIX = "RunDocument_"
_DOCUMENT = RunDocument.model_json_schema(ref_template=f"#/components/schemas/{_PREFIX}{{model}}")
_DOCUMENT_DEFS: dict[str, Any] = {
    _PREFIX + name: body for name, body in _DOCUMENT.pop("$defs", {}).items()
}


def install_document_schemas(app: FastAPI) -> None:
    """Make the app's OpenAPI schema carry the run document's nested schemas."""
    built = app.openapi

    def openapi() -> dict[str, Any]:
        spec = built()
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for name, body in _DOCUMENT_DEFS.items():
            schemas.setdefault(name, body)
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


class Imported(BaseModel):
    """What an import did: 201 stored the run, 200 found it stored already."""

    run_id: str
    created: bool = Field(description="false: a run with this id was already stored")
    attempts: int = Field(description="attempts in the document")


@router.post(
    "/results",
    status_code=201,
    response_model=Imported,
    responses={
        200: {"model": Imported, "description": "a run with this id is already stored"},
        400: {"model": ErrorBody, "description": "a number or text the database cannot store"},
        409: {"model": ErrorBody, "description": "a stored run has this id but other content"},
        413: {"model": ErrorBody, "description": "the document is larger than the server accepts"},
        **error_responses({}),
        **_ADMIN_ERRORS,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _DOCUMENT}},
        }
    },
)
async def post_results(request: Request, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """Import a run exported with `benchlab export RUN_ID --format json` (idempotent on run id)."""
    limit = settings.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return error_response(413, f"document larger than {limit} bytes")
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return error_response(413, f"document larger than {limit} bytes")
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        doc = RunDocument.model_validate_json(raw)
    except ValidationError as exc:
        problems = [
            {"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors(include_url=False)[:20]
        ]
        first = problems[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        return error_response(422, f"{where}: {first['msg']}", problems=problems)
    try:
        created = await run_in_threadpool(import_run, store, doc)
    except ImportConflict as exc:
        return error_response(409, str(exc))
    body = Imported(run_id=doc.run.id, created=created, attempts=len(doc.attempts))
    return JSONResponse(body.model_dump(), status_code=201 if created else 200)


class LaunchRequest(BaseModel):
    """A run to start: the same knobs as `benchlab run`, within bounds."""

    model_config = ConfigDict(extra="forbid")

    suites: list[Name] = Field(min_length=1, max_length=10)
    models: list[Name] = Field(min_length=1, max_length=20)
    limit: int | None = Field(default=None, ge=1, le=100_000)
    samples: int = Field(default=1, ge=1, le=100)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    concurrency: int = Field(default=16, ge=1, le=256)
    scorers: list[Name] = Field(
        default_factory=list,
        max_length=10,
        description="scorer names (default: each case's own); custom module:function ones "
        "cannot be launched from the API",
    )
    judge_model: Name | None = Field(
        default=None, description="the model judging scorers (judge, stance) ask"
    )
    tags: dict[
        Annotated[str, StringConstraints(max_length=100)],
        Annotated[str, StringConstraints(max_length=300)],
    ] = Field(default_factory=dict, max_length=20)


class Launched(BaseModel):
    """A run started in the server process."""

    run_id: str
    status: Literal["running"]
    events: str = Field(description="the WebSocket path that streams its progress")
    planned_total: int | None = Field(description="attempts it will make, if known")


@router.post(
    "/runs",
    status_code=202,
    response_model=Launched,
    responses={
        **error_responses(
            {
                400: "a suite is not launchable here or cannot run as configured (unknown "
                "scorer, a judging scorer without a judge model, a provider's API key or a "
                "standard suite's data missing), a model is no replay/RUN_ID, or the config "
                "is invalid: the run is not started"
            }
        ),
        **_ADMIN_ERRORS,
    },
)
def post_run(
    body: LaunchRequest, store: StoreDep, settings: SettingsDep, launcher: LauncherDep
) -> Launched:
    """Start a run in the server process; follow it on `WS /api/runs/{run_id}/events`."""
    from benchlab.engine.validation import build_config
    from benchlab.providers.profiles import resolve_models

    allowed = launch_targets(settings)
    unknown = [s for s in body.suites if s not in allowed]
    if unknown:
        raise ConfigError(
            f"suite {unknown[0]!r}: not launchable here (known: {', '.join(allowed) or 'none'})"
        )
    for spec in [*body.models, *([body.judge_model] if body.judge_model else [])]:
        rest = spec.partition("/")[2] if spec.startswith("replay/") else ""
        if rest and ("/" in rest or "." in rest):
            raise ConfigError(f"model {spec!r}: only replay/RUN_ID can be launched from the API")
    scorers = launch_scorers(body.scorers)
    config = build_config(
        {
            "suites": [allowed[s] for s in body.suites],
            "models": resolve_models(body.models),
            "limit": body.limit,
            "seed": body.seed,
            "samples": body.samples,
            "concurrency": body.concurrency,
            **({"scorers": scorers} if scorers else {}),
            **({"judge_model": body.judge_model} if body.judge_model else {}),
            "tags": {"source": "server", **body.tags},
            "db": store.url,
        }
    )
    run_id = launcher.launch(config)
    return Launched(
        run_id=run_id,
        status="running",
        events=f"/api/runs/{run_id}/events",
        planned_total=launcher.total(run_id),
    )
