"""Scorecard use cases: one area's scorecard, and areas compared side by side with their peers.
Reads only; each runs in one read-only transaction (``repository.snapshot``)."""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Sequence

import asyncpg
import structlog

from efa_registry import db
from efa_registry.errors import InvalidInput, InvalidParameter, NotFound
from efa_registry.rollout import summary_repository as summary
from efa_registry.scorecard import peers, rules, scoring
from efa_registry.scorecard import repository as repo
from efa_registry.scorecard.model import ComparedArea, Comparison, PeerGroup, Scorecard, ScoredArea

log = structlog.get_logger(__name__)

AREA_KEY = re.compile(r"^([0-9]{2,5}|[0-9]{8,9}|[0-9]{12})$")  # as GET /v1/areas/{ars} accepts them
COMPARE_MIN, COMPARE_MAX = 2, 10


class _Catalogue:
    """The Leistungen with their solutions and the Themenfelder, read once per request."""

    def __init__(self, links: list[asyncpg.Record], themen: list[asyncpg.Record]) -> None:
        self.leistungen = scoring.leistungen(links)
        self.themen = [(t["key"], t["name"]) for t in themen]
        self.members = repo.member_arrays(scoring.member_triples(self.leistungen))
        self.levels = {x.ozg_id: x.level for x in self.leistungen}

    @classmethod
    async def load(cls, conn: asyncpg.Connection) -> _Catalogue:
        return cls(*await repo.catalogue(conn))


def _scored_area(row: asyncpg.Record, key: str) -> ScoredArea:
    if row["level"] not in rules.SCORED_LEVELS:
        raise InvalidInput(f"{key} is a {row['level']}: scorecards and comparisons are for a Gemeinde,"
                           " Gemeindeverband or Kreis (a Land's figures: GET /v1/lands/{code}/rollout)", field="ars")
    if not row["current"]:
        raise InvalidInput(f"{key} is no longer a current area (merged away in a later Gebietsstand)", field="ars")
    single = row["gemeinden"] == 1
    kind = rules.kind(row["level"], row["gemeinden"], kreis_textkennzeichen=row["kreis_textkennzeichen"],
                      kreis_gemeinden=row["kreis_gemeinden"],
                      gemeinde_textkennzeichen=row["first_gemeinde"][1] if single else None)
    return ScoredArea(ars=row["ars"], ags=row["ags"], name=row["name"], level=row["level"], kind=kind,
                      land=row["land"], land_name=row["land_name"], population=row["population"],
                      gemeinden=row["gemeinden"])


async def _area(conn: asyncpg.Connection, key: str) -> tuple[ScoredArea, asyncpg.Record]:
    row = await repo.area(conn, key)
    if row is None:
        raise NotFound(f"no area with ARS/AGS {key}", field="ars")
    return _scored_area(row, key), row


async def _scorecard(conn: asyncpg.Connection, area: ScoredArea, catalogue: _Catalogue) -> Scorecard:
    enclosing = rules.prefix_keys(area.ars)[:-1] if len(area.ars) in rules.PREFIX_LENGTHS else []
    counts = await repo.gemeinden_inside(conn, enclosing)
    # The same authority under a wider key (a kreisfreie Stadt's Kreis, Berlin's Land): it holds
    # exactly the area's Gemeinden.
    own_keys = frozenset([area.ars, *(k for k in enclosing if area.gemeinden and counts[k] == area.gemeinden)])
    units: dict[str, list[str]] = {}
    for level, ars in await repo.units(conn, area.ars, enclosing):
        units.setdefault(level, []).append(ars)
    adoptions = [scoring.Adoption(**dict(r)) for r in await repo.adoptions_around(conn, area.ars, enclosing)]
    return scoring.score(area, own_keys, units, catalogue.leistungen, catalogue.themen, adoptions)


async def scorecard(key: str) -> Scorecard:
    """What the residents of a Gemeinde, Gemeindeverband or Kreis can use online, how deep, and
    what is on its way."""
    started = time.perf_counter()
    async with db.connection() as conn, repo.snapshot(conn):
        area, _ = await _area(conn, key)
        card = await _scorecard(conn, area, await _Catalogue.load(conn))
    log.info("scorecard.computed", ars=area.ars, online=card.summary.online,
             ms=round((time.perf_counter() - started) * 1000, 1))
    return card


