"""OpenAPI 3.1 configuration, plus problem+json documented for every error response."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

from litestar import Litestar, Response, get
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import (
    Contact,
    License,
    OpenAPI,
    OpenAPIMediaType,
    OpenAPIResponse,
    Reference,
    Schema,
    Server,
    Tag,
)
from litestar.openapi.spec.enums import OpenAPIType

from efa_registry import __version__

STATIC_DIR = Path(__file__).parent / "static"
SWAGGER_BUNDLE_URL = "/schema-assets/swagger-ui-bundle.js"


@functools.cache
def _swagger_bundle() -> bytes:
    # Swagger UI's bundle is kept gzipped in the repository (1.7 MB as plain text); unpacked once,
    # on the first request for the docs, not at start-up.
    return gzip.decompress((STATIC_DIR / "swagger-ui" / "swagger-ui-bundle.js.gz").read_bytes())


@get(SWAGGER_BUNDLE_URL, include_in_schema=False, sync_to_thread=False)
def swagger_bundle() -> Response[bytes]:
    return Response(_swagger_bundle(), media_type="application/javascript",
                    headers={"Cache-Control": "public, max-age=86400"})


TAGS = [
    Tag(name="Areas", description="Länder, Kreise and Gemeinden from the Destatis GV100AD "
        "(© Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem GV-ISys)."),
    Tag(name="OZG catalogue", description="Themenfelder, OZG-Leistungen and their LeiKa entries."),
    Tag(name="Catalogue", description="Organisations, EfA solutions and their interfaces: discover and curate."),
    Tag(name="Reuse", description="Adoptions (Nachnutzung): who reuses which solution, at which lifecycle step."),
    Tag(name="Rollout", description="Coverage per Land, Kreis, solution and OZG-Leistung, by count and population."),
    Tag(name="Integration", description="Change feed, JSON Feed/Atom, bulk exports and webhooks for integrators."),
    Tag(name="Access", description="Bearer tokens by role: curator, provider, adopter, integrator."),
    Tag(name="Operations", description="Liveness and readiness."),
]

PROBLEM_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    description="RFC 9457 problem details. `type` is stable per error kind; `field` names the "
    "offending parameter or body field.",
    required=["type", "title", "status"],
    properties={
        "type": Schema(type=OpenAPIType.STRING, format="uri"),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER),
        "detail": Schema(type=OpenAPIType.STRING),
        "instance": Schema(type=OpenAPIType.STRING),
        "field": Schema(type=OpenAPIType.STRING),
        "errors": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.OBJECT)),
        "allowed": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.STRING)),
        "requestId": Schema(type=OpenAPIType.STRING),
    },
    examples=[{"type": "https://efa-registry.de/problems/invalid-parameter",
               "title": "Invalid query parameter", "status": 400,
               "detail": "unknown query parameter 'lvl' (allowed: after, land, level, limit, parent, q)",
               "field": "lvl", "requestId": "5c1e0d6f2f0e4c43a1f1f0f5e2c7a9b3"}],
)

ERROR_DESCRIPTIONS = {
    "400": "Malformed or unknown parameter (problem+json naming it)",
    "404": "Not found",
}


def openapi_config() -> OpenAPIConfig:
    swagger = SwaggerRenderPlugin(
        js_url=SWAGGER_BUNDLE_URL,
        css_url="/static/swagger-ui/swagger-ui.css",
        standalone_preset_js_url="/static/swagger-ui/swagger-ui-standalone-preset.js",
        path="/",
        favicon='<link rel="icon" href="/favicon.ico">',
    )
    return OpenAPIConfig(
        title="EfA reuse registry",
        version=__version__,
        description=(
            "Catalogue of the OZG online services built once (Einer für Alle) and offered for "
            "reuse, the authorities that reuse them, and the rollout per Bundesland. Errors are "
            "RFC 9457 problem+json; collections are cursor-paginated (`next`); GETs carry strong "
            "ETags (send `If-None-Match` for 304).\n\n"
            "[← Zurück zum EfA-Nachnutzungsregister (Webseiten)](/) · "
            "[Datenquellen und Lizenzen](/v1/sources)"
        ),
        contact=Contact(name="OZG coordination office"),
        license=License(name="EUPL-1.2", identifier="EUPL-1.2"),
        servers=[Server(url="/")],
        tags=TAGS,
        path="/schema",
        render_plugins=[swagger],
        use_handler_docstrings=True,
    )


def document_problems(app: Litestar) -> None:
    """Replace Litestar's default 400 body with problem+json and add 404 for path lookups."""
    openapi: OpenAPI = app.openapi_schema
    if openapi.components.schemas is None:
        openapi.components.schemas = {}
    openapi.components.schemas["Problem"] = PROBLEM_SCHEMA
    problem = {"application/problem+json": OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))}
    for path, item in (openapi.paths or {}).items():
        for operation in (item.get, item.post, item.patch, item.put, item.delete):
            if operation is None:
                continue
            responses = operation.responses or {}
            codes = {"400"} | ({"404"} if "{" in path else set())
            for code in codes | {c for c in responses if c[0] in "45"}:
                existing = responses.get(code)
                description = getattr(existing, "description", None) or ERROR_DESCRIPTIONS.get(code, "Error")
                responses[code] = OpenAPIResponse(description=description, content=problem)
            operation.responses = responses
