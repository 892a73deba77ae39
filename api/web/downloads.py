"""The maps of the rollout and Land pages as files for reports: the SVG (title, legend and the
BKG attribution inside) and its figures as CSV for spreadsheets. Same query, same map as the page.
"""

from __future__ import annotations

import re
from typing import Annotated

import structlog
from litestar import Controller, Request, Response, get
from litestar.params import FromPath, QueryParameter

from api.web import auswahl
from api.web.errors import HTML_EXCEPTION_HANDLERS
from api.web.karten import MapView
from efa_registry.errors import NotFound
from efa_registry.rollout import service as rollout

log = structlog.get_logger(__name__)

Text = Annotated[str | None, QueryParameter(max_length=200)]
OzgParam = Annotated[str | None, QueryParameter(name="ozg", max_length=6)]
TYPES = {"svg": "image/svg+xml", "csv": "text/csv"}  # Litestar adds "; charset=utf-8" to text types


async def ignore_unknown_parameters(request: Request) -> None:
    """Like the pages: links from reports and old bookmarks may carry parameters we do not know."""


def _file(view: MapView | None, extension: str) -> Response[str]:
    if view is None:
        raise NotFound("nothing to map", field="loesung")
    name = re.sub(r"[^A-Za-z0-9-]+", "-", view.file)
    body = view.svg() if extension == "svg" else view.csv()
    log.info("web.map_downloaded", kind=view.kind, file=name, format=extension)
    return Response(content=body, media_type=TYPES[extension], headers={
        "Content-Disposition": f'attachment; filename="{name}.{extension}"', "Cache-Control": "public, no-cache"})


async def _rollout_view(loesung: str | None, ozg_id: str | None, themenfeld: str | None,
                        ebene: str | None) -> MapView | None:
    level = auswahl.ebene_of(ebene)
    return await auswahl.rollout_map(await auswahl.rollout_selection(loesung, ozg_id, themenfeld), level)


async def _land_view(code: str, loesung: str | None, ozg_id: str | None) -> MapView | None:
    overview = await rollout.land_overview(code)
    selection = await auswahl.land_selection(overview, loesung, ozg_id)
    return auswahl.land_map(selection, overview.land.code)


class MapDownloadController(Controller):
    path = "/"
    include_in_schema = False
    exception_handlers = HTML_EXCEPTION_HANDLERS
    before_request = ignore_unknown_parameters

    @get("/rollout/karte.svg")
    async def rollout_svg(self, loesung: Text = None, ozg_id: OzgParam = None, themenfeld: Text = None,
                          ebene: Text = None) -> Response[str]:
        return _file(await _rollout_view(loesung, ozg_id, themenfeld, ebene), "svg")

    @get("/rollout/karte.csv")
    async def rollout_csv(self, loesung: Text = None, ozg_id: OzgParam = None, themenfeld: Text = None,
                          ebene: Text = None) -> Response[str]:
        return _file(await _rollout_view(loesung, ozg_id, themenfeld, ebene), "csv")

    @get("/laender/{code:str}/karte.svg")
    async def land_svg(self, code: FromPath[str], loesung: Text = None, ozg_id: OzgParam = None) -> Response[str]:
        return _file(await _land_view(code, loesung, ozg_id), "svg")

    @get("/laender/{code:str}/karte.csv")
    async def land_csv(self, code: FromPath[str], loesung: Text = None, ozg_id: OzgParam = None) -> Response[str]:
        return _file(await _land_view(code, loesung, ozg_id), "csv")