def compare_keys(keys: Sequence[str]) -> list[str]:
    """The keys as given (repeated or comma-separated), checked: 2–10 well-formed keys."""
    flat = [k.strip() for key in keys for k in key.split(",") if k.strip()]
    bad = next((k for k in flat if not AREA_KEY.match(k)), None)
    if bad is not None:
        raise InvalidParameter(f"'{bad}' is no ARS (2–12 digits) or 8-digit AGS", field="ars")
    if not COMPARE_MIN <= len(flat) <= COMPARE_MAX:
        raise InvalidParameter(f"compare {COMPARE_MIN} to {COMPARE_MAX} areas, got {len(flat)}", field="ars")
    return flat


# Breadth (Leistungen online everywhere, in part) per area, kept per process: a peer group's is the
# heavy part of a comparison (every live adoption in and around hundreds of areas), and the groups
# of neighbouring areas overlap. Keyed by the rollout fingerprint of the snapshot it was computed
# in, which every write of adoptions, solutions, their OZG-Leistungen and the areas moves
# (``rollout.summary_repository.fingerprint``, as the cached rollout reads use it).
_breadth: OrderedDict[tuple[str, str], tuple[int, int]] = OrderedDict()
BREADTH_CACHE = 20_000  # areas: every Kreis, Verband and Gemeinde of Germany


async def _peer_group(conn: asyncpg.Connection, area: ScoredArea, directory: peers.Directory,
                      catalogue: _Catalogue, fingerprint: str) -> PeerGroup:
    canonical = directory.canonical(area.ars, area.kind)
    members = directory.candidates(area.kind, rules.population_band(area.population), exclude=canonical)
    group = [canonical, *members]
    missing = [a for a in group if (fingerprint, a) not in _breadth]
    if missing:
        for a, counts in (await _breadths(conn, area.land, missing, directory, catalogue)).items():
            _breadth[fingerprint, a] = counts
    breadth = {}
    for a in group:
        _breadth.move_to_end((fingerprint, a))
        breadth[a] = _breadth[fingerprint, a]
    while len(_breadth) > BREADTH_CACHE:
        _breadth.popitem(last=False)
    return peers.group(area, directory, canonical, members, breadth)


async def _breadths(conn: asyncpg.Connection, land: str, areas: list[str], directory: peers.Directory,
                    catalogue: _Catalogue) -> dict[str, tuple[int, int]]:
    """Breadth of each of ``areas`` (one Land, one ARS length) from its live adoptions and its
    enclosing areas', in two bulk reads."""
    enclosing = await repo.enclosing_cover(conn, catalogue.members, sorted({k for a in areas
                                                                             for k in rules.prefix_keys(a)}))
    inside: dict[str, dict[str, int]] = {}
    if len(areas[0]) < 12:  # only an area of several units is covered from inside
        for (a, ozg_id), n in (await repo.inside_cover(conn, catalogue.members, areas, land)).items():
            inside.setdefault(a, {})[ozg_id] = n
    breadth = {}
    for a in areas:
        covered = set().union(*(enclosing.get(k, ()) for k in rules.prefix_keys(a)))
        breadth[a] = scoring.breadth(catalogue.levels, directory.eligible(a), covered, inside.get(a, {}))
    return breadth


async def compare(keys: Sequence[str]) -> Comparison:
    """Two to ten areas side by side, each with its peers (same Land, same kind, half to twice the
    population) and its rank among them by breadth."""
    flat = compare_keys(keys)
    started = time.perf_counter()
    async with db.connection() as conn, repo.snapshot(conn):
        found = [await _area(conn, key) for key in flat]
        # One authority under two keys (Duisburg's AGS and its Kreis key) is one area.
        bodies = [row["first_gemeinde"][0] if row["gemeinden"] == 1 else area.ars for area, row in found]
        twice = next((k for k, b in zip(flat, bodies, strict=True) if bodies.count(b) > 1), None)
        if twice is not None:
            raise InvalidParameter(f"{twice} names an area listed twice", field="ars")
        catalogue = await _Catalogue.load(conn)
        fingerprint = await summary.fingerprint(conn)
        directories: dict[str, peers.Directory] = {}
        compared = []
        for area, _ in found:
            if area.land not in directories:
                directories[area.land] = peers.Directory(area.land, area.land_name,
                                                         await repo.directory(conn, area.land))
            card = await _scorecard(conn, area, catalogue)
            group = await _peer_group(conn, area, directories[area.land], catalogue, fingerprint)
            compared.append(ComparedArea(area=area, summary=card.summary, depth=card.depth,
                                         themenfelder=card.themenfelder, peer_group=group))
    log.info("scorecard.compared", areas=[c.area.ars for c in compared],
             ms=round((time.perf_counter() - started) * 1000, 1))
    return Comparison(areas=compared)
