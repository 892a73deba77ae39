"""OpenAPI 3.1 configuration, plus problem+json documented for every error response."""

from __future__ import annotations

import functools
import gzip
import typing
from pathlib import Path
from typing import Any

import msgspec
from litestar import Litestar, Response, get
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import (
    Contact,
    License,
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    Operation,
    Reference,
    RequestBody,
    Schema,
    Server,
    Tag,
)
from litestar.openapi.spec.enums import OpenAPIType

from api.params import without_null
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

# Status → what it means on this API; the problem types that come with it are added from the error
# table (api/problems.py), so the document cannot drift from what is sent.
STATUS_MEANINGS = {
    "400": "Malformed or unknown parameter or body field (problem+json naming it in `field`)",
    "401": "Missing, unknown, expired or revoked bearer token",
    "403": "The token's role or scope does not allow this",
    "404": "Not found",
    "408": "The request body did not arrive within EFA_BODY_TIMEOUT_SECONDS",
    "409": "Conflicts with the current state (duplicate, illegal transition, reused Idempotency-Key)",
    "412": "If-Match names no current version (strong comparison: weak and foreign tags never match)",
    "413": "The body is larger than EFA_MAX_BODY_BYTES",
    "415": "The body is not in a media type this operation accepts",
    "422": "Well-formed but not acceptable: a rule across fields or an unknown reference",
    "428": "A write to an existing entity needs If-Match",
    "503": "The database cannot be reached; retry after `Retry-After` seconds",
}
MERGE_PATCH = "application/merge-patch+json"

JSON_FEED_SCHEMA = Schema(
    type=OpenAPIType.OBJECT, description="JSON Feed 1.1 (https://jsonfeed.org/version/1.1)",
    required=["version", "title", "items"],
    properties={
        "version": Schema(type=OpenAPIType.STRING), "title": Schema(type=OpenAPIType.STRING),
        "home_page_url": Schema(type=OpenAPIType.STRING), "feed_url": Schema(type=OpenAPIType.STRING),
        "description": Schema(type=OpenAPIType.STRING), "language": Schema(type=OpenAPIType.STRING),
        "items": Schema(type=OpenAPIType.ARRAY, items=Schema(
            type=OpenAPIType.OBJECT, required=["id", "title", "content_text", "date_published"], properties={
                "id": Schema(type=OpenAPIType.STRING), "title": Schema(type=OpenAPIType.STRING),
                "content_text": Schema(type=OpenAPIType.STRING), "url": Schema(type=OpenAPIType.STRING),
                "date_published": Schema(type=OpenAPIType.STRING, format="date-time"),
                "tags": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.STRING))})),
    })
PUBLICCODE_SCHEMA = Schema(
    type=OpenAPIType.OBJECT, description="A publiccode.yml document, standard 0.4 (https://yml.publiccode.tools)",
    required=["publiccodeYmlVersion", "name", "url"], additional_properties=True)
# Bodies that are not what Litestar infers from the handler's return type (it sees bytes or str).
RESPONSE_SCHEMAS = {"getJsonFeed": JSON_FEED_SCHEMA, "getSolutionPubliccode": PUBLICCODE_SCHEMA}


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
    """Document every status an operation can answer with, each with its problem types, and the
    bodies Litestar cannot infer (merge patches, JSON Feed, publiccode.yml, readiness)."""
    from api.problems import DOMAIN_PROBLEMS, HTTP_PROBLEMS, PROBLEM_BASE

    openapi: OpenAPI = app.openapi_schema
    if openapi.components.schemas is None:
        openapi.components.schemas = {}
    openapi.components.schemas["Problem"] = PROBLEM_SCHEMA
    kinds: dict[str, set[str]] = {}
    for _, status, kind, _ in DOMAIN_PROBLEMS:
        kinds.setdefault(str(status), set()).add(kind)
    for status, (kind, _) in HTTP_PROBLEMS.items():
        kinds.setdefault(str(status), set()).add(kind)
    kinds["400"] |= {"invalid-request"}
    uses_token = _operations_with_token(app)
    _exact_request_bodies(app, openapi)
    page_size_max = app.state.settings.page_size_max
    for path, item in (openapi.paths or {}).items():
        for method in ("get", "post", "patch", "put", "delete"):
            operation = getattr(item, method)
            if operation is None:
                continue
            if method == "patch":
                _document_merge_patch(operation)
            codes = _statuses(path, method, operation, operation.operation_id in uses_token)
            responses = operation.responses or {}
            for code in sorted(codes | {c for c in responses if c[0] in "45"}):
                types = ", ".join(f"`{PROBLEM_BASE}{k}`" for k in sorted(kinds.get(code, {"http-error"})))
                own = getattr(responses.get(code), "description", None)  # the handler's own words win
                meaning = own if own and code not in ("400", "404") else STATUS_MEANINGS.get(code, "Error")
                responses[code] = _problem_response(f"{meaning.rstrip('.')}. Problem type: {types}", code)
            operation.responses = responses
            _fix_success(operation)
            for parameter in operation.parameters or []:
                without_null(parameter)
                if parameter.name == "limit" and isinstance(parameter.schema, Schema) and parameter.schema.maximum:
                    parameter.schema.maximum = min(parameter.schema.maximum, page_size_max)  # as configured


