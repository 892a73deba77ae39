"""Area records as the core hands them out, and the filter of the area listing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import Meta

from efa_registry.kit.wire import Query, Record
from efa_registry.types import LAND_PATTERN, AreaLevel

# Levels whose units are municipalities for rollout denominators (gemeindefreie Gebiete are not).
MUNICIPALITY_LEVEL = "gemeinde"


class Area(Record):
    ars: str
    ags: str | None
    name: str
    level: AreaLevel
    textkennzeichen: str | None
    parent: str | None
    land: str
    iso_code: str | None
    seat: str | None
    population: int | None
    area_ha: int | None
    gebietsstand: dt.date | None
    is_municipality: bool
    current: bool


class LandSummary(Record):
    """A Bundesland with its counts: Gemeinden exclude gemeindefreie Gebiete; Kreise include
    kreisfreie Städte; population is the sum over all Satzart-60 records of the GV100AD."""

    ars: str = msgspec.field(name="code")
    iso_code: str | None
    name: str
    gemeinden: int
    gemeindefreie_gebiete: int
    kreise: int
    population: int | None
    gebietsstand: dt.date | None


class AreaFilter(Query):
    level: Annotated[AreaLevel, Meta(description="Area level")] | None = None
    land: Annotated[str, Meta(pattern=LAND_PATTERN, description="Land key (2 digits)")] | None = None
    parent: Annotated[str, Meta(pattern=r"^[0-9]{2,12}$", description="Parent ARS")] | None = None
    q: Annotated[str, Meta(min_length=2, max_length=100, description="Name part")] | None = None
