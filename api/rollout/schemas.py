"""Wire shapes of the rollout figures (they mirror efa_registry.rollout.model field by field)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import msgspec

from api.schemas import WireOut
from efa_registry.rollout import model
from efa_registry.types import RolloutLevel, SolutionStatus


class StatusCounts(WireOut):
    """Adoptions located in the area, by lifecycle status (withdrawn ones included)."""

    interested: int
    agreed: int
    onboarding: int
    live: int
    paused: int
    withdrawn: int


class Figures(WireOut):
    """Rollout figures of one area. `eligibleUnits` are the units at the rollout level that must
    each be live (Gemeinden without gemeindefreie Gebiete, Kreise incl. kreisfreie Städte, or the
    Land); a unit is covered when a live adoption by it or by an area containing it exists.
    Shares are null when there is nothing to cover. `flaechendeckend` only when every eligible
    unit is covered."""

    eligible_units: int
    covered_units: int
    eligible_population: int
    covered_population: int
    share_by_count: float | None
    share_by_population: float | None
    flaechendeckend: bool
    available_somewhere: bool
    adoptions: StatusCounts
    first_go_live: dt.date | None
    latest_go_live: dt.date | None


class LandRef(WireOut):
    code: str
    iso_code: str | None
    name: str


class RolloutSolution(WireOut):
    """A solution as the rollout figures name it."""

    id: uuid.UUID
    slug: str
    name: str
    status: SolutionStatus
    rollout_level: RolloutLevel


class RolloutOzgLeistung(WireOut):
    """An OZG-Leistung as the rollout figures name it."""

    ozg_id: str
    name: str
    themenfeld: str
    execution_level: str | None


def _figures(f: model.Figures) -> dict[str, object]:
    values = {name: getattr(f, name) for name in Figures.__struct_fields__}
    values["adoptions"] = StatusCounts(**msgspec.structs.asdict(f.adoptions))
    return values


class NationalFigures(Figures):
    """The figures over all Länder."""

    @classmethod
    def of(cls, f: model.Figures) -> NationalFigures:
        return cls(**_figures(f))  # type: ignore[arg-type]


class LandFigures(Figures):
    """The figures in one Land (`land` is its 2-digit key)."""

    land: str
    iso_code: str | None
    name: str

    @classmethod
    def of(cls, x: model.LandFigures) -> LandFigures:
        return cls(land=x.land.code, iso_code=x.land.iso_code, name=x.land.name, **_figures(x.figures))  # type: ignore[arg-type]


class KreisFigures(Figures):
    """A Kreis or kreisfreie Stadt: the eligible units inside it and the adoptions located in it."""

    ars: str
    name: str

    @classmethod
    def of(cls, x: model.KreisFigures) -> KreisFigures:
        return cls(ars=x.ars, name=x.name, **_figures(x.figures))  # type: ignore[arg-type]


class SolutionRollout(WireOut, omit_defaults=True):
    """A solution's rollout per Land and nationally; `kreise` only with `by=kreis`."""

    solution: RolloutSolution
    national: NationalFigures
    lands: list[LandFigures]
    kreise: list[KreisFigures] | None = None

    @classmethod
    def of(cls, r: model.SolutionRollout) -> SolutionRollout:
        return cls(solution=_ref(r.solution), national=NationalFigures.of(r.national),
                   lands=[LandFigures.of(x) for x in r.lands],
                   kreise=None if r.kreise is None else [KreisFigures.of(x) for x in r.kreise])


def _ozg(o: model.OzgRef) -> RolloutOzgLeistung:
    return RolloutOzgLeistung(ozg_id=o.ozg_id, name=o.name, themenfeld=o.themenfeld, execution_level=o.execution_level)


def _ref(s: model.SolutionRef) -> RolloutSolution:
    return RolloutSolution(id=s.id, slug=s.slug, name=s.name, status=s.status, rollout_level=s.rollout_level)


class LandSeries(WireOut):
    land: LandRef
    eligible_units: int
    covered: list[int]


class Timeline(WireOut):
    """Cumulative covered units at the end of each month of `months` (`YYYY-MM`, from the first
    to the latest go-live); a unit counts from the first month any live adoption covered it."""

    solution: RolloutSolution
    months: list[str]
    lands: list[LandSeries]
    national: list[int]

    @classmethod
    def of(cls, t: model.Timeline) -> Timeline:
        return cls(solution=_ref(t.solution),
                   months=[m.strftime("%Y-%m") for m in t.months],
                   lands=[msgspec.convert(s, LandSeries, from_attributes=True) for s in t.lands],
                   national=t.national)


class OzgRollout(WireOut):
    """An OZG-Leistung's rollout over the union of its non-retired solutions. `levelSource` says
    where `rolloutLevel` comes from: the Leistung's `execution_level`, the finest level of its
    `solutions`, or the `default` (gemeinde)."""

    ozg_leistung: RolloutOzgLeistung
    rollout_level: RolloutLevel
    level_source: Literal["execution_level", "solutions", "default"]
    solutions: list[RolloutSolution]
    national: NationalFigures
    lands: list[LandFigures]

    @classmethod
    def of(cls, r: model.OzgRollout) -> OzgRollout:
        return cls(ozg_leistung=_ozg(r.ozg_leistung),
                   rollout_level=r.rollout_level, level_source=r.level_source,  # type: ignore[arg-type]
                   solutions=[_ref(s) for s in r.solutions], national=NationalFigures.of(r.national),
                   lands=[LandFigures.of(x) for x in r.lands])


class SolutionInLand(Figures):
    solution: RolloutSolution


class OzgInLand(Figures):
    ozg_leistung: RolloutOzgLeistung
    rollout_level: RolloutLevel


class LandOverview(WireOut):
    """Every solution and every OZG-Leistung with a non-retired solution, with their figures in
    one Land."""

    land: LandRef
    solutions: list[SolutionInLand]
    ozg_leistungen: list[OzgInLand]

    @classmethod
    def of(cls, o: model.LandOverview) -> LandOverview:
        return cls(
            land=LandRef(code=o.land.code, iso_code=o.land.iso_code, name=o.land.name),
            solutions=[SolutionInLand(solution=_ref(x.solution), **_figures(x.figures))  # type: ignore[arg-type]
                       for x in o.solutions],
            ozg_leistungen=[OzgInLand(ozg_leistung=_ozg(x.ozg_leistung), rollout_level=x.rollout_level,
                                      **_figures(x.figures))  # type: ignore[arg-type]
                            for x in o.ozg_leistungen])


class RankingEntry(WireOut):
    rank: int
    land: str
    iso_code: str | None
    name: str
    flaechendeckend_ozg_leistungen: int
    ozg_leistungen: int
    mean_share_by_count: float


class MatrixRow(WireOut):
    """One solution; each list has one value per entry of the matrix's `lands`, in that order."""

    solution: RolloutSolution
    national: NationalFigures
    eligible_units: list[int]
    covered_units: list[int]
    share_by_count: list[float | None]
    share_by_population: list[float | None]
    flaechendeckend: list[bool]


class Matrix(WireOut):
    """Solutions × Länder, and the Länder ranked by the number of OZG-Leistungen they cover
    flächendeckend (ties by mean coverage share)."""

    lands: list[LandRef]
    rows: list[MatrixRow]
    ranking: list[RankingEntry]

    @classmethod
    def of(cls, m: model.Matrix) -> Matrix:
        return msgspec.convert(m, cls, from_attributes=True)
