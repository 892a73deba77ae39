"""Wire shapes of areas and Länder."""

from __future__ import annotations

import datetime as dt

from api.schemas import WireOut
from efa_registry.areas.model import Area as AreaRecord
from efa_registry.areas.model import LandSummary
from efa_registry.types import AreaLevel


class Area(WireOut):
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

    @classmethod
    def of(cls, a: AreaRecord) -> Area:
        return cls(ars=a.ars, ags=a.ags, name=a.name, level=a.level,
                   textkennzeichen=a.textkennzeichen, parent=a.parent, land=a.land,
                   iso_code=a.iso_code, seat=a.seat, population=a.population, area_ha=a.area_ha,
                   gebietsstand=a.gebietsstand, is_municipality=a.level == "gemeinde",
                   current=a.current)


class Land(WireOut):
    """A Bundesland with its counts: Gemeinden exclude gemeindefreie Gebiete; Kreise include
    kreisfreie Städte; population is the sum over all Satzart-60 records of the GV100AD."""

    code: str
    iso_code: str | None
    name: str
    gemeinden: int
    gemeindefreie_gebiete: int
    kreise: int
    population: int | None
    gebietsstand: dt.date | None

    @classmethod
    def of(cls, s: LandSummary) -> Land:
        return cls(code=s.ars, iso_code=s.iso_code, name=s.name, gemeinden=s.gemeinden,
                   gemeindefreie_gebiete=s.gemeindefreie_gebiete, kreise=s.kreise,
                   population=s.population, gebietsstand=s.gebietsstand)
