"""`create_app`: the FastAPI application, its shared state (server/deps.py) and its routers.

One `Store` (one connection pool) per app; handlers that touch the database
are plain `def`s, so they run in Starlette's thread pool and never block the
event loop, which is left to WebSockets and static files.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from threadpoolctl import threadpool_limits

from benchlab import __version__
from benchlab.engine.collector import fewer_collections
from benchlab.server import (
    api_budget,
    api_docs,
    api_matrix,
    api_read,
    api_write,
    errors,
    labels,
    live,
    page_attempt,
    page_factors,
    page_matrix,
    page_report,
    page_review,
    page_reviewed,
    pages,
    schedules,
)
from benchlab.server.auth import LABELS_PER_MINUTE, RateLimiter
from benchlab.server.budget_watch import BudgetWatch
from benchlab.server.deps import ServerState, attach
from benchlab.server.launcher import Launcher
from benchlab.server.plotly_asset import router as plotly_router
from benchlab.server.security_headers import SecurityHeaders
from benchlab.server.settings import Settings
from benchlab.server.write_guard import WriteGuard
from benchlab.store import Store

STATIC_DIR = Path(__file__).with_name("static")


def create_app(
    store_url: str | None = None, settings: Settings | None = None, **options: Any
) -> FastAPI:
    """The whole server; `options` are `Settings` fields (admin_key, rate_limit, suite_dir, ...)."""
    settings = settings or Settings(store_url=store_url, **options)
    if store_url is not None:
        settings.store_url = store_url
    store = Store(settings.store_url)
    budget = BudgetWatch(settings, store)
    launcher = Launcher(settings.env, on_finished=budget.check)
    scheduler = schedules.from_settings(settings, launcher, store)  # a bad file fails here

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if scheduler is not None:
            scheduler.start()
        # no full collection of the app's own objects mid-request; and BLAS on one thread:
        # the dashboard's statistics multiply small matrices (a compare's bootstrap: 1 x 500
        # by 500 x 2,000), for which OpenBLAS's threads spin rather than help: 2x the CPU of
        # one thread and no faster a compare, on 2 cores
        with fewer_collections(), threadpool_limits(limits=1, user_api="blas"):
            yield
        if scheduler is not None:
            await scheduler.stop()
        launcher.shutdown()
        store.close()

    app = FastAPI(
        title="benchlab",
        version=__version__,
        description="Runs, attempts, scores and comparisons of the benchlab store; "
        "admin endpoints need `Authorization: Bearer $BENCHLAB_ADMIN_KEY`.",
        lifespan=lifespan,
        docs_url=None,  # api_docs.py serves /docs without a CDN or an inline script
        redoc_url=None,
    )
    state = ServerState(
        settings=settings,
        store=store,
        launcher=launcher,
        scheduler=scheduler,
        rate_limiter=RateLimiter(settings.wrong_keys_allowed, settings.rate_window),
        admin_limiter=RateLimiter(settings.rate_limit, settings.rate_window),
        label_limiter=RateLimiter(LABELS_PER_MINUTE, 60.0),
        budget=budget,
    )
    attach(app, state)  # handlers reach it through server/deps.py (StoreDep, SettingsDep)
    errors.install(app)
    app.include_router(api_read.router)
    app.include_router(api_budget.router)
    app.include_router(api_matrix.router)
    app.include_router(api_write.router)
    app.include_router(schedules.router)
    app.include_router(live.router)
    app.include_router(plotly_router)  # the wheel's plotly.min.js, gzipped
    app.include_router(api_docs.router)  # /docs: Swagger UI from its wheel
    app.include_router(pages.router)
    app.include_router(page_attempt.router)
    app.include_router(page_factors.api_router)
    app.include_router(page_factors.router)
    app.include_router(page_report.router)
    app.include_router(page_matrix.router)
    app.include_router(page_review.api)  # the review queue of production suites
    app.include_router(page_review.router)
    app.include_router(page_reviewed.router)  # the decided cases, to change or reopen
    labels.install(app)  # the label page and the labels API
    api_write.install_document_schemas(app)  # so every `$ref` of /openapi.json resolves
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Keys and body sizes are checked before any route reads a body (server/write_guard.py).
    app.add_middleware(
        WriteGuard, body_limit=settings.max_body_bytes, upload_limit=settings.max_upload_bytes
    )
    app.add_middleware(SecurityHeaders)
    return app
