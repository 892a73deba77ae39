"""publiccode.yml, the open standard OpenCoDE and Developers Italia use to describe public software."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import HTTPException
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import PathParameter, QueryParameter

from api.auth import Caller
from api.concurrency import IfMatch, entity_etag, expected_version
from api.params import public_base
from api.schemas import WireOut, contact_out
from api.solutions.schemas import Solution
from efa_registry.solutions import publiccode, publiccode_import

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml")
SolutionKey = Annotated[str, PathParameter(description="Solution UUID or slug", max_length=80)]


@dataclass
class _YamlBody(Operation):
    """Documents the raw YAML request body, which the handler reads itself (Litestar decodes only JSON)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True, description="A publiccode.yml document (UTF-8, at most 1 MB)",
            content={t: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING)) for t in YAML_TYPES})


class PubliccodeImport(WireOut):
    """The solution created or updated, and the document's keys the registry does not keep."""

    solution: Solution
    created: bool
    unmapped_fields: list[str]
    warnings: list[str]  # imported, but worth a curator's look: lenient reading, a derived slug, status planned


class PubliccodeController(Controller):
    path = "/v1/solutions"
    tags = ["Catalogue"]

    @get("/{key:str}/publiccode.yml", operation_id="getSolutionPubliccode", summary="A solution as publiccode.yml",
         media_type="application/yaml")
    async def export(
        self, key: SolutionKey, request: Request, actor: Caller,
        extensions: Annotated[bool, QueryParameter(description=(
            "Include the German section `de` (OZG-IDs, LeiKa keys) and `x-efa-registry`; `false` for strict "
            "parsers that refuse unknown keys"))] = True,
    ) -> Response[str]:
        """The solution described in publiccode.yml (standard 0.4). The maintenance contact is a person only for
        authenticated callers; anonymous callers see the providing organisation instead."""
        solution, text = await publiccode.export_publiccode(
            key, base_url=public_base(request), with_contact=actor is not None, extensions=extensions)
        return Response(text, media_type="application/yaml; charset=utf-8",
                        headers={"ETag": entity_etag(solution.version, authenticated=actor is not None)})

    @post("/import/publiccode", operation_id="importPubliccode", operation_class=_YamlBody,
          summary="Create or update a solution from publiccode.yml (curator, provider)")
    async def import_publiccode(
        self, request: Request, actor: Caller,
        provider: Annotated[str, QueryParameter(description="Providing organisation (UUID or slug)", max_length=80)],
        if_match: IfMatch = None,
    ) -> Response[PubliccodeImport]:
        """Send the YAML as `application/yaml`. Creates the solution (201) or updates the one with the same source
        repository or slug (200, needs `If-Match`). `unmappedFields` lists the keys the registry does not keep; an
        invalid document is a 422 naming the key, e.g. `description.de.shortDescription`."""
        media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if media_type not in YAML_TYPES:
            raise HTTPException(status_code=415, detail=f"send the document as {' or '.join(YAML_TYPES)}")
        result = await publiccode_import.import_publiccode(
            await request.body(), provider=provider, actor=actor, expected_version=expected_version(if_match),
            require_version=True)
        authenticated = actor is not None
        body = PubliccodeImport(solution=contact_out(Solution, result.solution, with_contact=authenticated),
                                created=result.created, unmapped_fields=result.unmapped_fields,
                                warnings=result.warnings)
        return Response(body, status_code=201 if result.created else 200,
                        headers={"ETag": entity_etag(result.solution.version, authenticated=authenticated)})
