"""Scorecard SQL: an area with what decides its kind, the catalogue of Leistungen with their
solutions, the adoptions around an area, peers' breadth in bulk, and a solution's units.

Prefix tests on ARS run as range scans in byte order (``COLLATE "C"``, where the digits of a
prefix P are followed by ``P || ':'``), as the rollout does, so they use ``area_rollout_unit_idx``.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence

import asyncpg

from efa_registry.organisations.repository import key_condition
from efa_registry.rollout.rules import ELIGIBLE_AREA_LEVEL, PREFIX_LENGTHS
from efa_registry.scorecard.rules import UNIT_LENGTH


@contextlib.asynccontextmanager
async def snapshot(conn: asyncpg.Connection) -> AsyncIterator[asyncpg.Connection]:
    """One read-only transaction for all queries of a use case, so its numbers share one moment.

    Custom plans only: the statements take arrays of a few keys or of thousands (a peer group) and
    a prefix of one Kreis or of all Germany; a generic plan cached after five runs was measured
    100 times slower on the large ones.
    """
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        await conn.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        yield conn


def _inside(column: str, prefix: str) -> str:
    """``column`` starts with ``prefix`` (an SQL expression), as an index range."""
    return (f'{column} COLLATE "C" >= {prefix} COLLATE "C"'
            f""" AND {column} COLLATE "C" < ({prefix} || ':') COLLATE "C\"""")


GEMEINDEN_INSIDE = ("(SELECT count(*) FROM area u WHERE u.level = 'gemeinde' AND u.current AND "
                    + _inside("u.ars", "{p}") + ")::int")

AREA_SQL = f"""
WITH x AS (SELECT ars, ags, name, level, textkennzeichen, land, population, current FROM area WHERE {{column}} = $1)
SELECT x.*, l.name AS land_name, k.textkennzeichen AS kreis_textkennzeichen,
       {GEMEINDEN_INSIDE.format(p="x.ars")} AS gemeinden,
       {GEMEINDEN_INSIDE.format(p="left(x.ars, 5)")} AS kreis_gemeinden,
       (SELECT array[min(u.ars), min(u.textkennzeichen)] FROM area u
        WHERE u.level = 'gemeinde' AND u.current AND {_inside("u.ars", "x.ars")}) AS first_gemeinde
FROM x LEFT JOIN area l ON l.ars = x.land AND l.level = 'land'
LEFT JOIN area k ON k.ars = left(x.ars, 5) AND k.level = 'kreis'
"""


async def area(conn: asyncpg.Connection, key: str) -> asyncpg.Record | None:
    """An area by ARS (or a Gemeinde by 8-digit AGS) with its Land's name, the number of current
    Gemeinden it is or contains (and the first one's ARS and Textkennzeichen), and its Kreis's
    Textkennzeichen and Gemeinden."""
    return await conn.fetchrow(AREA_SQL.format(column="ags" if len(key) == 8 else "ars"), key)


async def gemeinden_inside(conn: asyncpg.Connection, keys: Sequence[str]) -> dict[str, int]:
    """Current Gemeinden inside each of ``keys``."""
    rows = await conn.fetch(f"SELECT k, {GEMEINDEN_INSIDE.format(p='k')} AS n FROM unnest($1::text[]) AS k",
                            list(keys))
    return {r["k"]: r["n"] for r in rows}


# Non-retired solutions only, as the rollout of an OZG-Leistung counts them.
CATALOGUE_SQL = """
SELECT o.ozg_id, o.name, o.themenfeld, o.execution_level, s.id, s.slug, s.name AS solution_name, s.status,
       s.rollout_level, s.reifegrad_model, s.reifegrad
FROM ozg_leistung o
JOIN solution_ozg_leistung so ON so.ozg_leistung = o.ozg_id
JOIN solution s ON s.id = so.solution AND s.status <> 'retired'
ORDER BY o.ozg_id, s.slug
"""


async def catalogue(conn: asyncpg.Connection) -> tuple[list[asyncpg.Record], list[asyncpg.Record]]:
    """(every link of an OZG-Leistung to a non-retired solution, the Themenfelder in order)."""
    links = await conn.fetch(CATALOGUE_SQL)
    themen = await conn.fetch("SELECT key, name FROM themenfeld ORDER BY position, key")
    return links, themen


UNITS_SQL = f"""
SELECT u.level, u.ars FROM area u WHERE u.current AND u.level = ANY($1::text[]) AND u.ars = ANY($2::text[])
UNION ALL
SELECT u.level, u.ars FROM area u WHERE u.current AND u.level = ANY($1::text[]) AND {_inside("u.ars", "$3")}
"""


