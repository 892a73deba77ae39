"""Rollout figures: per solution, OZG-Leistung and Land, and the solutions × Länder matrix.

One controller at `/v1` whose handlers name their full paths: the figures hang below resources of
the catalogue and area controllers (`/v1/solutions/{key}/rollout` …). Responses must be
revalidated (`no-cache` + strong ETag): the figures change the moment an adoption goes live.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Annotated, Any, Literal

import msgspec
from litestar import MediaType, Response, get
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter

from api.concurrency import RevalidatedController
from api.params import query_of
from api.rollout.schemas import LandOverview, OzgRollout, SolutionRollout, Timeline
from efa_registry.rollout import service
from efa_registry.rollout.model import Matrix, MatrixFilter
from efa_registry.types import OZG_ID_PATTERN

LAND_CODE_PATTERN = r"^((0[1-9]|1[0-6])|DE-[A-Za-z]{2})$"

SolutionKey = Annotated[str, PathParameter(description="Solution UUID or slug", max_length=80)]
OzgIdPath = Annotated[str, PathParameter(name="ozgId", pattern=OZG_ID_PATTERN, description="OZG-ID, e.g. `10000`")]
LandCode = Annotated[str, PathParameter(pattern=LAND_CODE_PATTERN,
                                        description="Land key (`05`) or ISO 3166-2 code (`DE-NW`)")]


class _EncodedResults:
    """The JSON (and its ETag) of the large cached results, reused while the core hands out the
    very same result object: its cache says nothing changed, so neither did the encoding."""

    def __init__(self, size: int = 256) -> None:
        self._memo: OrderedDict[Hashable, tuple[Any, bytes, str]] = OrderedDict()
        self._size = size

    def response(self, key: Hashable, result: Any, to_wire: Callable[[Any], msgspec.Struct] = lambda r: r
                 ) -> Response:
        memo = self._memo.get(key)
        if memo is None or memo[0] is not result:
            body = msgspec.json.encode(to_wire(result))
            memo = (result, body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
            self._memo[key] = memo
            while len(self._memo) > self._size:
                self._memo.popitem(last=False)
        self._memo.move_to_end(key)
        return Response(content=memo[1], media_type=MediaType.JSON, headers={"ETag": memo[2]})


_encoded = _EncodedResults()


class RolloutController(RevalidatedController):
    path = "/v1"
    tags = ["Rollout"]

    @get("/solutions/{key:str}/rollout", operation_id="getSolutionRollout", summary="Rollout of a solution per Land")
    async def solution_rollout(
        self,
        key: SolutionKey,
        land: Annotated[str | None, QueryParameter(
            pattern=LAND_CODE_PATTERN, description="Only this Land (`05` or `DE-NW`)")] = None,
        by: Annotated[Literal["land", "kreis"], QueryParameter(
            description="`kreis` adds the figures of every Kreis of `land`")] = "land",
    ) -> Response[SolutionRollout]:
        """How many eligible units of each Land (and nationally) are live with this solution, by
        count and by population, with adoption counts per status, first and latest go-live, and a
        `forecast`: at the pace of the last 12 months, the month every eligible unit would be live.
        `?land=05&by=kreis` drills down to the Kreise of one Land."""
        rollout = await service.solution_rollout(key, land=land, by=by)
        return _encoded.response(("solution", key, land, by), rollout, SolutionRollout.of)

    @get("/solutions/{key:str}/rollout/timeline", operation_id="getSolutionRolloutTimeline",
         summary="Go-lives of a solution month by month")
    async def solution_timeline(self, key: SolutionKey) -> Timeline:
        """Cumulative covered units at the end of each month, per Land and nationally, from the
        first to the latest go-live."""
        return Timeline.of(await service.solution_timeline(key))

    @get("/ozg-leistungen/{ozgId:str}/rollout", operation_id="getOzgLeistungRollout",
         summary="Rollout of an OZG-Leistung per Land")
    async def ozg_rollout(self, ozg_id: OzgIdPath) -> OzgRollout:
        """The rollout figures of an OZG-Leistung per Land and nationally, each with its `forecast`:
        a unit is covered when it is live with any non-retired solution implementing the Leistung."""
        return OzgRollout.of(await service.ozg_rollout(ozg_id))

    @get("/lands/{code:str}/rollout", operation_id="getLandRollout",
         summary="Every solution and OZG-Leistung in one Land")
    async def land_rollout(self, code: LandCode) -> Response[LandOverview]:
        """The rollout figures in one Land of every solution and of every OZG-Leistung that has a
        non-retired solution."""
        overview = await service.land_overview(code)
        return _encoded.response(("land", overview.land.code), overview, LandOverview.of)

    @get("/rollout", operation_id="getRolloutMatrix", summary="Solutions × Länder, and the Länder ranking",
         dependencies={"flt": query_of(MatrixFilter)})
    async def matrix(self, flt: NamedDependency[MatrixFilter]) -> Response[Matrix]:
        """Coverage of every solution in every Land (columnar: each list follows `lands`), with
        national figures, and the Länder ranked by how many OZG-Leistungen they cover
        flächendeckend. `themenfeld` and `ozgId` also narrow the ranking's OZG-Leistungen."""
        return _encoded.response(("matrix", flt), await service.matrix(flt))