def _statuses(path: str, method: str, operation: Operation, with_token: bool) -> set[str]:
    if operation.operation_id == "health":
        return set()
    headers = {p.name.lower() for p in operation.parameters or [] if getattr(p, "param_in", None) == "header"}
    codes = {"400", "503"}
    if "{" in path:
        codes.add("404")
    if with_token:
        codes |= {"401", "403"}
    if method != "get":
        codes |= {"409", "422"}
    if operation.parameters:
        codes.add("422")  # filters that name unknown entities or combine badly
    if operation.request_body is not None:
        codes |= {"408", "413", "415", "422"}
    if "if-match" in headers:
        codes |= {"412", "428"}
    return codes


def _problem_response(description: str, code: str) -> OpenAPIResponse:
    problem = {"application/problem+json": OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))}
    headers = {"Retry-After": OpenAPIHeader(schema=Schema(type=OpenAPIType.INTEGER),
                                            description="Seconds to wait before retrying")} if code == "503" else None
    return OpenAPIResponse(description=description, content=problem, headers=headers)


def _document_merge_patch(operation: Operation) -> None:
    """Every PATCH is a JSON Merge Patch (RFC 7396), sent as application/merge-patch+json; plain
    JSON stays accepted for existing clients."""
    body = operation.request_body
    if isinstance(body, RequestBody) and body.content and "application/json" in body.content:
        body.content = {MERGE_PATCH: body.content["application/json"], **body.content}


def _fix_success(operation: Operation) -> None:
    ok = (operation.responses or {}).get("200")
    if not isinstance(ok, OpenAPIResponse) or not ok.content:
        ok = OpenAPIResponse(description="", content={})
    schema = RESPONSE_SCHEMAS.get(operation.operation_id or "")
    for media in ok.content.values():
        if schema is not None:
            media.schema = schema
        elif isinstance(media.schema, Schema) and media.schema.one_of:
            # Litestar writes a union return type as oneOf; its members may overlap (two kinds of page
            # are both valid when empty), and "exactly one" would then call a correct answer wrong.
            media.schema.any_of, media.schema.one_of = media.schema.one_of, None
    headers = {p.name.lower() for p in operation.parameters or [] if getattr(p, "param_in", None) == "header"}
    created = operation.responses.get("201")
    if "idempotency-key" in headers and isinstance(created, OpenAPIResponse) and "200" not in operation.responses:
        operation.responses["200"] = OpenAPIResponse(
            description="A repeated Idempotency-Key: what the first request created", content=created.content)
    if operation.operation_id == "ready":  # the same body says what is missing, with 503
        operation.responses["503"] = OpenAPIResponse(description="The database is unreachable or behind",
                                                     content=ok.content)


def _exact_request_bodies(app: Litestar, openapi: OpenAPI) -> None:
    """Request bodies described by msgspec, which validates them: Litestar's own schemas drop the
    constraints of list items and never say that unknown fields are refused."""
    handlers = {h.operation_id: h for route in app.routes for h in getattr(route, "route_handlers", [])
                if isinstance(h.operation_id, str)}
    bodies: dict[str, tuple[OpenAPIMediaType, type]] = {}
    for item in (openapi.paths or {}).values():
        for method in ("post", "patch", "put"):
            operation = getattr(item, method)
            field = handlers[operation.operation_id].parsed_fn_signature.parameters.get("data") if operation else None
            body = operation.request_body if operation else None
            struct = _struct_of(field.annotation) if field is not None else None
            if struct is not None and isinstance(body, RequestBody):
                for media in (body.content or {}).values():
                    bodies[f"{operation.operation_id}:{id(media)}"] = (media, struct)
    structs = sorted({struct for _, struct in bodies.values()}, key=lambda t: t.__name__)
    refs, components = msgspec.json.schema_components(structs, ref_template="#/components/schemas/{name}Input")
    openapi.components.schemas.update({f"{name}Input": schema for name, schema in components.items()})
    ref_of = dict(zip(structs, refs, strict=True))
    for media, struct in bodies.values():
        exact, before = Reference(ref=ref_of[struct]["$ref"]), media.schema
        # Keep the handler's description and examples (Litestar put them beside its own schema).
        media.schema = Schema(all_of=[exact], description=before.description, examples=before.examples) if (
            isinstance(before, Schema) and (before.examples or before.description)) else exact


def _struct_of(annotation: Any) -> type | None:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct) else None


def _operations_with_token(app: Litestar) -> set[str]:
    """Operation ids of the handlers that read the bearer token (``actor``): they can answer 401/403."""
    ids = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if "actor" in handler.parsed_fn_signature.parameters and isinstance(handler.operation_id, str):
                ids.add(handler.operation_id)
    return ids
