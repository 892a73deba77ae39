"""The catalogue: solutions (EfA online services) and their interfaces."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.openapi.spec import Example
from litestar.params import Body, FromPath, JSONBody, PathParameter, QueryParameter

from api.auth import Caller
from api.concurrency import IdempotencyKey, IfMatch, entity_etag, expected_version
from api.params import After, Limit, bounded_limit, next_link
from api.solutions.schemas import FacetValue, HistoryEntry, Interface, Solution, SolutionPage
from efa_registry.errors import InvalidParameter
from efa_registry.solutions import service
from efa_registry.solutions.model import InterfaceCreate, InterfacePatch, SolutionCreate, SolutionPatch
from efa_registry.solutions.search import FACETS, SolutionQuery, Sort
from efa_registry.types import LEIKA_KEY_PATTERN, OZG_ID_PATTERN

SOLUTION_EXAMPLE = Example(summary="A solution provided by a Land", value={
    "name": "Wohngeld-Antrag online", "provider": "land-nrw", "summary": "Wohngeld online beantragen.",
    "ozgIds": ["10092"], "status": "available", "efaCompliant": True, "reifegradModel": "2.0", "reifegrad": 4,
    "reuseRoute": "fit_store", "rolloutLevel": "gemeinde", "tags": ["Sozialleistung"]})
SolutionBody = Annotated[SolutionCreate, Body(examples=[SOLUTION_EXAMPLE])]
PatchBody = Annotated[SolutionPatch, Body(
    description="JSON Merge Patch", examples=[Example(summary="Raise the Reifegrad, drop the summary",
                                                      value={"reifegrad": 5, "summary": None})])]
InterfaceBody = Annotated[InterfaceCreate, Body(examples=[Example(summary="An XÖV interface", value={
    "kind": "xoev", "standard": "XBau", "standardVersion": "2.3", "specUrl": "https://www.xrepository.de/"})])]
SolutionKey = Annotated[str, PathParameter(description="Solution UUID or slug", max_length=80)]
ListParam = Annotated[list[str] | None, QueryParameter(description="One or more values (repeat or comma-separate)")]


def _values(raw: list[str] | None, name: str, allowed: tuple[str, ...] | None = None) -> list[str]:
    values = [v.strip() for item in raw or [] for v in item.split(",") if v.strip()]
    if allowed is not None:
        for v in values:
            if v not in allowed:
                raise InvalidParameter(f"{name} must be one of {', '.join(allowed)}", field=name)
    return values


def _solution_response(solution, actor: Caller, status_code: int = 200) -> Response[Solution]:
    authenticated = actor is not None
    return Response(Solution.of(solution, with_contact=authenticated), status_code=status_code,
                    headers={"ETag": entity_etag(solution.version, authenticated=authenticated)})


def _interface_response(interface, status_code: int = 200) -> Response[Interface]:
    return Response(Interface.of(interface), status_code=status_code, headers={"ETag": entity_etag(interface.version)})


class SolutionController(Controller):
    path = "/v1/solutions"
    tags = ["Catalogue"]

    @get("/", operation_id="searchSolutions", summary="Search the catalogue")
    async def search_solutions(
        self,
        request: Request,
        actor: Caller,
        q: Annotated[str | None, QueryParameter(min_length=2, max_length=200, description=(
            "German full-text search over names, summaries, descriptions, OZG-Leistung names and interface "
            "standards (`Bauanträge` finds `Bauantrag`)"))] = None,
        themenfeld: ListParam = None,
        ozg_id: Annotated[str | None, QueryParameter(name="ozgId", pattern=OZG_ID_PATTERN)] = None,
        leika_key: Annotated[str | None, QueryParameter(name="leikaKey", pattern=LEIKA_KEY_PATTERN)] = None,
        provider: Annotated[str | None, QueryParameter(description="Providing organisation (UUID or slug)")] = None,
        provider_land: Annotated[list[str] | None, QueryParameter(name="providerLand",
                                                                  description="Land key(s) of the provider")] = None,
        status: ListParam = None,
        efa_compliant: Annotated[bool | None, QueryParameter(name="efaCompliant")] = None,
        min_reifegrad: Annotated[int | None, QueryParameter(name="minReifegrad", ge=0, le=7)] = None,
        interface_standard: Annotated[list[str] | None, QueryParameter(name="interfaceStandard")] = None,
        interface_kind: Annotated[list[str] | None, QueryParameter(name="interfaceKind")] = None,
        reuse_route: Annotated[list[str] | None, QueryParameter(name="reuseRoute")] = None,
        updated_since: Annotated[dt.datetime | None, QueryParameter(name="updatedSince")] = None,
        sort: Annotated[Sort | None, QueryParameter(description="relevance (default with q), name, updated")] = None,
        facets: Annotated[list[str] | None, QueryParameter(description=f"Facet counts: {', '.join(FACETS)}")] = None,
        limit: Limit = 20,
        after: After = None,
    ) -> SolutionPage:
        """Find solutions by text and filters, ranked by relevance, paged with a cursor. Retired solutions are
        left out unless `status` asks for them. `facets` adds counts per value that respect every other filter."""
        from efa_registry.types import InterfaceKind, ReuseRoute, SolutionStatus, values

        query = SolutionQuery(
            q=q, themenfeld=_values(themenfeld, "themenfeld"), ozg_id=ozg_id, leika_key=leika_key,
            provider=provider, provider_land=_values(provider_land, "providerLand"),
            status=_values(status, "status", values(SolutionStatus)), efa_compliant=efa_compliant,
            min_reifegrad=min_reifegrad, interface_standard=_values(interface_standard, "interfaceStandard"),
            interface_kind=_values(interface_kind, "interfaceKind", values(InterfaceKind)),
            reuse_route=_values(reuse_route, "reuseRoute", values(ReuseRoute)), updated_since=updated_since,
            sort=sort, facets=_values(facets, "facets", FACETS),
        )
        page, facet_counts = await service.search_solutions(query, limit=bounded_limit(request, limit), after=after)
        return SolutionPage(
            items=[Solution.of(s, with_contact=actor is not None) for s in page.items],
            next=next_link(request, page.next_cursor), limit=limit,
            facets={k: [FacetValue(value=f.value, count=f.count) for f in v] for k, v in facet_counts.items()},
        )

    @get("/{key:str}", operation_id="getSolution", summary="One solution")
    async def get_solution(self, key: SolutionKey, actor: Caller) -> Response[Solution]:
        """A solution by UUID or slug, with its OZG-Leistungen, provider, operator and interfaces."""
        return _solution_response(await service.get_solution(key), actor)

    @post("/", operation_id="createSolution", summary="Create a solution (curator, provider)")
    async def create_solution(
        self, data: SolutionBody, actor: Caller, idempotency_key: IdempotencyKey = None
    ) -> Response[Solution]:
        """Create a solution. A provider token may create solutions of its own organisation only.
        With `Idempotency-Key`, a repeated request returns the first result (200) and creates nothing."""
        solution, created = await service.create_solution(data, actor=actor, idempotency_key=idempotency_key)
        return _solution_response(solution, actor, 201 if created else 200)

    @patch("/{key:str}", operation_id="updateSolution", summary="Change a solution (merge patch)")
    async def update_solution(
        self, key: SolutionKey, data: PatchBody, actor: Caller, if_match: IfMatch = None
    ) -> Response[Solution]:
        """JSON Merge Patch: `null` removes a field, an absent field is kept, lists are replaced.
        Requires `If-Match` (428 without, 412 when another change came first)."""
        solution = await service.update_solution(key, data, expected_version=expected_version(if_match), actor=actor)
        return _solution_response(solution, actor)

    @delete("/{key:str}", operation_id="retireSolution", summary="Retire a solution", status_code=200)
    async def retire_solution(self, key: SolutionKey, actor: Caller, if_match: IfMatch = None) -> Response[Solution]:
        """Sets the status to `retired`: the solution stays readable but leaves the default search."""
        solution = await service.retire_solution(key, expected_version=expected_version(if_match), actor=actor)
        return _solution_response(solution, actor)

    @get("/{key:str}/history", operation_id="getSolutionHistory", summary="Versions of a solution")
    async def history(self, key: SolutionKey, actor: Caller) -> list[HistoryEntry]:
        """Every recorded version with its author, time, request id and the fields that changed
        (changes to contact details only for authenticated callers)."""
        return [HistoryEntry(seq=e.seq, version=e.version, action=e.action, actor=e.actor, request_id=e.request_id,
                             at=e.at, changes=e.changes)
                for e in await service.history(key, with_contact=actor is not None)]

    @get("/{key:str}/interfaces", operation_id="listSolutionInterfaces", summary="Interfaces of a solution")
    async def list_interfaces(self, key: SolutionKey) -> list[Interface]:
        """The interfaces a solution offers or needs (retired ones included, with their status)."""
        return [Interface.of(i) for i in await service.list_interfaces(key)]

    @post("/{key:str}/interfaces", operation_id="createInterface", summary="Add an interface (curator, provider)")
    async def create_interface(
        self, key: SolutionKey, data: InterfaceBody, actor: Caller, idempotency_key: IdempotencyKey = None
    ) -> Response[Interface]:
        """Add an interface (FIT-Connect, an XÖV standard such as XBau 2.3, REST …) to a solution."""
        interface, created = await service.create_interface(key, data, actor=actor, idempotency_key=idempotency_key)
        return _interface_response(interface, 201 if created else 200)


class InterfaceController(Controller):
    path = "/v1/interfaces"
    tags = ["Catalogue"]

    @get("/{interface_id:uuid}", operation_id="getInterface", summary="One interface")
    async def get_interface(self, interface_id: FromPath[uuid.UUID]) -> Response[Interface]:
        """An interface by its id."""
        return _interface_response(await service.get_interface(interface_id))

    @patch("/{interface_id:uuid}", operation_id="updateInterface", summary="Change an interface (merge patch)")
    async def update_interface(
        self, interface_id: FromPath[uuid.UUID], data: JSONBody[InterfacePatch], actor: Caller, if_match: IfMatch = None
    ) -> Response[Interface]:
        """JSON Merge Patch with `If-Match`. A deprecated interface needs a `sunsetOn` date."""
        interface = await service.update_interface(interface_id, data, expected_version=expected_version(if_match),
                                                   actor=actor)
        return _interface_response(interface)

    @delete("/{interface_id:uuid}", operation_id="retireInterface", summary="Retire an interface", status_code=200)
    async def retire_interface(
        self, interface_id: FromPath[uuid.UUID], actor: Caller, if_match: IfMatch = None
    ) -> Response[Interface]:
        """Sets the interface's status to `retired`; it stays readable."""
        interface = await service.update_interface(interface_id, InterfacePatch(),
                                                   expected_version=expected_version(if_match), actor=actor,
                                                   retire=True)
        return _interface_response(interface)
