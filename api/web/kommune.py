"""How far is my Kommune, in the pages that already exist: the context of the sections the Gebiet,
Lösung and Land pages include (``_steckbrief.html``, ``_nicht_angedockt.html``,
``_nicht_angedockt_land.html``). Each page handler calls one function here.

The figures are the core's (``efa_registry.scorecard``); ``kommune_views`` words them. The page
``/vergleich`` has its own controller (``vergleich``), which imports the page controller's context.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import msgspec
from litestar import Request

from api.web import kommune_views as kv
from api.web.views import land_name_map, with_param
from efa_registry.areas.model import Area
from efa_registry.errors import InvalidInput, InvalidParameter, NotFound
from efa_registry.rollout.model import LandOverview
from efa_registry.scorecard import missing, service
from efa_registry.scorecard.model import MissingList, ModelDistribution, Scorecard, ThemenfeldCounts
from efa_registry.solutions.model import Solution

MISSING_PAGE = 50
SCOPE_PARAM, CURSOR_PARAM = "nicht-angedockt", "nicht-angedockt-nach"
SCOPE = re.compile(r"^(DE|0[1-9]|1[0-6]|[0-9]{5})$")  # Germany, a Land key or a Kreis key
NATIONAL = "DE"
NOT_SCORED = {"regierungsbezirk": "einen Regierungsbezirk", "region": "eine Region",
              "gemeindefreies_gebiet": "ein gemeindefreies Gebiet"}


# --------------------------------------------------------------------------- Gebiet page: the scorecard


class Steckbrief(msgspec.Struct, frozen=True):
    """The scorecard section of a Gebiet page, or why an area has none (``reason``)."""

    card: Scorecard | None
    reason: str | None = None
    land_link: str | None = None
    compare_url: str | None = None
    sentence: str = ""
    models: list[ModelDistribution] = []  # only the Reifegrad models some online Leistung has
    themen: list[ThemenfeldCounts] = []  # only Themenfelder with a solution
    themen_ohne: list[str] = []
    themen_names: dict[str, str] = {}


async def steckbrief(area: Area) -> Steckbrief:
    """The scorecard of a Gemeinde, Gemeindeverband or Kreis; for a Land the way to its overview."""
    if area.level == "land":
        return Steckbrief(None, reason="land", land_link=f"/laender/{area.land}")
    if area.level in NOT_SCORED:
        return Steckbrief(None, reason="Einen Steckbrief gibt es für Gemeinden, Gemeindeverbände und Kreise, nicht "
                                       f"für {NOT_SCORED[area.level]}.")
    if not area.current:
        return Steckbrief(None, reason=f"{area.name} ist kein aktuelles Gebiet mehr; einen Steckbrief gibt es nur "
                                       "für aktuelle Gebiete.")
    card = await service.scorecard(area.ars)
    return Steckbrief(
        card, compare_url=kv.compare_url([kv.area_key(area)]), sentence=kv.breadth_sentence(area.name, card.summary),
        models=kv.populated(card.depth.models), themen=[t for t in card.themenfelder if t.with_solution],
        themen_ohne=[t.name for t in card.themenfelder if not t.with_solution],
        themen_names={t.key: t.name for t in card.themenfelder})


# --------------------------------------------------------------------------- Lösung page: not yet docked


class NichtAngedockt(msgspec.Struct, frozen=True):
    """The not-yet-docked section: ``result`` is None until a Land is chosen (see ``nicht_angedockt``)."""

    result: MissingList | None
    scope: str
    options: list[tuple[str, str]]
    paged: bool
    more_url: str | None
    first_url: str
    csv_url: str


async def nicht_angedockt(request: Request, solution: Solution) -> NichtAngedockt:
    """The units of ``solution`` not live yet in the Land or Kreis of ``?nicht-angedockt=`` (``DE``: all
    of Germany), one page of ``MISSING_PAGE`` by ARS after ``?nicht-angedockt-nach=``.

    Without a choice only a Land-level solution lists its units (16 at most): a list of all of Germany's
    Gemeinden in key order helps nobody, costs the most, and the page's rollout figures already give the
    national totals."""
    scope = (request.query_params.get(SCOPE_PARAM) or "").strip().upper()
    cursor = (request.query_params.get(CURSOR_PARAM) or "").strip() or None
    if scope and not SCOPE.match(scope):
        raise InvalidParameter(f"no Land or Kreis key: {scope!r}", field=SCOPE_PARAM)
    if not scope and solution.rollout_level == "land":
        scope = NATIONAL
    land, kreis = (scope, None) if len(scope) == 2 and scope != NATIONAL else (None, scope if len(scope) == 5 else None)
    options = [(NATIONAL, "Deutschland (alle Länder)"), *sorted(land_name_map().items())]
    csv_url = f"/v1/solutions/{solution.slug}/rollout/missing.csv" + (
        f"?{urlencode({'land' if land else 'kreis': land or kreis})}" if land or kreis else "")
    if not scope:
        return NichtAngedockt(None, scope, options, paged=False, more_url=None, first_url=request.url.path,
                              csv_url=csv_url)
    try:
        result = await missing.missing(solution.slug, land=land, kreis=kreis, limit=MISSING_PAGE, after=cursor)
    except (InvalidInput, NotFound) as exc:  # the page's own parameter names, not the API's
        raise type(exc)(exc.detail, field=CURSOR_PARAM if exc.field == "after" else SCOPE_PARAM) from exc
    if kreis:
        options.append((kreis, f"{result.scope.name} (Kreis)"))
    return NichtAngedockt(
        result, scope, options, paged=cursor is not None,
        more_url=with_param(request, CURSOR_PARAM, result.next_cursor) if result.next_cursor else None,
        first_url=f"{request.url.path}?{urlencode({SCOPE_PARAM: scope})}", csv_url=csv_url)


# --------------------------------------------------------------------------- Land page: gaps per solution


class LandGap(msgspec.Struct, frozen=True):
    slug: str
    name: str
    level: str
    eligible: int
    covered: int
    missing: int
    href: str


class LandGaps(msgspec.Struct, frozen=True):
    rows: list[LandGap]
    total: int


def land_gaps(overview: LandOverview, limit: int | None) -> LandGaps:
    """Per solution of the Land's overview: eligible − live units, each linking to the solution's
    not-yet-docked list for the Land; the widest-spread first, ``limit`` rows of ``total``."""
    code = overview.land.code
    rows = [LandGap(e.solution.slug, e.solution.name, e.solution.rollout_level, e.figures.eligible_units,
                    e.figures.covered_units, e.figures.eligible_units - e.figures.covered_units,
                    f"/loesungen/{e.solution.slug}?{urlencode({SCOPE_PARAM: code})}#nicht-angedockt")
            for e in overview.solutions if e.figures.eligible_units]
    rows.sort(key=lambda r: (-(r.covered / r.eligible), r.name.casefold()))
    return LandGaps(rows[:limit], len(rows))


__all__ = ["land_gaps", "nicht_angedockt", "steckbrief"]
