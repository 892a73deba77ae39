"""How far is my Kommune: an area's scorecard, areas compared with their peers, and a solution's
eligible units that have not docked yet (JSON pages and CSV).

Responses must be revalidated (`no-cache` + strong ETag): they change the moment an adoption goes live.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Request, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import PathParameter, QueryParameter
from litestar.response import Stream

from api.concurrency import RevalidatedController
from api.params import After, Limit, bounded_limit, next_link
from api.scorecard.schemas import MissingPage
from efa_registry.scorecard import missing, service
from efa_registry.scorecard.model import Comparison, Scorecard

AREA_KEY = r"^([0-9]{2,5}|[0-9]{8,9}|[0-9]{12})$"
AreaKey = Annotated[str, PathParameter(pattern=AREA_KEY, description="ARS (2–12 digits) or 8-digit AGS",
                                       examples=[Example(value="05112000")])]
SolutionKey = Annotated[str, PathParameter(description="Solution UUID or slug", max_length=80)]
LandQuery = Annotated[str | None, QueryParameter(
    pattern=r"^((0[1-9]|1[0-6])|DE-[A-Za-z]{2})$", description="Only this Land (`05` or `DE-NW`)")]
KreisQuery = Annotated[str | None, QueryParameter(
    pattern=r"^[0-9]{5}$", description="Only this Kreis or kreisfreie Stadt (5-digit ARS, e.g. `05158`)")]


def _problem(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=None, description=description)


NOT_SCORED = _problem("The area is a Land, Regierungsbezirk, Region or gemeindefreies Gebiet, or no longer current"
                      " (`field`: `ars`)")
SCORECARD_PROBLEMS = {400: _problem("Malformed ARS/AGS or an unknown query parameter (`field` names it)"),
                      404: _problem("No area with this ARS/AGS (`field`: `ars`)"), 422: NOT_SCORED}
COMPARE_PROBLEMS = {400: _problem("Fewer than 2 or more than 10 areas, a malformed key, an area listed twice (also"
                                  " a kreisfreie Stadt by its AGS and its Kreis key) or an unknown query parameter"
                                  " (`field` names it)"),
                    404: _problem("One of the areas does not exist (`field`: `ars`)"), 422: NOT_SCORED}
MISSING_PROBLEMS = {400: _problem("Malformed `land`, `kreis`, `limit` or `after`, `land` and `kreis` together, or an"
                                  " unknown query parameter (`field` names it)"),
                    404: _problem("No such solution, Land or Kreis (`field` names it)"),
                    422: _problem("`kreis` for a Land-level solution (its units are Länder)")}


class ScorecardController(RevalidatedController):
    path = "/v1/areas"
    tags = ["Scorecard"]

    @get("/compare", operation_id="compareAreas", summary="Compare areas with each other and their peers",
         responses=COMPARE_PROBLEMS)
    async def compare(
        self,
        ars: Annotated[list[str] | None, QueryParameter(
            description="2–10 areas: repeated (`ars=05112000&ars=05915000`) or comma-separated; ARS or AGS")] = None,
    ) -> Comparison:
        """Breadth (Leistungen online), depth (Reifegrad distribution per model) and what is in preparation of
        each area, side by side, with its peers: same Land, same kind (kreisfreie Stadt, kreisangehörige
        Gemeinde, Kreis, Gemeindeverband), half to twice its population; and its rank among them by the
        Leistungen online for the whole area, equal counts sharing a rank (1, 1, 3). No combined score: breadth
        and depth stay apart. Fewer than 2, more than 10, malformed or repeated areas are a 400 naming `ars`."""
        return await service.compare(ars or [])

    @get("/{ars:str}/scorecard", operation_id="getAreaScorecard", summary="What an area's residents can use online",
         responses=SCORECARD_PROBLEMS)
    async def get_scorecard(self, ars: AreaKey) -> Scorecard:
        """The OZG-Leistungen the residents of a Gemeinde (a kreisfreie Stadt by its AGS or Kreis key), a
        Gemeindeverband or a Kreis can use online through live adoptions: its own and those inherited from its
        Kreis, Verband, Regierungsbezirk or Land (each marked, with the adopter's name), counted overall and per
        Themenfeld, each with its depth (deepest Reifegrad per model, and which solutions reach it), and the
        adoptions in preparation with their planned dates. Counted as the OZG-Leistung's rollout counts it. For a
        Kreis or Gemeindeverband a Leistung is `online` when every one of its units (its Gemeinden for a
        Gemeinde-level Leistung) is covered, `partial` when some are. A Land is a 422: see
        `GET /v1/lands/{code}/rollout`."""
        return await service.scorecard(ars)


class SolutionMissingController(RevalidatedController):
    path = "/v1/solutions/{key:str}/rollout"
    tags = ["Rollout"]

    @get("/missing", operation_id="listSolutionRolloutMissing", summary="Eligible units not yet live",
         responses=MISSING_PROBLEMS)
    async def list_missing(self, request: Request, key: SolutionKey, land: LandQuery = None, kreis: KreisQuery = None,
                           limit: Limit = 50, after: After = None) -> MissingPage:
        """Who has not docked yet: the eligible units at the solution's rollout level (Gemeinden, Kreise incl.
        kreisfreie Städte, or Länder) in `land`, in `kreis` or nationally that no live adoption covers, by
        itself or by an area containing it (a Gemeinde covered by its Kreis is not missing), each with the
        furthest status of the adoptions that would cover it and its population; paged by ARS. The totals are
        the solution's rollout figures: `missingUnits` + `coveredUnits` = `eligibleUnits`."""
        result = await missing.missing(key, land=land, kreis=kreis, limit=bounded_limit(request, limit), after=after)
        return MissingPage.of(result, next=next_link(request, result.next_cursor), limit=limit)

    @get("/missing.csv", operation_id="exportSolutionRolloutMissing", summary="Eligible units not yet live, as CSV",
         media_type="text/csv", responses=MISSING_PROBLEMS)
    async def export_missing(self, key: SolutionKey, land: LandQuery = None, kreis: KreisQuery = None) -> Stream:
        """Every unit of the not-yet-docked list in one CSV file (RFC 4180, header row, LF line ends, empty
        cell = none), by ARS: `ars, ags, name, level, population, kreisArs, kreisName, status, statusFromArs,
        statusFromName, statusOrigin, plannedLiveOn`."""
        filename, chunks = await missing.missing_csv(key, land=land, kreis=kreis)
        return Stream(chunks, media_type="text/csv; header=present",
                      headers={"Content-Disposition": f'attachment; filename="{filename}"'})


CONTROLLERS = [ScorecardController, SolutionMissingController]
