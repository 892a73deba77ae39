"""The Litestar application factory (no import-time side effects)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable

import structlog
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.static_files import create_static_files_router

from api.auth import DEPENDENCIES, writes_need_a_token
from api.limits import front_door, input_limits
from api.middleware import etag_middleware, request_context_middleware
from api.openapi import STATIC_DIR, document_problems, openapi_config, swagger_bundle
from api.params import check_query_parameters
from api.problems import EXCEPTION_HANDLERS, http_error_handler, unavailable
from api.routes import ROUTES
from api.web import template_config
from api.web.errors import for_people
from api.web.session import STORE_NAME
from api.web.session_store import PostgresStore
from efa_registry import __version__, db
from efa_registry.db import migrate
from efa_registry.errors import DatabaseNotReady
from efa_registry.search import reindex
from efa_registry.settings import Settings

log = structlog.get_logger(__name__)

# What a browser script on an allowed origin may send and read (preflight and simple requests).
CORS_HEADERS = ["Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "X-Request-ID"]
CORS_EXPOSED = ["ETag", "Location", "Retry-After", "X-Request-ID"]


def cors_config(settings: Settings) -> CORSConfig | None:
    """Cross-origin access only for the origins ``EFA_CORS_ORIGINS`` names (none by default)."""
    origins = settings.cors_origin_list
    if not origins:
        return None
    return CORSConfig(allow_origins=origins, allow_methods=["GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"],
                      allow_headers=CORS_HEADERS, expose_headers=CORS_EXPOSED, allow_credentials=False, max_age=600)


# A request allocates thousands of short-lived objects (rows, Structs, log events) that reference
# counting frees; the cyclic collector still ran every 700 allocations and took 21 % of a loaded
# worker's CPU, and raising the threshold alone gave ×1.46 on the catalogue list (issue 13, py-spy
# of the running server). Objects alive after start-up (modules, routes, templates) are frozen out
# of every collection.
GC_THRESHOLDS = (50_000, 20, 100)


def tune_gc() -> None:
    """Collector settings of a serving process (not of tests, which build apps without a ``dsn``)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    log.info("app.gc_tuned", thresholds=GC_THRESHOLDS, frozen=gc.get_freeze_count())


def create_app(settings: Settings, *, dsn: str | None = None) -> Litestar:
    """Build the app. With ``dsn`` the app opens and closes the pool itself (``serve``);
    without, the caller has opened it (tests, embedding)."""
    on_startup, on_shutdown = _lifecycle(settings, dsn)
    app = Litestar(
        route_handlers=[
            *ROUTES,
            swagger_bundle,
            create_static_files_router(path="/static", directories=[STATIC_DIR],
                                       include_in_schema=False),
        ],
        middleware=[request_context_middleware, input_limits, etag_middleware],
        cors_config=cors_config(settings),
        dependencies=DEPENDENCIES,
        guards=[writes_need_a_token],
        before_request=check_query_parameters,
        # Browsers asking for an unknown page get the German one; machines keep problem+json.
        exception_handlers={**EXCEPTION_HANDLERS, HTTPException: for_people(http_error_handler)},
        openapi_config=openapi_config(),
        template_config=template_config(),
        state=State({"settings": settings}),
        # Curation sessions in PostgreSQL: any worker or container serves any signed-in request.
        stores={STORE_NAME: PostgresStore()},
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        logging_config=None,
        debug=False,
    )
    document_problems(app)
    front_door(app)
    return app


def _lifecycle(settings: Settings, dsn: str | None) -> tuple[Callable, Callable]:
    """Start-up refuses a schema behind the migrations; with ``dsn`` the app owns the pool and,
    if configured, runs the webhook worker beside the requests."""

    async def on_startup(app: Litestar) -> None:
        await _open(app, settings, dsn)

    async def on_shutdown(app: Litestar) -> None:
        await _close(app, dsn)

    return on_startup, on_shutdown


async def _open(app: Litestar, settings: Settings, dsn: str | None) -> None:
    if dsn is not None:
        try:
            await db.connect(dsn, settings)
        except Exception as exc:
            if not unavailable(exc):
                raise
            # A worker (re)started while the database is down must not fail: uvicorn would stop
            # every worker. It answers 503 until the database is back, then starts for real.
            log.warning("app.database_unreachable_at_start", error=type(exc).__name__)
            app.state.reconnect = asyncio.create_task(_when_reachable(app, settings, dsn))
            return
    await _start(app, settings, dsn)


async def _when_reachable(app: Litestar, settings: Settings, dsn: str) -> None:
    while True:
        await asyncio.sleep(1)
        try:
            await db.connect(dsn, settings)
        except Exception as exc:
            if not unavailable(exc):
                raise
            continue
        await _start(app, settings, dsn)
        return


async def _start(app: Litestar, settings: Settings, dsn: str | None) -> None:
    pending = await migrate.pending()
    if pending:
        raise DatabaseNotReady(
            f"database schema is behind ({len(pending)} pending migrations): run "
            "`efa-registry migrate` first"
        )
    app.state.search_reindex = reindex.start()  # documents built by older code, rebuilt meanwhile
    if dsn is not None and settings.webhook_worker:
        from efa_registry.webhooks.delivery import start_worker

        app.state.webhook_worker = start_worker(settings)
    if dsn is not None:
        tune_gc()
    log.info("app.started", version=__version__)


async def _close(app: Litestar, dsn: str | None) -> None:
    if (reconnect := app.state.get("reconnect")) is not None:
        reconnect.cancel()
    if (heal := app.state.get("search_reindex")) is not None:
        heal.cancel()
    worker = app.state.get("webhook_worker")
    if worker is not None:
        await worker.stop()  # lets deliveries in flight finish
    if dsn is not None:
        await db.close()
