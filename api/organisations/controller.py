"""Organisations: providers, operators and adopters of EfA solutions."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from api.auth import Caller
from api.concurrency import IdempotencyKey, IfMatch, entity_response, expected_version
from api.organisations.schemas import Organisation
from api.params import After, Limit, bounded_limit, next_link, query_of
from api.schemas import Page, contact_out
from efa_registry.organisations import model, service
from efa_registry.organisations.model import OrganisationCreate, OrganisationFilter, OrganisationPatch

OrgKey = Annotated[str, PathParameter(description="Organisation UUID or slug", max_length=80)]


def _response(org: model.Organisation, actor: Caller, status_code: int = 200) -> Response[Organisation]:
    authenticated = actor is not None
    return entity_response(contact_out(Organisation, org, with_contact=authenticated), org.version,
                           authenticated=authenticated, status_code=status_code)


class OrganisationController(Controller):
    path = "/v1/organisations"
    tags = ["Catalogue"]

    @get("/", operation_id="listOrganisations", summary="List organisations",
         dependencies={"flt": query_of(OrganisationFilter)})
    async def list_organisations(
        self, request: Request, actor: Caller, flt: NamedDependency[OrganisationFilter], limit: Limit = 50,
        after: After = None,
    ) -> Page[Organisation]:
        """Organisations by name, filtered by kind, Land or a part of the name."""
        page = await service.list_organisations(flt, limit=bounded_limit(request, limit), after=after)
        items = [contact_out(Organisation, o, with_contact=actor is not None) for o in page.items]
        return Page(items=items, next=next_link(request, page.next_cursor), limit=limit)

    @get("/{key:str}", operation_id="getOrganisation", summary="One organisation")
    async def get_organisation(self, key: OrgKey, actor: Caller) -> Response[Organisation]:
        """An organisation by UUID or slug; contact details only for authenticated callers."""
        return _response(await service.get_organisation(key), actor)

    @post("/", operation_id="createOrganisation", summary="Create an organisation (curator)")
    async def create_organisation(self, data: JSONBody[OrganisationCreate], actor: Caller,
                                  idempotency_key: IdempotencyKey = None) -> Response[Organisation]:
        """Create an organisation. Only the coordination office (curator) may. A repeated `Idempotency-Key`
        returns the organisation the first request created (200)."""
        org, created = await service.create_organisation_once(data, actor=actor, idempotency_key=idempotency_key)
        return _response(org, actor, 201 if created else 200)

    @patch("/{key:str}", operation_id="updateOrganisation", summary="Change an organisation (merge patch)")
    async def update_organisation(
        self, key: OrgKey, data: JSONBody[OrganisationPatch], actor: Caller, if_match: IfMatch = None
    ) -> Response[Organisation]:
        """JSON Merge Patch (null removes a field, absent keeps it); needs `If-Match`. Curators may change
        any organisation, a provider token only its own."""
        org = await service.update_organisation(key, data, expected_version=expected_version(if_match), actor=actor)
        return _response(org, actor)