async def units(conn: asyncpg.Connection, ars: str, enclosing: Sequence[str]) -> list[tuple[str, str]]:
    """(rollout level, unit ARS) of the eligible units that contain ``ars`` (``enclosing``: its
    strict prefixes), are it or lie inside it, at every rollout level."""
    back = {area_level: level for level, area_level in ELIGIBLE_AREA_LEVEL.items()}
    rows = await conn.fetch(UNITS_SQL, list(back), list(enclosing), ars)
    return [(back[r["level"]], r["ars"]) for r in rows]


ADOPTION_COLUMNS = "a.solution, a.area, a.status, a.planned_live_on, a.live_since, g.name, g.level"
USEFUL = "a.status IN ('live', 'interested', 'agreed', 'onboarding')"
# Two branches, each on its index: adopters listed by key, and adopters inside the area.
ADOPTIONS_SQL = f"""
SELECT {ADOPTION_COLUMNS} FROM adoption a JOIN area g ON g.ars = a.area WHERE a.area = ANY($1::text[]) AND {USEFUL}
UNION ALL
SELECT {ADOPTION_COLUMNS} FROM area g JOIN adoption a ON a.area = g.ars
WHERE g.land = $2 AND left(g.ars, length($3)) = $3 AND length(g.ars) > length($3) AND {USEFUL}
"""


async def adoptions_around(conn: asyncpg.Connection, ars: str, enclosing: Sequence[str]) -> list[asyncpg.Record]:
    """The live and preparing adoptions by ``ars``, by the areas containing it (``enclosing``: its
    strict prefixes) and by the areas inside it, with the adopter's name and level."""
    return await conn.fetch(ADOPTIONS_SQL, [*enclosing, ars], ars[:2], ars)


# --------------------------------------------------------------------------- peers in bulk


async def directory(conn: asyncpg.Connection, land: str) -> list[asyncpg.Record]:
    """Every current Kreis, Gemeindeverband and Gemeinde of a Land, with what decides its kind."""
    return await conn.fetch(
        "SELECT ars, ags, name, level, textkennzeichen, population FROM area"
        " WHERE land = $1 AND current AND level IN ('kreis', 'gemeindeverband', 'gemeinde') ORDER BY ars", land)


MEMBERS = "unnest($1::text[], $2::text[], $3::int[], $4::uuid[]) AS m(ozg_id, unit_level, unit_length, solution)"

ENCLOSING_SQL = f"""
SELECT a.area AS key, array_agg(DISTINCT m.ozg_id) AS ozg_ids
FROM adoption a JOIN {MEMBERS} ON m.solution = a.solution AND length(a.area) <= m.unit_length
WHERE a.area = ANY($5::text[]) AND a.status = 'live'
GROUP BY a.area
"""

# Adopters inside the areas (``$5``, all of length ``$6``, in Land ``$7``) whose key length is one of
# PREFIX_LENGTHS (``$8``). An adopter that is a unit itself (a Gemeinde) covers just itself; only a
# wider one (a Verband) is looked up for the units below it.
INSIDE_SQL = f"""
WITH live AS (
    SELECT d.ars AS area, d.level, d.current, m.ozg_id, m.unit_level
    FROM area d
    JOIN adoption a ON a.area = d.ars AND a.status = 'live'
    JOIN {MEMBERS} ON m.solution = a.solution AND m.unit_length > $6 AND length(a.area) <= m.unit_length
    WHERE d.land = $7 AND left(d.ars, $6) = ANY($5::text[]) AND length(d.ars) > $6 AND length(d.ars) = ANY($8::int[])
),
covered AS (
    SELECT ozg_id, area AS unit FROM live WHERE level = unit_level AND current
    UNION ALL
    SELECT l.ozg_id, u.ars FROM live l
    JOIN area u ON u.level = l.unit_level AND u.current AND {_inside("u.ars", "l.area")}
    WHERE l.level <> l.unit_level
)
-- DISTINCT in a subquery is hashed; count(DISTINCT …) would sort every row by text.
SELECT peer, ozg_id, count(*)::int AS covered
FROM (SELECT DISTINCT left(unit, $6) AS peer, ozg_id, unit FROM covered) AS units
GROUP BY 1, 2
"""


def member_arrays(members: Sequence[tuple[str, str, uuid.UUID]]) -> list[list]:
    """(OZG-ID, rollout level, solution) → the four arrays ``MEMBERS`` unnests."""
    return [[o for o, _, _ in members], [ELIGIBLE_AREA_LEVEL[lv] for _, lv, _ in members],
            [UNIT_LENGTH[lv] for _, lv, _ in members], [s for _, _, s in members]]  # type: ignore[index]


