"""The public pages: Katalog, Lösung, Rollout, Land, Gebiet — server-rendered from the core's use cases.

Thin like the API controllers: read the query, call the core, hand the result to a template.
Presentation (labels, maps, facet links) lives in the sibling modules; ``auswahl`` resolves what a
rollout or Land page shows, for the page and for its map downloads (``downloads``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from litestar import Controller, Request, get
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from api.web import auswahl, kommune, maps, views
from api.web.errors import HTML_EXCEPTION_HANDLERS
from efa_registry.adoptions import service as adoptions
from efa_registry.areas import service as areas
from efa_registry.areas.model import AreaFilter
from efa_registry.errors import InvalidParameter
from efa_registry.ozg import service as ozg
from efa_registry.ozg.model import OzgFilter
from efa_registry.rollout import forecast as fc
from efa_registry.rollout import service as rollout
from efa_registry.rollout.model import MatrixFilter
from efa_registry.solutions import discovery
from efa_registry.solutions import service as solutions
from efa_registry.solutions.search import SolutionQuery
from efa_registry.sources import service as sources
from efa_registry.types import SolutionStatus, values

PAGE_SIZE = 20
FAVICON = (Path(__file__).parent / "static" / "favicon.ico").read_bytes()
OZG_CHOICES = 2000  # the OZG catalogue has some 600 Leistungen
ADOPTERS_PAGE = 50
LAND_ROWS = 25
CHILDREN = 500  # the largest Kreis has some 240 Gemeinden
# Revalidate every time (cheap: the ETag middleware answers 304), so an edit shows at once.
PAGE_HEADERS = {"Cache-Control": "public, no-cache"}

Values = Annotated[list[str] | None, QueryParameter()]
Text = Annotated[str | None, QueryParameter(max_length=200)]
OzgParam = Annotated[str | None, QueryParameter(name="ozg", max_length=6)]


async def page_context(request: Request) -> None:
    """Pages for people ignore query parameters they do not know (tracking tags, old bookmarks);
    the API's refusal of unknown parameters protects machine clients from silent typos. Every page
    names its data's editions and says when demo data is loaded (``base.html``)."""
    request.state.site = await sources.registry_facts()


