"""Reuse (Nachnutzung): subscriptions of areas to solutions and their lifecycle.

One controller at `/v1` whose handlers name their full paths: adoptions are listed below the
solution and the area they belong to, and changed at `/v1/adoptions/{id}`.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, Request, Response, get, patch, post
from litestar.openapi.spec import Example
from litestar.params import Body, FromPath, JSONBody, PathParameter, QueryParameter

from api.adoptions.schemas import Adoption, AreaAdoption
from api.auth import Caller
from api.concurrency import IdempotencyKey, IfMatch, entity_response, expected_version
from api.params import After, Limit, bounded_limit, next_link
from api.schemas import Page
from efa_registry.adoptions import bulk, model, service
from efa_registry.adoptions.model import AdoptionPatch, BulkAdoption, BulkResult, Subscribe
from efa_registry.types import LAND_PATTERN, AdoptionStatus

SubscribeBody = Annotated[Subscribe, Body(examples=[Example(
    summary="Duisburg subscribes", value={"ars": "051120000000", "plannedLiveOn": "2027-03-01"})])]
StepBody = Annotated[AdoptionPatch, Body(examples=[Example(summary="The provider agrees", value={"status": "agreed"}),
                                                   Example(summary="Go live", value={"status": "live"})])]
SolutionKey = Annotated[str, PathParameter(description="Solution UUID or slug", max_length=80)]


def _response(adoption: model.Adoption, status_code: int = 200) -> Response[Adoption]:
    return entity_response(Adoption.of(adoption), adoption.version, status_code=status_code)


class AdoptionController(Controller):
    path = "/v1"
    tags = ["Reuse"]

    @get("/solutions/{key:str}/adoptions", operation_id="listSolutionAdoptions", summary="Adoptions of a solution")
    async def list_adoptions(
        self, request: Request, key: SolutionKey,
        status: Annotated[list[AdoptionStatus] | None, QueryParameter(description="Only these statuses")] = None,
        land: Annotated[str | None, QueryParameter(pattern=LAND_PATTERN, description="Only areas in this Land")] = None,
        limit: Limit = 50, after: After = None,
    ) -> Page[Adoption]:
        """Every area that reuses or plans to reuse the solution, ordered by ARS."""
        page = await service.list_for_solution(key, status=status or [], land=land,
                                               limit=bounded_limit(request, limit), after=after)
        return Page(items=[Adoption.of(a) for a in page.items], next=next_link(request, page.next_cursor), limit=limit)

    @post("/solutions/{key:str}/adoptions", operation_id="subscribe", summary="Subscribe an area to reuse the solution")
    async def subscribe(
        self, key: SolutionKey, data: SubscribeBody, actor: Caller, idempotency_key: IdempotencyKey = None
    ) -> Response[Adoption]:
        """An adopter token (for its own ARS, or any area inside it) or the office subscribes; the adoption
        starts as `interested`. One open subscription per solution and area (409 otherwise)."""
        adoption, created = await service.subscribe(key, data, actor=actor, idempotency_key=idempotency_key)
        return _response(adoption, 201 if created else 200)

    @post("/solutions/{key:str}/adoptions/bulk", operation_id="bulkAdopt",
          summary="Set many areas at once (curator, provider)", status_code=200)
    async def bulk(self, key: SolutionKey, data: JSONBody[BulkAdoption], actor: Caller) -> BulkResult:
        """Set a list of ARS, or every eligible unit of a Land or Kreis, to one status in one transaction.
        Idempotent: areas already at that status are left alone."""
        return await bulk.bulk_adopt(key, data, actor=actor)

    @get("/adoptions/{adoption_id:uuid}", operation_id="getAdoption", summary="One adoption with its transitions")
    async def get_adoption(self, adoption_id: FromPath[uuid.UUID]) -> Response[Adoption]:
        """An adoption with every transition (who, when, note) and the statuses it may move to."""
        return _response(await service.get_adoption(adoption_id))

    @patch("/adoptions/{adoption_id:uuid}", operation_id="changeAdoption",
           summary="Move an adoption through its lifecycle")
    async def change(
        self, adoption_id: FromPath[uuid.UUID], data: StepBody, actor: Caller, if_match: IfMatch = None
    ) -> Response[Adoption]:
        """Set `status` to the next step (409 lists the allowed ones), and/or change plans and notes.
        Needs `If-Match`. Adopters pause, resume, withdraw and report go-live for their areas; providers
        agree, onboard and set live for their solutions; the office may do all."""
        adoption = await service.change(adoption_id, data, expected_version=expected_version(if_match), actor=actor)
        return _response(adoption)

    @get("/areas/{ars:str}/adoptions", operation_id="listAreaAdoptions", summary="What an area uses or plans to use")
    async def list_for_area(
        self, ars: Annotated[str, PathParameter(pattern=r"^[0-9]{2,12}$", description="ARS or AGS of the area")]
    ) -> list[AreaAdoption]:
        """The area's own adoptions, and live adoptions of enclosing areas (Kreis, Land …) that cover it,
        marked with `inheritedFrom`."""
        return [AreaAdoption.of(a) for a in await service.list_for_area(ars)]