async def enclosing_cover(conn: asyncpg.Connection, members: list[list], keys: Sequence[str]) -> dict[str, set[str]]:
    """Adopter ARS → the Leistungen a live adoption there covers for every unit below it: those
    whose units are at least as fine as the adopter (a Kreis covers no Land-level unit)."""
    rows = await conn.fetch(ENCLOSING_SQL, *members, list(keys))
    return {r["key"]: set(r["ozg_ids"]) for r in rows}


async def inside_cover(
    conn: asyncpg.Connection, members: list[list], areas: Sequence[str], land: str
) -> dict[tuple[str, str], int]:
    """(area, OZG-ID) → units of the Leistung inside the area that live adoptions by areas inside it
    cover (all ``areas`` of one Land and one ARS length)."""
    length = len(areas[0])
    rows = await conn.fetch(INSIDE_SQL, *members, list(areas), length, land,
                            [n for n in PREFIX_LENGTHS if n > length])
    return {(r["peer"], r["ozg_id"]): r["covered"] for r in rows}


# --------------------------------------------------------------------------- not docked yet


async def solution(conn: asyncpg.Connection, key: str | uuid.UUID) -> asyncpg.Record | None:
    condition, value = key_condition(key, alias="s")
    return await conn.fetchrow(f"SELECT s.id, s.slug, s.name, s.status, s.rollout_level FROM solution s"
                               f" WHERE {condition}", value)


async def scope_area(conn: asyncpg.Connection, ars: str, level: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT ars, name FROM area WHERE ars = $1 AND level = $2", ars, level)


# Every eligible unit of the scope with whether a live adoption covers it (by it or by an area
# whose ARS is one of its PREFIX_LENGTHS prefixes, as the rollout counts) and, if not, the furthest
# status (``$4``: the statuses in order of precedence) among the adoptions that would, nearest first.
UNIT_STATUS_SQL = f"""
WITH unit AS (
    SELECT u.ars, u.ags, u.name, u.level, coalesce(u.population, 0) AS population FROM area u
    WHERE u.level = $2 AND u.current AND {_inside("u.ars", "$3")}
),
adopted AS (SELECT a.area, a.status, a.planned_live_on FROM adoption a WHERE a.solution = $1 {{in_land}}),
reaching AS (
    SELECT u.ars AS unit, a.area, a.status, a.planned_live_on
    FROM unit u CROSS JOIN unnest($5::int[]) AS k(n) JOIN adopted a ON a.area = left(u.ars, k.n)
    WHERE k.n <= length(u.ars)
),
live AS (SELECT DISTINCT unit FROM reaching WHERE status = 'live'),
furthest AS (
    SELECT DISTINCT ON (unit) unit, area, status, planned_live_on FROM reaching WHERE status <> 'live'
    ORDER BY unit, array_position($4::text[], status), length(area) DESC
)
SELECT u.*, l.unit IS NOT NULL AS covered, k.ars AS kreis_ars, k.name AS kreis_name, f.status, f.area AS status_ars,
       g.name AS status_name, g.level AS status_level, f.planned_live_on,
       CASE WHEN f.area IS NOT NULL THEN (SELECT count(*) FROM area x WHERE x.level = $2 AND x.current
                                          AND {_inside("x.ars", "f.area")}) END AS status_units
FROM unit u
LEFT JOIN live l ON l.unit = u.ars
LEFT JOIN furthest f ON f.unit = u.ars AND l.unit IS NULL
LEFT JOIN area g ON g.ars = f.area
LEFT JOIN area k ON k.ars = left(u.ars, 5) AND k.level = 'kreis' AND u.level = 'gemeinde'
ORDER BY u.ars COLLATE "C"
"""


async def unit_statuses(
    conn: asyncpg.Connection, solution_id: uuid.UUID, level: str, prefix: str, precedence: Sequence[str]
) -> list[asyncpg.Record]:
    """The solution's current eligible units whose ARS starts with ``prefix`` ("" for all), by ARS,
    each ``covered`` or with the furthest ``status`` (by ``precedence``) of the adoptions reaching it,
    and how many eligible units that status's adopter holds (1: the unit under another key)."""
    in_land = "AND left(a.area, 2) = left($3, 2)" if prefix else ""
    return await conn.fetch(UNIT_STATUS_SQL.format(in_land=in_land), solution_id, ELIGIBLE_AREA_LEVEL[level],
                            prefix, list(precedence), list(PREFIX_LENGTHS))
