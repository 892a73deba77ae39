"""Area records as the core hands them out, and the filter of the area listing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from efa_registry.kit.wire import Command, Query, Record
from efa_registry.types import LAND_PATTERN, AreaLevel

# Levels whose units are municipalities for rollout denominators (gemeindefreie Gebiete are not).
MUNICIPALITY_LEVEL = "gemeinde"


class AreaFacts(Record):
    """What the GV100AD states of every area: its keys, name, level, Textkennzeichen, parent and Land."""

    ars: str
    ags: str | None
    name: str
    level: AreaLevel
    textkennzeichen: str | None
    parent: str | None
    land: str


class Area(AreaFacts):
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
    q: Annotated[str, Meta(min_length=2, max_length=100, description=(
        "A name as people write it (`Muelheim a.d. Ruhr`, `Lkr. München`, `St. Wendel`, typos too), or its "
        "beginning; best match first"))] | None = None


# --------------------------------------------------------------------------- names typed by hand

MAX_NAMES = 500  # names per resolve request: a Land's Gemeinden in a few requests, and well under a second


class NameToResolve(Command):
    """A place or authority name as someone wrote it, with what else is known of where it lies."""

    name: Annotated[str, Meta(min_length=1, max_length=200, description="e.g. `Stadt Mülheim a.d. Ruhr`")]
    land: Annotated[str, Meta(min_length=2, max_length=40, description=(
        "Land hint: key (`05`), ISO code (`DE-NW`, `NW`) or name (`Nordrhein-Westfalen`)"))] | None = None
    kreis: Annotated[str, Meta(min_length=2, max_length=100, description=(
        "Kreis hint: 5-digit key or name (`Rhein-Sieg-Kreis`)"))] | None = None


class ResolveNames(Command):
    names: Annotated[list[NameToResolve], Meta(min_length=1, max_length=MAX_NAMES)]


class AreaMatch(Record):
    ars: str
    name: str
    level: AreaLevel
    score: float


class NameResolution(Record):
    """The answer for one name: ``exact`` (as the directory writes it, and no other) or
    ``probable`` (a near miss or short form, one clear winner) with the ARS; ``ambiguous`` (several
    areas fit equally well: choose among ``alternatives``, nothing is guessed) or ``unknown``."""

    query: str
    verdict: Literal["exact", "probable", "ambiguous", "unknown"]
    ars: str | None
    name: str | None
    level: AreaLevel | None
    score: float
    alternatives: list[AreaMatch]


class Resolved(Record):
    results: list[NameResolution]
