"""Assembling a scorecard from the rows around one area, and a peer's breadth from bulk counts.
Pure functions over plain rows: the rules are in ``rules``, the SQL in ``repository``.

A Leistung counts for an area as the rollout of that OZG-Leistung counts it: at its rollout level
(``rollout.rules.ozg_level``: execution level, else the finest level of its non-retired
solutions), a unit of that level is covered when a live adoption of any of those solutions
covers it. The area's units of a level are the unit containing it (a Gemeinde's Kreis) or the
units inside it (a Kreis's Gemeinden).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import msgspec

from efa_registry.rollout.rules import LEVELS, is_flaechendeckend, ozg_level
from efa_registry.scorecard import rules
from efa_registry.scorecard.model import (
    AreaRef,
    Counts,
    CoveringSolution,
    Preparation,
    PreparedSolution,
    PreparingAdopter,
    Scorecard,
    ScorecardLeistung,
    ScoredArea,
    ThemenfeldCounts,
)
from efa_registry.types import RolloutLevel

COUNTS = tuple(Counts.__struct_fields__)


class SolutionInfo(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    slug: str
    name: str
    status: str
    rollout_level: str
    reifegrad_model: str | None
    reifegrad: int | None


class Leistung(msgspec.Struct, frozen=True, kw_only=True):
    """An OZG-Leistung with its non-retired solutions and the level its rollout is measured at."""

    ozg_id: str
    name: str
    themenfeld: str
    level: RolloutLevel
    solutions: tuple[SolutionInfo, ...]


class Adoption(msgspec.Struct, frozen=True, kw_only=True):
    solution: uuid.UUID
    area: str
    status: str
    planned_live_on: dt.date | None
    live_since: dt.date | None
    name: str
    level: str


def leistungen(links: Iterable[Mapping]) -> list[Leistung]:
    """Catalogue rows (one per Leistung × solution) → Leistungen, each at its rollout level."""
    grouped: dict[str, list[Mapping]] = defaultdict(list)
    for row in links:
        grouped[row["ozg_id"]].append(row)
    result = []
    for ozg_id, rows in grouped.items():
        solutions = tuple(SolutionInfo(id=r["id"], slug=r["slug"], name=r["solution_name"], status=r["status"],
                                       rollout_level=r["rollout_level"], reifegrad_model=r["reifegrad_model"],
                                       reifegrad=r["reifegrad"]) for r in rows)
        level, _ = ozg_level(rows[0]["execution_level"], (s.rollout_level for s in solutions))
        result.append(Leistung(ozg_id=ozg_id, name=rows[0]["name"], themenfeld=rows[0]["themenfeld"], level=level,
                               solutions=solutions))
    return sorted(result, key=lambda x: int(x.ozg_id))


def member_triples(catalogue: Iterable[Leistung]) -> list[tuple[str, str, uuid.UUID]]:
    return [(x.ozg_id, x.level, s.id) for x in catalogue for s in x.solutions]


def _ref(a: Adoption) -> AreaRef:
    return AreaRef(ars=a.area, name=a.name, level=a.level)  # type: ignore[arg-type]


def _nearest_first(refs: Iterable[AreaRef]) -> list[AreaRef]:
    unique = {r.ars: r for r in refs}
    return sorted(unique.values(), key=lambda r: -len(r.ars))


class _Reach(msgspec.Struct, kw_only=True):
    """What one solution's adoptions reach of the area's units for one Leistung."""

    units: set[str] = msgspec.field(default_factory=set)
    own: bool = False
    inherited: list[AreaRef] = msgspec.field(default_factory=list)
    live_since: dt.date | None = None
    preparing: list[PreparingAdopter] = msgspec.field(default_factory=list)


def _reach(adoptions: Sequence[Adoption], index: Mapping[str, list[str]], area: str,
           own_keys: frozenset[str]) -> _Reach:
    reach = _Reach()
    for a in adoptions:
        units = index.get(a.area)
        if not units:
            continue  # covers none of the area's units at this Leistung's level
        origin = rules.origin(a.area, area, own_keys)
        if a.status != "live":
            reach.preparing.append(PreparingAdopter(ars=a.area, name=a.name, level=a.level, origin=origin,  # type: ignore[arg-type]
                                                    status=a.status, planned_live_on=a.planned_live_on))  # type: ignore[arg-type]
            continue
        reach.units.update(units)
        reach.live_since = min(filter(None, (reach.live_since, a.live_since)), default=None)
        if origin == "own":
            reach.own = True
        else:
            reach.inherited.append(_ref(a))
    return reach


def _covering(s: SolutionInfo, reach: _Reach) -> CoveringSolution:
    return CoveringSolution(id=s.id, slug=s.slug, name=s.name, status=s.status,  # type: ignore[arg-type]
                            reifegrad_model=s.reifegrad_model, reifegrad=s.reifegrad,  # type: ignore[arg-type]
                            origin="own" if reach.own else "inherited",
                            inherited_from=_nearest_first(reach.inherited), covered_units=len(reach.units),
                            live_since=reach.live_since)


def _preparation(x: Leistung, s: SolutionInfo, adopters: list[PreparingAdopter], online: bool) -> Preparation:
    adopters = sorted(adopters, key=lambda p: (p.planned_live_on or dt.date.max, p.ars))
    planned = [p.planned_live_on for p in adopters if p.planned_live_on]
    return Preparation(
        ozg_id=x.ozg_id, name=x.name, themenfeld=x.themenfeld,
        solution=PreparedSolution(id=s.id, slug=s.slug, name=s.name, reifegrad_model=s.reifegrad_model,  # type: ignore[arg-type]
                                  reifegrad=s.reifegrad),
        status=rules.STATUS_PRECEDENCE[min(rules.STATUS_PRECEDENCE.index(p.status) for p in adopters)],  # type: ignore[arg-type]
        planned_live_on=min(planned) if planned else None, leistung_online=online, adopters=adopters)


def _leistung(x: Leistung, units: Sequence[str], reaches: list[tuple[SolutionInfo, _Reach]]) -> ScorecardLeistung:
    covering = [(s, r) for s, r in reaches if r.units]
    covered = set().union(*(r.units for _, r in covering))
    own = any(r.own for _, r in covering)
    return ScorecardLeistung(
        ozg_id=x.ozg_id, name=x.name, themenfeld=x.themenfeld, rollout_level=x.level,
        coverage="full" if is_flaechendeckend(len(units), len(covered)) else "partial",
        eligible_units=len(units), covered_units=len(covered), origin="own" if own else "inherited",
        inherited_from=_nearest_first(ref for _, r in covering for ref in r.inherited),
        depth=rules.deepest((s.slug, s.reifegrad_model, s.reifegrad) for s, _ in covering),
        solutions=[_covering(s, r) for s, r in covering])


def score(area: ScoredArea, own_keys: frozenset[str], units: Mapping[str, Sequence[str]],
          catalogue: Sequence[Leistung], themen: Sequence[tuple[str, str]], adoptions: Iterable[Adoption]) -> Scorecard:
    """The scorecard of ``area`` from its eligible units per rollout level, the catalogue and the
    live and preparing adoptions around it."""
    indexes = {level: rules.unit_index(us) for level, us in units.items()}
    by_solution: dict[uuid.UUID, list[Adoption]] = defaultdict(list)
    for a in adoptions:
        by_solution[a.solution].append(a)
    counts = {key: dict.fromkeys(COUNTS, 0) for key, _ in themen}
    items, preparation = [], []
    for x in catalogue:
        eligible = units.get(x.level, ())
        if not eligible:
            continue  # no unit of the area executes this Leistung
        reaches = [(s, _reach(by_solution.get(s.id, ()), indexes[x.level], area.ars, own_keys)) for s in x.solutions]
        item = _leistung(x, eligible, reaches) if any(r.units for _, r in reaches) else None
        online = item is not None and item.coverage == "full"
        preparing = [_preparation(x, s, r.preparing, online) for s, r in reaches if r.preparing]
        tally = counts.setdefault(x.themenfeld, dict.fromkeys(COUNTS, 0))
        tally["with_solution"] += 1
        tally["online"] += online
        tally["partial"] += item is not None and not online
        tally["in_preparation"] += bool(preparing) and not online
        if item is not None:
            items.append(item)
        preparation.extend(preparing)
    position = {key: i for i, (key, _) in enumerate(themen)}
    items.sort(key=lambda i: (position.get(i.themenfeld, len(position)), int(i.ozg_id)))
    preparation.sort(key=lambda p: (p.planned_live_on or dt.date.max, int(p.ozg_id), p.solution.slug))
    names = dict(themen)
    themenfelder = [ThemenfeldCounts(key=key, name=names.get(key, key), **c) for key, c in counts.items()]
    summary = Counts(**{k: sum(t[k] for t in counts.values()) for k in COUNTS})
    depth = rules.distribution(i.depth for i in items if i.coverage == "full")
    return Scorecard(area=area, summary=summary, depth=depth, themenfelder=themenfelder, leistungen=items,
                     preparation=preparation)


def breadth(levels: Mapping[str, str], eligible: Mapping[str, int], enclosing: set[str],
            inside: Mapping[str, int]) -> tuple[int, int]:
    """(Leistungen online everywhere in the area, Leistungen online in part of it) from bulk
    counts: ``levels`` (OZG-ID → rollout level of every Leistung with a solution), ``eligible``
    units per level, the Leistungen a live adoption by the area or an area containing it covers
    (``enclosing``), units covered from inside per Leistung (``inside``). Only the Leistungen
    covered somewhere are visited: a peer group holds hundreds of areas."""
    if not inside and all(eligible.get(level, 0) for level in LEVELS):
        return len(enclosing), 0  # a Gemeinde: every Leistung covered for it is covered for all of it
    online = partial = 0
    for ozg_id in enclosing.union(inside):
        units = eligible.get(levels[ozg_id], 0)
        covered = units if ozg_id in enclosing else inside[ozg_id]
        if is_flaechendeckend(units, covered):
            online += 1
        elif covered:
            partial += 1
    return online, partial
