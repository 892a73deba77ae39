"""The Litestar application factory (no import-time side effects)."""

from __future__ import annotations

from pathlib import Path

import structlog
from litestar import Litestar
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Contact, License, Server, Tag
from litestar.static_files import create_static_files_router

from api.middleware import etag_middleware, request_context_middleware
from api.params import reject_unknown_query_parameters
from api.problems import EXCEPTION_HANDLERS
from api.routes import ROUTES
from efa_registry import __version__, db, migrate
from efa_registry.errors import DatabaseNotReady
from efa_registry.settings import Settings

log = structlog.get_logger(__name__)

STATIC_DIR = Path(__file__).parent / "static"

TAGS = [
    Tag(name="Areas", description="Länder, Kreise and Gemeinden from the Destatis GV100AD "
        "(© Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem GV-ISys)."),
    Tag(name="OZG catalogue", description="Themenfelder, OZG-Leistungen and their LeiKa entries."),
    Tag(name="Operations", description="Liveness and readiness."),
]


def openapi_config() -> OpenAPIConfig:
    swagger = SwaggerRenderPlugin(
        js_url="/static/swagger-ui/swagger-ui-bundle.js",
        css_url="/static/swagger-ui/swagger-ui.css",
        standalone_preset_js_url="/static/swagger-ui/swagger-ui-standalone-preset.js",
        path="/",
        favicon='<link rel="icon" type="image/png" href="/static/swagger-ui/favicon-32x32.png">',
    )
    return OpenAPIConfig(
        title="EfA reuse registry",
        version=__version__,
        description=(
            "Catalogue of the OZG online services built once (Einer für Alle) and offered for "
            "reuse, the authorities that reuse them, and the rollout per Bundesland. Errors are "
            "RFC 9457 problem+json; collections are cursor-paginated; GETs carry strong ETags."
        ),
        contact=Contact(name="OZG coordination office"),
        license=License(name="EUPL-1.2", identifier="EUPL-1.2"),
        servers=[Server(url="/")],
        tags=TAGS,
        path="/schema",
        render_plugins=[swagger],
        use_handler_docstrings=True,
    )


def create_app(settings: Settings, *, dsn: str | None = None) -> Litestar:
    """Build the app. With ``dsn`` the app opens and closes the pool itself (``serve``);
    without, the caller has opened it (tests, embedding)."""

    async def on_startup(app: Litestar) -> None:
        if dsn is not None:
            await db.connect(dsn, settings)
        pending = await migrate.pending()
        if pending:
            raise DatabaseNotReady(
                f"database schema is behind ({len(pending)} pending migrations): run "
                "`efa-registry migrate` first"
            )
        log.info("app.started", version=__version__)

    async def on_shutdown(app: Litestar) -> None:
        if dsn is not None:
            await db.close()

    return Litestar(
        route_handlers=[
            *ROUTES,
            create_static_files_router(path="/static", directories=[STATIC_DIR],
                                       include_in_schema=False),
        ],
        middleware=[request_context_middleware, etag_middleware],
        before_request=reject_unknown_query_parameters,
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=openapi_config(),
        state=State({"settings": settings}),
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        logging_config=None,
        debug=False,
    )
