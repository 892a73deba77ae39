"""Scorecard records as the core hands them out (``Record``: camelCase on the wire, encoded as they are)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from efa_registry.kit.wire import Record
from efa_registry.types import AdoptionStatus, AreaLevel, ReifegradModel, RolloutLevel, SolutionStatus

# What an area is for comparisons, derived from the GV100AD (``rules.kind``).
AreaKind = Literal["kreisfreie_stadt", "kreisangehoerige_gemeinde", "kreis", "gemeindeverband"]
Coverage = Literal["full", "partial"]
Origin = Literal["own", "inherited"]
# The status of a unit that is not live: "none" when no adoption concerns it.
UnitStatus = Literal["none", "interested", "agreed", "onboarding", "paused", "withdrawn"]
MissingScopeLevel = Literal["national", "land", "kreis"]


class AreaRef(Record):
    ars: str
    name: str
    level: AreaLevel


class ScoredArea(Record):
    """The area described. `kind`: `kreisfreie_stadt` (GV100AD Kreis Textkennzeichen 41/42, or a Kreis of
    one Gemeinde), `kreis` (43–45), `kreisangehoerige_gemeinde`, `gemeindeverband` (several Gemeinden).
    `gemeinden`: the current Gemeinden it is or contains."""

    ars: str
    ags: str | None
    name: str
    level: AreaLevel
    kind: AreaKind
    land: str
    land_name: str
    population: int | None
    gemeinden: int


class CoveringSolution(Record):
    """A solution through which the Leistung is live for the area: `own` when adopted by the area
    itself (also under another key of the same authority) or by units inside it, else `inherited` from
    the enclosing areas in `inheritedFrom` (nearest first); `coveredUnits` of the Leistung's units."""

    id: uuid.UUID
    slug: str
    name: str
    status: SolutionStatus
    reifegrad_model: ReifegradModel | None
    reifegrad: int | None
    origin: Origin
    inherited_from: list[AreaRef]
    covered_units: int
    live_since: dt.date | None


class Depth(Record):
    """The deepest Reifegrad of one model among the covering solutions, and which reach it."""

    model: ReifegradModel
    reifegrad: int
    solutions: list[str]


class ScorecardLeistung(Record):
    """An OZG-Leistung live for the area. Counted as its rollout counts it: at `rolloutLevel`, each of the
    area's `eligibleUnits` (its Gemeinden, or the Kreis or Land containing it) is covered by a live adoption
    of any non-retired solution implementing it. `coverage` is `full` when all are covered, `partial` (only
    for a Kreis or Gemeindeverband) when some are. `depth` holds one entry per Reifegrad model."""

    ozg_id: str
    name: str
    themenfeld: str
    rollout_level: RolloutLevel
    coverage: Coverage
    eligible_units: int
    covered_units: int
    origin: Origin
    inherited_from: list[AreaRef]
    depth: list[Depth]
    solutions: list[CoveringSolution]


class PreparingAdopter(Record):
    ars: str
    name: str
    level: AreaLevel
    origin: Origin
    status: AdoptionStatus
    planned_live_on: dt.date | None


class PreparedSolution(Record):
    id: uuid.UUID
    slug: str
    name: str
    reifegrad_model: ReifegradModel | None
    reifegrad: int | None


class Preparation(Record):
    """A solution of a Leistung on its way to the area: adoptions (`interested`, `agreed`, `onboarding`)
    that would cover its units once live; `status` the furthest, `plannedLiveOn` the earliest planned
    go-live; `leistungOnline` when the Leistung is already fully live through another solution."""

    ozg_id: str
    name: str
    themenfeld: str
    solution: PreparedSolution
    status: AdoptionStatus
    planned_live_on: dt.date | None
    leistung_online: bool
    adopters: list[PreparingAdopter]


class Counts(Record):
    """Leistungen: `withSolution` have a non-retired solution (what could be live), `online` are live
    for the whole area, `partial` in part of it, `inPreparation` are not fully live but on their way."""

    with_solution: int
    online: int
    partial: int
    in_preparation: int


