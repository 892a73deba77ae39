"""The OZG catalogue: Themenfelder and OZG-Leistungen with their LeiKa entries."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.params import PathParameter, QueryParameter

from api.ozg.schemas import LeikaEntry, OzgLeistung, OzgLeistungDetail, Themenfeld
from api.params import After, Limit, bounded_limit, next_link
from api.schemas import Page
from efa_registry.ozg import service
from efa_registry.ozg.model import OzgFilter
from efa_registry.types import LEIKA_KEY_PATTERN, OZG_ID_PATTERN


class ThemenfeldController(Controller):
    path = "/v1/themenfelder"
    tags = ["OZG catalogue"]

    @get("/", operation_id="listThemenfelder", summary="List the 14 Themenfelder")
    async def list_themenfelder(self) -> list[Themenfeld]:
        """The Themenfelder of the OZG catalogue with the number of OZG-Leistungen in each."""
        return [Themenfeld.of(t) for t in await service.list_themenfelder()]


class OzgLeistungController(Controller):
    path = "/v1/ozg-leistungen"
    tags = ["OZG catalogue"]

    @get("/", operation_id="listOzgLeistungen", summary="Search and list OZG-Leistungen")
    async def list_leistungen(
        self,
        request: Request,
        themenfeld: Annotated[str | None, QueryParameter(description="Themenfeld key, e.g. `familie-kind`")] = None,
        lage: Annotated[str | None, QueryParameter(description="Lage key, e.g. `geburt`")] = None,
        leika_key: Annotated[str | None, QueryParameter(
            name="leikaKey", pattern=LEIKA_KEY_PATTERN, description="14-digit LeiKa key")] = None,
        q: Annotated[str | None, QueryParameter(
            min_length=2, max_length=200, description="German full-text search (`Anträge` finds `Antrag`)")] = None,
        limit: Limit = 50,
        after: After = None,
    ) -> Page[OzgLeistung]:
        """OZG-Leistungen filtered by Themenfeld, Lage or LeiKa key; with `q`, ranked by
        relevance of a German full-text search over the name."""
        page = await service.list_leistungen(
            OzgFilter(themenfeld=themenfeld, lage=lage, leika_key=leika_key, q=q),
            limit=bounded_limit(request, limit), after=after,
        )
        return Page(items=[OzgLeistung.of(o) for o in page.items],
                    next=next_link(request, page.next_cursor), limit=limit)

    @get("/{ozgId:str}", operation_id="getOzgLeistung", summary="One OZG-Leistung with its LeiKa entries")
    async def get_leistung(
        self, ozg_id: Annotated[str, PathParameter(name="ozgId", pattern=OZG_ID_PATTERN, description="e.g. `10000`")]
    ) -> OzgLeistungDetail:
        """An OZG-Leistung by its OZG-ID, with the LeiKa entries mapped to it."""
        leistung, entries = await service.get_leistung(ozg_id)
        base = OzgLeistung.of(leistung)
        return OzgLeistungDetail(**{f: getattr(base, f) for f in base.__struct_fields__},
                                 leika_entries=[LeikaEntry.of(e) for e in entries])
