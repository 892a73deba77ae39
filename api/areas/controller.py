"""Areas and Länder: read-only reference data from the Destatis GV100AD."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.openapi.spec import Example
from litestar.params import Body, PathParameter

from api.params import After, Limit, bounded_limit, next_link, query_of
from api.schemas import Page
from efa_registry.areas import names, service
from efa_registry.areas.model import Area, AreaFilter, LandSummary, Resolved, ResolveNames

LandKey = Annotated[str, PathParameter(pattern=r"^((0[1-9]|1[0-6])|DE-[A-Za-z]{2})$",
                                   description="Land key (`05`) or ISO 3166-2 code (`DE-NW`)")]

ResolveBody = Annotated[ResolveNames, Body(examples=[Example(summary="A usedBy list", value={"names": [
    {"name": "Stadt Mülheim a.d. Ruhr"}, {"name": "Neustadt", "land": "HE"}, {"name": "Lkr. München"}]})])]


class LandController(Controller):
    path = "/v1/lands"
    tags = ["Areas"]

    @get("/", operation_id="listLands", summary="List the 16 Länder with their counts")
    async def list_lands(self) -> list[LandSummary]:
        """Every Land with its number of Gemeinden (gemeindefreie Gebiete excluded), Kreise
        (kreisfreie Städte included) and population, as of the imported Gebietsstand."""
        return await service.list_lands()

    @get("/{code:str}", operation_id="getLand", summary="One Land with its counts")
    async def get_land(self, code: LandKey) -> LandSummary:
        """A Land by its 2-digit key or ISO 3166-2 code."""
        return await service.get_land(await service.land_key(code))


class AreaController(Controller):
    path = "/v1/areas"
    tags = ["Areas"]

    @get("/", operation_id="listAreas", summary="List areas (Gebiete)", dependencies={"flt": query_of(AreaFilter)})
    async def list_areas(
        self, request: Request, flt: NamedDependency[AreaFilter], limit: Limit = 50, after: After = None
    ) -> Page[Area]:
        """Areas ordered by ARS, filtered by level, Land or parent; with `q`, the areas whose name matches it as
        people write it (umlauts as ae/oe/ue, "Stadt …", "Landkreis …", "St." for Sankt, typos), best first, then
        those whose name begins with it. Paged with a cursor (`next`)."""
        page = await service.list_areas(flt, limit=bounded_limit(request, limit), after=after)
        return Page(items=page.items, next=next_link(request, page.next_cursor), limit=limit)

    # A read sent as POST (a list of names does not fit a URL): public like every read, so it takes no actor.
    @post("/resolve", operation_id="resolveAreaNames", summary="Resolve names typed by hand to areas", status_code=200)
    async def resolve(self, data: ResolveBody) -> Resolved:
        """Per name (up to 500, each with an optional Land or Kreis hint) the best area with its ARS and a
        score, and the alternatives. Names that fit several areas equally well are `ambiguous`, names
        that fit none `unknown`: the caller chooses, nothing is guessed."""
        return Resolved(results=await names.resolve(data.names))

    @get("/{ars:str}", operation_id="getArea", summary="One area by ARS or AGS")
    async def get_area(
        self,
        ars: Annotated[str, PathParameter(pattern=r"^([0-9]{2,5}|[0-9]{8,9}|[0-9]{12})$",
                                      description="ARS (2–12 digits) or 8-digit AGS")],
    ) -> Area:
        """An area by its Amtlicher Regionalschlüssel, or a Gemeinde by its 8-digit AGS."""
        return await service.get_area(ars)