class ThemenfeldCounts(Record):
    key: str
    name: str
    with_solution: int
    online: int
    partial: int
    in_preparation: int


class LevelCount(Record):
    reifegrad: int
    leistungen: int


class ModelDistribution(Record):
    """Online Leistungen by their deepest Reifegrad in one model (every level listed, 0–4 or 0–7)."""

    model: ReifegradModel
    leistungen: int
    levels: list[LevelCount]


class DepthDistribution(Record):
    """Depth of the Leistungen online for the whole area, per model: never mixed into one number. A
    Leistung with solutions of both models counts in each; `withoutReifegrad` have none stated."""

    models: list[ModelDistribution]
    without_reifegrad: int


class Scorecard(Record):
    """What the residents of a Gemeinde, Gemeindeverband or Kreis can use online through live adoptions,
    own and inherited, per Themenfeld, how deep, and what is in preparation."""

    area: ScoredArea
    summary: Counts
    depth: DepthDistribution
    themenfelder: list[ThemenfeldCounts]
    leistungen: list[ScorecardLeistung]
    preparation: list[Preparation]


# --------------------------------------------------------------------------- comparison


class PeerRule(Record):
    """Peers: same Land, same `kind`, population from `populationMin` to `populationMax` (`factorMin`–
    `factorMax` × the area's, inclusive). Ranked by `online`; equal values share a rank and the next is
    skipped (1, 1, 3). `text` states the rule in German."""

    text: str
    land: str
    land_name: str
    kind: AreaKind
    population_min: int | None
    population_max: int | None
    factor_min: float
    factor_max: float
    ranked_by: Literal["online"]
    ties: Literal["shared_rank"]


class PeerEntry(Record):
    ars: str
    ags: str | None
    name: str
    population: int | None
    online: int
    partial: int
    rank: int


class PeerGroup(Record):
    """The area's `rank` among itself and its `peers` (`of` = peers + 1; `sharingRank` areas hold that
    rank); `nearest` lists up to 10 peers closest in population, by rank."""

    rule: PeerRule
    peers: int
    rank: int
    of: int
    sharing_rank: int
    nearest: list[PeerEntry]


class ComparedArea(Record):
    area: ScoredArea
    summary: Counts
    depth: DepthDistribution
    themenfelder: list[ThemenfeldCounts]
    peer_group: PeerGroup


class Comparison(Record):
    """The areas in the order asked, each with breadth, depth and preparation and its peer group."""

    areas: list[ComparedArea]


# --------------------------------------------------------------------------- who has not docked yet


class MissingSolution(Record):
    id: uuid.UUID
    slug: str
    name: str
    status: SolutionStatus
    rollout_level: RolloutLevel


class MissingScope(Record):
    level: MissingScopeLevel
    ars: str | None
    name: str


class MissingUnit(Record):
    """An eligible unit no live adoption covers. `status`: the furthest status (onboarding, agreed, interested,
    paused, withdrawn) of the adoptions by it or an area containing it, `none` without any; held by the
    nearest such adopter `statusFrom`: `own` when that is the unit (also under a wider key of the same
    authority, a verbandsfreie Gemeinde's Verband), else `inherited`. `kreis`: a Gemeinde's Kreis."""

    ars: str
    ags: str | None
    name: str
    level: AreaLevel
    population: int
    kreis: AreaRef | None
    status: UnitStatus
    status_from: AreaRef | None
    status_origin: Origin | None
    planned_live_on: dt.date | None


class MissingUnits(Record):
    """The not-yet-docked units of a scope (one page of them in ``items``) and the scope's totals."""

    solution: MissingSolution
    scope: MissingScope
    eligible_units: int
    covered_units: int
    missing_units: int
    eligible_population: int
    covered_population: int
    missing_population: int
    items: list[MissingUnit]


class MissingList(MissingUnits):
    """``MissingUnits`` with the cursor of the page after it (None on the last)."""

    next_cursor: str | None
