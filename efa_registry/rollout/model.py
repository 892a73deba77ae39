"""Rollout records as the core hands them out."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from efa_registry.types import RolloutLevel, SolutionStatus


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


class StatusCounts(msgspec.Struct, frozen=True, kw_only=True):
    """Adoptions located in the area, by lifecycle status."""

    interested: int
    agreed: int
    onboarding: int
    live: int
    paused: int
    withdrawn: int


class Figures(msgspec.Struct, frozen=True, kw_only=True):
    """The rollout figures of one cell, derived from a ``Cell`` by ``rules.figures``."""

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


class LandRef(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    iso_code: str | None
    name: str


class SolutionRef(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    slug: str
    name: str
    status: SolutionStatus
    rollout_level: RolloutLevel


class OzgRef(msgspec.Struct, frozen=True, kw_only=True):
    ozg_id: str
    name: str
    themenfeld: str
    execution_level: str | None


class LandFigures(msgspec.Struct, frozen=True, kw_only=True):
    land: LandRef
    figures: Figures


class KreisFigures(msgspec.Struct, frozen=True, kw_only=True):
    ars: str
    name: str
    figures: Figures


class SolutionRollout(msgspec.Struct, frozen=True, kw_only=True):
    """A solution's figures per Land and nationally; ``kreise`` only when drilled down."""

    solution: SolutionRef
    lands: list[LandFigures]
    national: Figures
    kreise: list[KreisFigures] | None = None


class LandSeries(msgspec.Struct, frozen=True, kw_only=True):
    land: LandRef
    eligible_units: int
    covered: list[int]


class Timeline(msgspec.Struct, frozen=True, kw_only=True):
    """Cumulative covered units at the end of each month (``months`` are first-of-month dates)."""

    solution: SolutionRef
    months: list[dt.date]
    lands: list[LandSeries]
    national: list[int]


class OzgRollout(msgspec.Struct, frozen=True, kw_only=True):
    """An OZG-Leistung's figures over the union of its non-retired solutions."""

    ozg_leistung: OzgRef
    rollout_level: RolloutLevel
    level_source: str
    solutions: list[SolutionRef]
    lands: list[LandFigures]
    national: Figures


class SolutionInLand(msgspec.Struct, frozen=True, kw_only=True):
    solution: SolutionRef
    figures: Figures


class OzgInLand(msgspec.Struct, frozen=True, kw_only=True):
    ozg_leistung: OzgRef
    rollout_level: RolloutLevel
    figures: Figures


class LandOverview(msgspec.Struct, frozen=True, kw_only=True):
    land: LandRef
    solutions: list[SolutionInLand]
    ozg_leistungen: list[OzgInLand]


class RankingEntry(msgspec.Struct, frozen=True, kw_only=True):
    rank: int
    land: str
    iso_code: str | None
    name: str
    flaechendeckend_ozg_leistungen: int
    ozg_leistungen: int
    mean_share_by_count: float


class MatrixRow(msgspec.Struct, frozen=True, kw_only=True):
    """One solution; every list is aligned with ``Matrix.lands`` (columnar: 600 × 16 cells stay
    a few hundred kilobytes and cheap to build)."""

    solution: SolutionRef
    national: Figures
    eligible_units: list[int]
    covered_units: list[int]
    share_by_count: list[float | None]
    share_by_population: list[float | None]
    flaechendeckend: list[bool]


class Matrix(msgspec.Struct, frozen=True, kw_only=True):
    lands: list[LandRef]
    rows: list[MatrixRow]
    ranking: list[RankingEntry]


class MatrixFilter(msgspec.Struct, frozen=True, kw_only=True):
    themenfeld: str | None = None
    ozg_id: str | None = None
    status: SolutionStatus | None = None
