"""Wire shapes of the rollout figures where they differ from the core records.

The wire flattens a row's figures into the row — a Land, Kreis, solution or OZG-Leistung with its
figures side by side (``{"land": "05", "name": …, "eligibleUnits": …}``) — where the core nests
them (``LandFigures.figures``), and it writes a timeline's months as ``YYYY-MM``. Everything else
(figures, status counts, references, the ranking, the whole matrix) is the core record itself.
"""

from __future__ import annotations

from typing import Any

import msgspec

from efa_registry.rollout import model
from efa_registry.rollout.model import Figures, ForecastFigures
from efa_registry.types import RolloutLevel


def _flat(figures: Figures, **row: Any) -> dict[str, Any]:
    return {**msgspec.structs.asdict(figures), **row}


class LandFigures(ForecastFigures):
    """The figures in one Land (`land` is its 2-digit key), with the Land's forecast."""

    land: str
    iso_code: str | None
    name: str

    @classmethod
    def of(cls, x: model.LandFigures) -> LandFigures:
        return cls(**_flat(x.figures, land=x.land.code, iso_code=x.land.iso_code, name=x.land.name))


class KreisFigures(Figures):
    """A Kreis or kreisfreie Stadt: the eligible units inside it and the adoptions located in it."""

    ars: str
    name: str

    @classmethod
    def of(cls, x: model.KreisFigures) -> KreisFigures:
        return cls(**_flat(x.figures, ars=x.ars, name=x.name))


class SolutionRollout(model.SolutionRollout, omit_defaults=True):
    """A solution's rollout per Land and nationally, each with its `forecast`; `kreise` only with
    `by=kreis` (figures without a forecast)."""

    lands: list[LandFigures]
    kreise: list[KreisFigures] | None = None

    @classmethod
    def of(cls, r: model.SolutionRollout) -> SolutionRollout:
        return cls(solution=r.solution, national=r.national, lands=[LandFigures.of(x) for x in r.lands],
                   kreise=None if r.kreise is None else [KreisFigures.of(x) for x in r.kreise])


class Timeline(model.Timeline):
    """Cumulative covered units at the end of each month of `months` (`YYYY-MM`, from the first
    to the latest go-live); a unit counts from the first month any live adoption covered it."""

    months: list[str]

    @classmethod
    def of(cls, t: model.Timeline) -> Timeline:
        return cls(**{**msgspec.structs.asdict(t), "months": [f"{m.year:04d}-{m.month:02d}" for m in t.months]})


class OzgRollout(model.OzgRollout):
    """An OZG-Leistung's rollout over the union of its non-retired solutions. `levelSource` says
    where `rolloutLevel` comes from: the Leistung's `execution_level`, the finest level of its
    `solutions`, or the `default` (gemeinde)."""

    lands: list[LandFigures]

    @classmethod
    def of(cls, r: model.OzgRollout) -> OzgRollout:
        return cls(**{**msgspec.structs.asdict(r), "lands": [LandFigures.of(x) for x in r.lands]})


class SolutionInLand(Figures):
    solution: model.SolutionRef


class OzgInLand(Figures):
    ozg_leistung: model.OzgRef
    rollout_level: RolloutLevel


class LandOverview(model.LandOverview):
    """Every solution and every OZG-Leistung with a non-retired solution, with their figures in
    one Land."""

    solutions: list[SolutionInLand]
    ozg_leistungen: list[OzgInLand]

    @classmethod
    def of(cls, o: model.LandOverview) -> LandOverview:
        return cls(land=o.land,
                   solutions=[SolutionInLand(**_flat(x.figures, solution=x.solution)) for x in o.solutions],
                   ozg_leistungen=[OzgInLand(**_flat(x.figures, ozg_leistung=x.ozg_leistung,
                                                     rollout_level=x.rollout_level)) for x in o.ozg_leistungen])