class PageController(Controller):
    path = "/"
    include_in_schema = False
    exception_handlers = HTML_EXCEPTION_HANDLERS
    before_request = page_context

    @get("/")
    async def katalog(self, request: Request, q: Text = None, themenfeld: Values = None, status: Values = None,
                      land: Values = None, standard: Values = None, weiter: Text = None) -> Template:
        themen = {t.key: t.name for t in await ozg.list_themenfelder()}
        # Values the filters do not offer are refused, never made a title (the core checks Themenfelder).
        chosen = {"status": views.clean(status), "land": views.clean(land)}
        for field, known in (("status", values(SolutionStatus)), ("land", views.land_name_map())):
            if unknown := set(chosen[field]) - set(known):
                raise InvalidParameter(f"unbekannter Wert: {', '.join(sorted(unknown))}", field=field)
        query = SolutionQuery(q=(q or "").strip() or None, themenfeld=views.clean(themenfeld), status=chosen["status"],
                              provider_land=chosen["land"], interface_standard=views.clean(standard),
                              facets=["themenfeld", "status", "providerLand", "interfaceStandard"])
        hits, facets = await discovery.find_solutions(query, limit=PAGE_SIZE, after=weiter or None)
        page = hits.page
        groups = views.catalogue_facets(request, query, facets, themen)
        return Template("katalog.html", headers=PAGE_HEADERS, context={
            "page": "katalog", "query": query, "results": page.items, "highlights": hits.highlights,
            "notes": hits.notes,
            "page_title": views.catalogue_title(query, groups, paged=bool(weiter)),
            "more": views.with_param(request, "weiter", page.next_cursor) if page.next_cursor else None,
            "facets": groups,
            "total": views.total(query, facets.get("status", [])),
            "filtered": bool(query.q or query.themenfeld or query.status or query.provider_land
                             or query.interface_standard),
            "themen": themen})

    @get("/favicon.ico", cache=86400, media_type="image/x-icon")
    async def favicon(self) -> bytes:
        return FAVICON

    @get("/loesungen/{slug:str}")
    async def loesung(self, request: Request, slug: FromPath[str], nach: Text = None) -> Template:
        solution = await solutions.get_solution(slug)
        selection = await auswahl.rollout_selection(solution.slug, None, None)
        adopters = await adoptions.list_for_solution(str(solution.id), status=[], land=None, limit=ADOPTERS_PAGE,
                                                     after=nach or None)
        return Template("loesung.html", headers=PAGE_HEADERS, context={
            "page": "katalog", "solution": solution, "rollout": selection.solution,
            "karte": await auswahl.rollout_map(selection, "land"), "adopters": adopters.items,
            "more_adopters": views.with_param(request, "nach", adopters.next_cursor) if adopters.next_cursor else None,
            "paged": bool(nach), "na": await kommune.nicht_angedockt(request, solution)})

    @get("/rollout")
    async def rollout_page(self, loesung: Text = None, ozg_id: OzgParam = None, themenfeld: Text = None,
                           ebene: Text = None) -> Template:
        level = auswahl.ebene_of(ebene)
        # The choices: every solution with rollout figures (the matrix is cached by the core) and
        # the whole OZG catalogue — a Leistung without a solution yet is an answer too.
        overview = await rollout.matrix(MatrixFilter())
        leistungen = await ozg.list_leistungen(OzgFilter(), limit=OZG_CHOICES, after=None)
        themen = await ozg.list_themenfelder()
        selection = await auswahl.rollout_selection(loesung, ozg_id, themenfeld, overview)
        karte = await auswahl.rollout_map(selection, level)
        context = {"page": "rollout", "sel": selection, "karte": karte, "land_names": views.land_name_map(),
                   "ebene": "kreis" if karte and karte.kind == "germany_by_kreis" else "land",
                   "choices": views.rollout_choices(overview.rows, leistungen.items, themen),
                   "selected": {"loesung": loesung, "ozg": ozg_id, "themenfeld": themenfeld}}
        if selection.solution is not None:
            timeline = await rollout.solution_timeline(selection.solution.solution.id)
            context["chart"] = maps.go_live_chart(timeline.months, timeline.national,
                                                  projection=fc.projection(selection.national.forecast))
        return Template("rollout.html", headers=PAGE_HEADERS, context=context)

    @get("/laender/{code:str}")
    async def land(self, code: FromPath[str], alle: Text = None, loesung: Text = None,
                   ozg_id: OzgParam = None) -> Template:
        overview = await rollout.land_overview(code)
        summary = await areas.get_land(overview.land.code)
        own = await adoptions.list_for_area(overview.land.code)
        selection = await auswahl.land_selection(overview, loesung, ozg_id)
        # A Land can use hundreds of solutions: the widest-spread first, all of them on request.
        limit = None if alle else LAND_ROWS
        return Template("land.html", headers=PAGE_HEADERS, context={
            "page": "rollout", "land": overview.land, "summary": summary,
            "solutions": views.land_solutions(overview.solutions, limit),
            "ozg_leistungen": views.widest_first(overview.ozg_leistungen, limit),
            "ozg_total": len(overview.ozg_leistungen), "all": bool(alle), "limit": LAND_ROWS,
            "own": own, "abbr": maps.land_names().get(overview.land.code),
            "sel": selection, "karte": auswahl.land_map(selection, overview.land.code),
            "choices": views.land_choices(overview), "gaps": kommune.land_gaps(overview, limit)})

    @get("/gebiete/{ars:str}")
    async def gebiet(self, ars: FromPath[str]) -> Template:
        area = await areas.get_area(ars)
        entries = await adoptions.list_for_area(area.ars)
        parent = await areas.get_area(area.parent) if area.parent else None
        # A Land lists its Kreise (their parent may be a Regierungsbezirk); other areas their children.
        below = AreaFilter(level="kreis", land=area.land) if area.level == "land" else AreaFilter(parent=area.ars)
        children = await areas.list_areas(below, limit=CHILDREN, after=None)
        return Template("gebiet.html", headers=PAGE_HEADERS, context={
            "page": "rollout", "area": area, "parent": parent, "children": children.items,
            "more_children": children.next_cursor is not None,
            "own": [e.adoption for e in entries if e.inherited_from is None],
            "inherited": [e for e in entries if e.inherited_from is not None],
            "land": maps.land_names().get(area.land), "steckbrief": await kommune.steckbrief(area)})
