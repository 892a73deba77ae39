"""The catalogue: solutions (EfA online services) and their interfaces."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.openapi.spec import Example
from litestar.params import Body, FromPath, JSONBody, PathParameter, QueryParameter
from msgspec import UNSET

from api.auth import Caller
from api.concurrency import IdempotencyKey, IfMatch, entity_response, expected_version
from api.params import After, Limit, bounded_limit, next_link, query_of
from api.schemas import contact_out
from api.solutions.schemas import ExpandedSolutionPage, Solution, SolutionHit, SolutionPage, summary_out
from efa_registry.solutions import discovery, model, service
from efa_registry.solutions.model import (
    HistoryEntry,
    Interface,
    InterfaceCreate,
    InterfacePatch,
    SolutionCreate,
    SolutionPatch,
)
from efa_registry.solutions.search import SolutionQuery

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
Expand = Annotated[Literal["full"] | None, QueryParameter(description=(
    "`full`: every item is the whole solution (interfaces, description, licence, links, contact …), as"
    " `getSolution` has it, instead of its summary"))]


def _solution_response(solution: model.Solution, actor: Caller, status_code: int = 200) -> Response[Solution]:
    authenticated = actor is not None
    return entity_response(contact_out(Solution, solution, with_contact=authenticated), solution.version,
                           authenticated=authenticated, status_code=status_code)


def _interface_response(interface: Interface, status_code: int = 200) -> Response[Interface]:
    return entity_response(interface, interface.version, status_code=status_code)


class SolutionController(Controller):
    path = "/v1/solutions"
    tags = ["Catalogue"]

    @get("/", operation_id="searchSolutions", summary="Search the catalogue",
         dependencies={"criteria": query_of(SolutionQuery)})
    async def search_solutions(
        self, request: Request, actor: Caller, criteria: NamedDependency[SolutionQuery], limit: Limit = 20,
        after: After = None, expand: Expand = None,
    ) -> SolutionPage | ExpandedSolutionPage:
        """Find solutions by text and filters, ranked by relevance (a name match first), paged with a cursor. `q`
        understands German compounds, everyday words and typos; each hit has its matches marked (`highlight`).
        Retired solutions are left out unless `status` asks for them. `facets` adds counts per value that
        respect every other filter. Items are summaries; `expand=full` makes each the whole solution."""
        full = expand == "full"
        hits, facets = await discovery.find_solutions(criteria, limit=bounded_limit(request, limit), after=after,
                                                      full=full)
        if full:
            items = [contact_out(SolutionHit, s, with_contact=actor is not None) for s in hits.page.items]
            for item in items:
                item.highlight = hits.highlights.get(str(item.id), UNSET)
        else:
            items = [summary_out(s, hits.highlights.get(str(s.id), UNSET)) for s in hits.page.items]
        page = ExpandedSolutionPage if full else SolutionPage
        return page(items=items, next=next_link(request, hits.page.next_cursor), limit=limit, facets=facets,
                    did_you_mean=hits.notes.did_you_mean, corrected_from=hits.notes.corrected_from,
                    relaxed=hits.notes.relaxed, unknown_words=list(hits.notes.unknown_words))

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
        return await service.history(key, with_contact=actor is not None)

    @get("/{key:str}/interfaces", operation_id="listSolutionInterfaces", summary="Interfaces of a solution")
    async def list_interfaces(self, key: SolutionKey) -> list[Interface]:
        """The interfaces a solution offers or needs (retired ones included, with their status)."""
        return await service.list_interfaces(key)

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
