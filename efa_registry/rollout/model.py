"""Rollout records as the core hands them out."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from efa_registry.kit.wire import Query, Record
from efa_registry.types import OZG_ID_PATTERN, RolloutLevel, SolutionStatus


class Cell(msgspec.Struct, frozen=True, kw_only=True):
    """The raw counts of one (solution or OZG-Leistung) × (Land or Kreis), as stored."""

    eligible_units: int = 0
    eligible_population: int = 0
    covered_units: int = 0
    covered_population: int = 0
    interested: int = 0
    agreed: int = 0
    onboarding: int = 0
    live: int = 0
    paused: int = 0
    withdrawn: int = 0
    first_go_live: dt.date | None = None
    latest_go_live: dt.date | None = None


class StatusCounts(Record):
    """Adoptions located in the area, by lifecycle status (withdrawn ones included)."""

    interested: int
    agreed: int
    onboarding: int
    live: int
    paused: int
    withdrawn: int


class Figures(Record):
    """Rollout figures of one area (derived from a ``Cell`` by ``rules.figures``). `eligibleUnits`
    are the units at the rollout level that must each be live (Gemeinden without gemeindefreie
    Gebiete, Kreise incl. kreisfreie Städte, or the Land); a unit is covered when a live adoption by
    it or by an area containing it exists. Shares are null when there is nothing to cover.
    `flaechendeckend` only when every eligible unit is covered."""

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


ForecastState = Literal["done", "on_track", "no_progress", "beyond_horizon", "no_units"]


class Forecast(Record):
    """When every eligible unit would be live at the pace of the last 12 months (method and limits:
    ``forecast``, docs/forecast.md). `state`: `done` (every eligible unit live), `on_track`
    (`completeBy` is the first day of the month by which the rest would be live), `no_progress`
    (no unit went live in the window: not at this pace), `beyond_horizon` (later than 100 years
    from now) or `no_units` (nothing is eligible). `pacePerMonth` is the units newly
    live in the window (`windowStart`…`windowEnd`, today) divided by 12; a unit counts once, on
    the first day any live adoption (its own or one of an area containing it) covered it."""

    state: ForecastState
    eligible_units: int
    live_units: int
    remaining_units: int
    pace_per_month: float | None  # None only without eligible units
    complete_by: dt.date | None  # first day of the month; only when on_track
    window_start: dt.date
    window_end: dt.date  # today
    go_lives_in_window: int


class ForecastFigures(Figures):
    """Rollout figures with the forecast of when they would be flächendeckend at the recent pace."""

    forecast: Annotated[Forecast, Meta(description=(
        "At the pace of the last 12 months (units newly covered in the window / 12, linear), the month "
        "in which every eligible unit would be live, or why there is none (`state`). Each unit counts "
        "once, on the day a live adoption first covered it: a Kreis or Land adoption counts as one "
        "go-live for every unit it covers. Go-lives of adoptions withdrawn since are not counted, dates "
        "after today neither. Method and limits: docs/forecast.md."))]


class LandRef(Record):
    code: str
    iso_code: str | None
    name: str


class SolutionRef(Record):
    """A solution as the rollout figures name it."""

    id: uuid.UUID
    slug: str
    name: str
    status: SolutionStatus
    rollout_level: RolloutLevel


class OzgRef(Record):
    """An OZG-Leistung as the rollout figures name it."""

    ozg_id: str
    name: str
    themenfeld: str
    execution_level: str | None


class LandFigures(Record):
    land: LandRef
    figures: ForecastFigures


class KreisFigures(Record):
    ars: str
    name: str
    figures: Figures


class SolutionRollout(Record):
    """A solution's figures per Land and nationally; ``kreise`` only when drilled down."""

    solution: SolutionRef
    lands: list[LandFigures]
    national: ForecastFigures
    kreise: list[KreisFigures] | None = None


class LandSeries(Record):
    land: LandRef
    eligible_units: int
    covered: list[int]


class Timeline(Record):
    """Cumulative covered units at the end of each month (``months`` are first-of-month dates)."""

    solution: SolutionRef
    months: list[dt.date]
    lands: list[LandSeries]
    national: list[int]


class OzgRollout(Record):
    """An OZG-Leistung's figures over the union of its non-retired solutions."""

    ozg_leistung: OzgRef
    rollout_level: RolloutLevel
    level_source: Literal["execution_level", "solutions", "default"]
    solutions: list[SolutionRef]
    lands: list[LandFigures]
    national: ForecastFigures


class SolutionInLand(Record):
    solution: SolutionRef
    figures: Figures


class OzgInLand(Record):
    ozg_leistung: OzgRef
    rollout_level: RolloutLevel
    figures: Figures


class LandOverview(Record):
    land: LandRef
    solutions: list[SolutionInLand]
    ozg_leistungen: list[OzgInLand]


class RankingEntry(Record):
    rank: int
    land: str
    iso_code: str | None
    name: str
    flaechendeckend_ozg_leistungen: int
    ozg_leistungen: int
    mean_share_by_count: float


class MatrixRow(Record):
    """One solution; each list has one value per entry of the matrix's `lands`, in that order
    (columnar: 600 × 16 cells stay a few hundred kilobytes and cheap to build)."""

    solution: SolutionRef
    national: Figures
    eligible_units: list[int]
    covered_units: list[int]
    share_by_count: list[float | None]
    share_by_population: list[float | None]
    flaechendeckend: list[bool]


class Matrix(Record):
    """Solutions × Länder, and the Länder ranked by the number of OZG-Leistungen they cover
    flächendeckend (ties by mean coverage share)."""

    lands: list[LandRef]
    rows: list[MatrixRow]
    ranking: list[RankingEntry]


class MatrixFilter(Query):
    """Narrow the matrix; ``themenfeld`` and ``ozg_id`` also narrow the ranking's OZG-Leistungen."""

    themenfeld: Annotated[str, Meta(
        max_length=60, description="Only solutions implementing an OZG-Leistung of this Themenfeld")] | None = None
    ozg_id: Annotated[str, Meta(
        pattern=OZG_ID_PATTERN, description="Only solutions implementing this OZG-Leistung")] | None = None
    status: Annotated[SolutionStatus, Meta(description="Only solutions in this status")] | None = None
