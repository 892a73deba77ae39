"""Area records as the core hands them out."""

from __future__ import annotations

import datetime as dt

import msgspec

from efa_registry.types import AreaLevel

# Levels whose units are municipalities for rollout denominators (gemeindefreie Gebiete are not).
MUNICIPALITY_LEVEL = "gemeinde"


class Area(msgspec.Struct, frozen=True, kw_only=True):
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
    current: bool = True


class LandSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A Land with the counts the rollout denominators are built from."""

    ars: str
    iso_code: str | None
    name: str
    gemeinden: int
    gemeindefreie_gebiete: int
    kreise: int
    population: int | None
    gebietsstand: dt.date | None


class AreaFilter(msgspec.Struct, frozen=True, kw_only=True):
    level: AreaLevel | None = None
    land: str | None = None
    parent: str | None = None
    q: str | None = None
