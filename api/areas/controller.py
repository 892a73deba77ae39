"""Areas and Länder: read-only reference data from the Destatis GV100AD."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import PathParameter

from api.params import After, Limit, bounded_limit, next_link, query_of
from api.schemas import Page
from efa_registry.areas import service
from efa_registry.areas.model import Area, AreaFilter, LandSummary

LandKey = Annotated[str, PathParameter(pattern=r"^((0[1-9]|1[0-6])|DE-[A-Za-z]{2})$",
                                   description="Land key (`05`) or ISO 3166-2 code (`DE-NW`)")]


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
        """Areas ordered by ARS, filtered by level, Land, parent or a part of the name; paged
        with a cursor (`next`)."""
        page = await service.list_areas(flt, limit=bounded_limit(request, limit), after=after)
        return Page(items=page.items, next=next_link(request, page.next_cursor), limit=limit)

    @get("/{ars:str}", operation_id="getArea", summary="One area by ARS or AGS")
    async def get_area(
        self,
        ars: Annotated[str, PathParameter(pattern=r"^([0-9]{2,5}|[0-9]{8,9}|[0-9]{12})$",
                                      description="ARS (2–12 digits) or 8-digit AGS")],
    ) -> Area:
        """An area by its Amtlicher Regionalschlüssel, or a Gemeinde by its 8-digit AGS."""
        return await service.get_area(ars)
