"""The OZG catalogue: Themenfelder and OZG-Leistungen with their LeiKa entries."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import PathParameter
from msgspec import UNSET

from api.ozg.schemas import OzgLeistungHit, OzgLeistungPage
from api.params import After, Limit, bounded_limit, next_link, query_of
from efa_registry.ozg import service
from efa_registry.ozg.model import OzgFilter, OzgLeistungDetail, Themenfeld
from efa_registry.types import OZG_ID_PATTERN


class ThemenfeldController(Controller):
    path = "/v1/themenfelder"
    tags = ["OZG catalogue"]

    @get("/", operation_id="listThemenfelder", summary="List the 14 Themenfelder")
    async def list_themenfelder(self) -> list[Themenfeld]:
        """The Themenfelder of the OZG catalogue with the number of OZG-Leistungen in each."""
        return await service.list_themenfelder()


class OzgLeistungController(Controller):
    path = "/v1/ozg-leistungen"
    tags = ["OZG catalogue"]

    @get("/", operation_id="listOzgLeistungen", summary="Search and list OZG-Leistungen",
         dependencies={"flt": query_of(OzgFilter)})
    async def list_leistungen(
        self, request: Request, flt: NamedDependency[OzgFilter], limit: Limit = 50, after: After = None
    ) -> OzgLeistungPage:
        """OZG-Leistungen filtered by Themenfeld, Lage or LeiKa key. With `q`, a German search over the
        name, the LeiKa entries' wording and the Lagen — compounds, everyday words ("Kita") and typos
        included — ranked with a name match first, each hit with its matches marked (`highlight`)."""
        hits = await service.search_leistungen(flt, limit=bounded_limit(request, limit), after=after)
        items = [OzgLeistungHit(**msgspec.structs.asdict(o), highlight=hits.highlights.get(o.ozg_id, UNSET))
                 for o in hits.page.items]
        return OzgLeistungPage(items=items, next=next_link(request, hits.page.next_cursor), limit=limit,
                               did_you_mean=hits.notes.did_you_mean, corrected_from=hits.notes.corrected_from,
                               relaxed=hits.notes.relaxed, unknown_words=list(hits.notes.unknown_words))

    @get("/{ozgId:str}", operation_id="getOzgLeistung", summary="One OZG-Leistung with its LeiKa entries")
    async def get_leistung(
        self, ozg_id: Annotated[str, PathParameter(name="ozgId", pattern=OZG_ID_PATTERN, description="e.g. `10000`")]
    ) -> OzgLeistungDetail:
        """An OZG-Leistung by its OZG-ID, with the LeiKa entries mapped to it."""
        return await service.get_leistung(ozg_id)
