"""What the rollout and Land pages show for their query: the chosen solution, OZG-Leistung or
Themenfeld, its figures from the core, and its map. The pages and their SVG/CSV downloads call
the same functions, so a download is always the map the page shows.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from api.web import karten, views
from api.web.karten import MapView
from api.web.maps import land_names
from efa_registry.errors import InvalidParameter, NotFound
from efa_registry.ozg import service as ozg
from efa_registry.ozg.model import Themenfeld
from efa_registry.rollout import service as rollout
from efa_registry.rollout.model import (
    ForecastFigures,
    KreisFigures,
    LandFigures,
    LandOverview,
    Matrix,
    MatrixFilter,
    OzgRollout,
    RankingEntry,
    SolutionRollout,
)

Ebene = Literal["land", "kreis"]


def ebene_of(value: str | None) -> Ebene:
    if value in (None, "", "land", "laender"):
        return "land"
    if value in ("kreis", "kreise"):
        return "kreis"
    raise InvalidParameter(f"unknown map level {value!r}", field="ebene")


class Selection(msgspec.Struct, frozen=True, kw_only=True):
    """One solution, OZG-Leistung or Themenfeld with its figures per Land (``leer``: nothing to show)."""

    mode: Literal["loesung", "ozg", "themenfeld", "leer"]
    params: dict[str, str]
    name: str = ""
    level: str | None = None  # the rollout level; None for a Themenfeld
    lands: list[LandFigures] = []
    national: ForecastFigures | None = None
    solution: SolutionRollout | None = None
    ozg: OzgRollout | None = None
    themenfeld: Themenfeld | None = None
    ranking: list[RankingEntry] = []

    @property
    def has_kreise(self) -> bool:
        return self.mode in ("loesung", "ozg") and self.level != "land"


async def rollout_selection(loesung: str | None, ozg_id: str | None, themenfeld: str | None,
                            matrix: Matrix | None = None) -> Selection:
    """A solution when one is named or nothing else is (then the widest-spread one), else the
    OZG-Leistung, else the Themenfeld."""
    if loesung or not (ozg_id or themenfeld):
        key = loesung or views.widest_rollout((matrix or await rollout.matrix(MatrixFilter())).rows)
        if not key:
            return Selection(mode="leer", params={})
        figures = await rollout.solution_rollout(key)
        return Selection(mode="loesung", params={"loesung": figures.solution.slug}, name=figures.solution.name,
                         level=figures.solution.rollout_level, lands=figures.lands, national=figures.national,
                         solution=figures)
    if ozg_id:
        result = await rollout.ozg_rollout(ozg_id)
        return Selection(mode="ozg", params={"ozg": ozg_id}, name=result.ozg_leistung.name, level=result.rollout_level,
                         lands=result.lands, national=result.national, ozg=result)
    chosen = next((t for t in await ozg.list_themenfelder() if t.key == themenfeld), None)
    if chosen is None:  # a key no Themenfeld has: said so, not shown as the page's title
        raise NotFound(f"no Themenfeld {themenfeld}", field="themenfeld")
    ranked = await rollout.matrix(MatrixFilter(themenfeld=themenfeld))
    return Selection(mode="themenfeld", params={"themenfeld": chosen.key}, name=chosen.name, themenfeld=chosen,
                     ranking=sorted(ranked.ranking, key=lambda e: e.land))


async def kreise_of(selection: Selection, land: str | None = None) -> list[KreisFigures]:
    if selection.solution is not None:
        if land is None:
            return await rollout.solution_kreise(selection.solution.solution.slug)
        figures = await rollout.solution_rollout(selection.solution.solution.slug, land=land, by="kreis")
        return figures.kreise or []
    assert selection.ozg is not None
    return await rollout.ozg_kreise(selection.ozg.ozg_leistung.ozg_id, land)


async def rollout_map(selection: Selection, ebene: Ebene) -> MapView | None:
    """Germany by Land, or by Kreis where the rollout has units inside the Kreise."""
    if selection.mode == "leer":
        return None
    what = "online anbieten" if selection.mode == "ozg" else "live nutzen"
    params = dict(selection.params)
    if ebene == "kreis" and selection.has_kreise:
        names = views.land_name_map()
        kreise = await kreise_of(selection)
        return MapView(kind="germany_by_kreis", base="/rollout", params={**params, "ebene": "kreis"}, kreise=kreise,
                       values=karten.kreis_shades(kreise, selection.level or "", names),
                       title=karten.title(selection.level, selection.name, "Kreis", what=what), link="gebiete",
                       file=f"rollout-{'-'.join(params.values())}-kreise")
    if selection.mode == "themenfeld":
        return MapView(kind="germany_by_land", base="/rollout", params=params,
                       values=karten.ranking_shades(selection.ranking), link="laender",
                       title=f"Karte: mittlere Abdeckung der OZG-Leistungen im Themenfeld {selection.name} je Land",
                       legend_title=karten.THEMENFELD_LEGEND, file=f"rollout-{params['themenfeld']}-laender")
    return MapView(kind="germany_by_land", base="/rollout", params=params, link="laender",
                   values=karten.land_shades(selection.lands, selection.level or ""),
                   title=karten.title(selection.level, selection.name, "Land", what=what),
                   file=f"rollout-{'-'.join(params.values())}-laender")


class LandSelection(msgspec.Struct, frozen=True, kw_only=True):
    """What a Land's Kreis map shows: ``landesebene`` when the chosen rollout has no units inside
    the Kreise (the Land itself is the one eligible unit)."""

    mode: Literal["loesung", "ozg", "landesebene", "leer"]
    params: dict[str, str]
    name: str = ""
    slug: str | None = None  # of a solution, for its page link
    level: str | None = None
    figures: ForecastFigures | None = None  # the Land's
    kreise: list[KreisFigures] = []


def default_solution(overview: LandOverview) -> str | None:
    """The Land page opens on its widest-spread solution with units inside the Kreise."""
    fine = [s for s in overview.solutions if s.solution.rollout_level != "land"]
    fine.sort(key=lambda s: (-(s.figures.share_by_count or 0), -s.figures.covered_units, s.solution.name))
    return fine[0].solution.slug if fine else None


async def land_selection(overview: LandOverview, loesung: str | None, ozg_id: str | None) -> LandSelection:
    code = overview.land.code
    if ozg_id and not loesung:
        result = await rollout.ozg_rollout(ozg_id)
        level, params = result.rollout_level, {"ozg": ozg_id}
        figures = next(lf.figures for lf in result.lands if lf.land.code == code)
        kreise = [] if level == "land" else await rollout.ozg_kreise(ozg_id, code)
        return LandSelection(mode="landesebene" if level == "land" else "ozg", params=params,
                             name=result.ozg_leistung.name, level=level, figures=figures, kreise=kreise)
    key = loesung or default_solution(overview)
    if key is None:
        return LandSelection(mode="leer", params={})
    known = {s.solution.slug: s.solution for s in overview.solutions}
    # A Land-level rollout has no Kreis drill-down (the core refuses it): ask for the Land alone.
    by = "land" if key in known and known[key].rollout_level == "land" else "kreis"
    result = await rollout.solution_rollout(key, land=code, by=by)
    solution = result.solution
    return LandSelection(mode="landesebene" if solution.rollout_level == "land" else "loesung",
                         params={"loesung": solution.slug}, name=solution.name, slug=solution.slug,
                         level=solution.rollout_level, figures=result.lands[0].figures, kreise=result.kreise or [])


def land_map(selection: LandSelection, code: str) -> MapView | None:
    if selection.mode not in ("loesung", "ozg"):
        return None
    land = land_names()[code].name
    what = "online anbieten" if selection.mode == "ozg" else "live nutzen"
    return MapView(kind="land_by_kreis", land=code, base=f"/laender/{code}", params=selection.params,
                   values=karten.kreis_shades(selection.kreise, selection.level or ""), link="gebiete",
                   kreise=selection.kreise,
                   title=karten.title(selection.level, selection.name, "Kreis", land=land, what=what),
                   file=f"{code}-{'-'.join(selection.params.values())}-kreise", dom_id=f"karte-{code}")
