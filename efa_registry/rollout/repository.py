"""Rollout SQL, write side: the coverage rule in one place and the summary rows it keeps (reading
the stored rows: ``summary_repository``).

Every figure comes from ``_coverage``: the adoptions of a set of solutions (one solution, or all
solutions of an OZG-Leistung) and the current areas at the eligible level, optionally within one
Land. A unit is covered when a live adoption's area is the unit or one of its ARS prefixes
(``rules.PREFIX_LENGTHS``): each live adoption looks up the units whose ARS starts with its own
as one range scan of ``area_rollout_unit_idx`` (byte order, ``COLLATE "C"``, where the digits
of a prefix P are followed by ``P || ':'``), so the cost grows with the live adoptions and the
units they cover, never with units × adoptions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import asyncpg

from efa_registry.kit.sql import Params
from efa_registry.rollout import rules
from efa_registry.rollout.model import Cell

FIGURES = tuple(Cell.__struct_fields__)
STATUS_COUNTS = ", ".join(f"count(*) FILTER (WHERE status = '{s}')::int AS {s}" for s in rules.STATUSES)

def _coverage(p: Params, solution_ids: Sequence[uuid.UUID], level: str, land: str | None) -> str:
    """CTEs ``adopted`` (the adoptions of the solutions) and ``covering`` (each covered unit with
    its population and its first and latest covering go-live)."""
    ids, area_level = p.add(list(solution_ids)), p.add(rules.ELIGIBLE_AREA_LEVEL[level])
    in_land = f"AND left(a.area, 2) = {p.add(land)}" if land else ""
    return f"""
adopted AS (
    SELECT a.area, a.status, a.live_since FROM adoption a WHERE a.solution = ANY({ids}::uuid[]) {in_land}
),
covering AS (
    SELECT u.ars, coalesce(u.population, 0)::bigint AS population, min(a.live_since) AS since,
           max(a.live_since) AS latest
    FROM adopted a
    JOIN area u ON u.level = {area_level} AND u.current
         AND u.ars COLLATE "C" >= a.area COLLATE "C" AND u.ars COLLATE "C" < (a.area || ':') COLLATE "C"
    WHERE a.status = 'live' AND length(a.area) IN ({", ".join(map(str, rules.PREFIX_LENGTHS))})
    GROUP BY u.ars, u.population
)"""


def _cells(p: Params, solution_ids: Sequence[uuid.UUID], level: str, land: str | None, by: str = "land") -> str:
    """CTE ``cells``: one row per Land (all, or ``land``), or with ``by="kreis"`` per Kreis of
    ``land``, keyed ``key`` (and ``name``), with the ``Cell`` columns: the units inside it and the
    adoptions located in it."""
    n = 2 if by == "land" else 5
    coverage = _coverage(p, solution_ids, level, land)
    in_land = f"AND u.land = {p.add(land)}" if land else ""
    unit_level = p.add(rules.ELIGIBLE_AREA_LEVEL[level])
    only = "" if not land else f"AND k.ars = {p.add(land)}" if by == "land" else f"AND k.land = {p.add(land)}"
    return f"""
WITH {coverage},
eligible AS (
    SELECT left(u.ars, {n}) AS key, count(*)::int AS n, sum(coalesce(u.population, 0))::bigint AS pop FROM area u
    WHERE u.level = {unit_level} AND u.current {in_land} GROUP BY 1
),
covered AS (
    SELECT left(ars, {n}) AS key, count(*)::int AS n, sum(population)::bigint AS pop, min(since) AS first,
           max(latest) AS latest
    FROM covering GROUP BY 1
),
statuses AS (SELECT left(area, {n}) AS key, {STATUS_COUNTS} FROM adopted WHERE length(area) >= {n} GROUP BY 1),
cells AS (
    SELECT k.ars AS key, k.name, coalesce(e.n, 0) AS eligible_units, coalesce(e.pop, 0) AS eligible_population,
           coalesce(c.n, 0) AS covered_units, coalesce(c.pop, 0) AS covered_population,
           {", ".join(f"coalesce(s.{s}, 0) AS {s}" for s in rules.STATUSES)},
           c.first AS first_go_live, c.latest AS latest_go_live
    FROM area k
    LEFT JOIN eligible e ON e.key = k.ars LEFT JOIN covered c ON c.key = k.ars LEFT JOIN statuses s ON s.key = k.ars
    WHERE k.level = '{by}' AND k.current {only}
)"""


def to_cell(row: asyncpg.Record) -> Cell:
    """The ``Cell`` columns of a row."""
    return Cell(**{f: row[f] for f in FIGURES})


# --------------------------------------------------------------------------- computing (exact, live)


async def compute_cells(
    conn: asyncpg.Connection, solution_ids: Sequence[uuid.UUID], level: str, land: str | None = None
) -> dict[str, Cell]:
    """Figures per Land straight from the adoptions (no summary rows read or written)."""
    p = Params()
    rows = await conn.fetch(_cells(p, solution_ids, level, land) + " SELECT * FROM cells", *p.values)
    return {r["key"]: to_cell(r) for r in rows}


async def compute_kreis_cells(
    conn: asyncpg.Connection, solution_ids: Sequence[uuid.UUID], level: str, land: str | None
) -> list[tuple[str, str, Cell]]:
    """(Kreis ARS, name, figures) for every Kreis (and kreisfreie Stadt) of ``land``, or of Germany."""
    p = Params()
    sql = _cells(p, solution_ids, level, land, by="kreis") + " SELECT * FROM cells ORDER BY key"
    return [(r["key"], r["name"], to_cell(r)) for r in await conn.fetch(sql, *p.values)]


async def compute_new_per_month(
    conn: asyncpg.Connection, solution_ids: Sequence[uuid.UUID], level: str
) -> list[tuple[str, dt.date, int]]:
    """(Land, month, units first covered in that month): a unit counts from its first go-live."""
    p = Params()
    sql = (f"WITH {_coverage(p, solution_ids, level, None)}"
           " SELECT left(ars, 2) AS land, date_trunc('month', since)::date AS month, count(*)::int AS n"
           " FROM covering GROUP BY 1, 2 ORDER BY 1, 2")
    return [(r["land"], r["month"], r["n"]) for r in await conn.fetch(sql, *p.values)]


async def compute_go_live_days(
    conn: asyncpg.Connection, solution_ids: Sequence[uuid.UUID], level: str
) -> list[tuple[str, dt.date, int]]:
    """(Land, day, units first covered that day) of the units covered now, for the forecast: the
    same rule as ``compute_new_per_month``, by day because the forecast's window is."""
    p = Params()
    sql = (f"WITH {_coverage(p, solution_ids, level, None)}"
           " SELECT left(ars, 2) AS land, since AS day, count(*)::int AS n"
           " FROM covering GROUP BY 1, 2 ORDER BY 1, 2")
    return [(r["land"], r["day"], r["n"]) for r in await conn.fetch(sql, *p.values)]


# --------------------------------------------------------------------------- maintaining summary rows


def _upsert(table: str, key_column: str, key: str, extra: dict[str, str]) -> str:
    columns = [key_column, "land", *extra, *FIGURES]
    selected = [key, "key", *extra.values(), *FIGURES]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[2:])
    return (f" INSERT INTO {table} ({', '.join(columns)}, refreshed_at)"
            f" SELECT {', '.join(selected)}, now() FROM cells"
            f" ON CONFLICT ({key_column}, land) DO UPDATE SET {updates}, refreshed_at = now()")


async def store_solution_cells(
    conn: asyncpg.Connection, solution_id: uuid.UUID, level: str, land: str | None = None
) -> None:
    p = Params()
    cells = _cells(p, [solution_id], level, land)
    key, stored_level = p.add(solution_id), p.add(level)
    await conn.execute(cells + _upsert("rollout_solution_land", "solution", f"{key}::uuid",
                                       {"rollout_level": stored_level}), *p.values)


async def store_ozg_cells(
    conn: asyncpg.Connection, ozg_id: str, level: str, solution_ids: Sequence[uuid.UUID], land: str | None = None
) -> None:
    """Figures over the union of ``solution_ids``; the set is stored to spot later link changes."""
    p = Params()
    ordered = sorted(solution_ids)
    cells = _cells(p, ordered, level, land)
    key, stored_level, ids = p.add(ozg_id), p.add(level), p.add(ordered)
    await conn.execute(cells + _upsert("rollout_ozg_land", "ozg_leistung", key,
                                       {"rollout_level": stored_level, "solution_ids": f"{ids}::uuid[]"}), *p.values)


async def land_codes(conn: asyncpg.Connection) -> list[str]:
    return [r[0] for r in await conn.fetch("SELECT ars FROM area WHERE level = 'land' AND current ORDER BY ars")]


async def solution_state(conn: asyncpg.Connection, solution_id: uuid.UUID) -> asyncpg.Record | None:
    """The solution's level, the levels its summary rows were computed at, and its OZG-Leistungen
    (linked now, or counted in a stored OZG summary: both need a refresh after a link change)."""
    return await conn.fetchrow(SOLUTION_STATE, solution_id)


SOLUTION_STATE = (
    "SELECT s.rollout_level,"
    " ARRAY(SELECT DISTINCT r.rollout_level FROM rollout_solution_land r WHERE r.solution = s.id) AS stored,"
    " ARRAY(SELECT so.ozg_leistung FROM solution_ozg_leistung so WHERE so.solution = s.id"
    "       UNION SELECT o.ozg_leistung FROM rollout_ozg_land o WHERE o.solution_ids @> ARRAY[s.id]"
    "       ORDER BY 1) AS ozg_ids"
    # FOR SHARE: a concurrent change of the level or the links (an UPDATE of the solution
    # row) waits for this refresh to commit, or this refresh waits and reads the new state.
    " FROM solution s WHERE s.id = $1 FOR SHARE OF s")


# Per OZG-Leistung its members by index look-ups (``solution_ozg_leistung_ozg_idx``, the solution's
# key): a write reads the members of a handful of OZG-Leistungen, where joining the link and solution
# tables whole cost more than the rest of its state read.
MEMBERS_SQL = """
SELECT o.ozg_id, o.execution_level, coalesce(m.solution_ids, ARRAY[]::uuid[]) AS solution_ids,
       coalesce(m.levels, ARRAY[]::text[]) AS levels
FROM ozg_leistung o
CROSS JOIN LATERAL (
    SELECT array_agg(so.solution ORDER BY so.solution) AS solution_ids,
           array_agg(s.rollout_level ORDER BY so.solution) AS levels
    FROM solution_ozg_leistung so
    CROSS JOIN LATERAL (SELECT s.rollout_level FROM solution s WHERE s.id = so.solution AND s.status <> 'retired'
                        LIMIT 1) s
    WHERE so.ozg_leistung = o.ozg_id
) m
WHERE {where}
ORDER BY o.ozg_id
"""


async def ozg_members(conn: asyncpg.Connection, ozg_ids: Sequence[str] | None = None) -> list[asyncpg.Record]:
    """Per OZG-Leistung: execution level and its non-retired solutions (ids and levels)."""
    if ozg_ids is None:
        return await conn.fetch(MEMBERS_SQL.format(where="true"))
    return await conn.fetch(MEMBERS_SQL.format(where="o.ozg_id = ANY($1::text[])"), list(ozg_ids))


async def ozg_ids_counting(conn: asyncpg.Connection, solution_id: uuid.UUID) -> list[str]:
    """The OZG-Leistungen whose stored union counts the solution (it may be gone by now)."""
    rows = await conn.fetch("SELECT DISTINCT ozg_leistung FROM rollout_ozg_land WHERE solution_ids @> ARRAY[$1::uuid]",
                            solution_id)
    return [r[0] for r in rows]


async def stored_ozg_state(conn: asyncpg.Connection, ozg_ids: Sequence[str], land: str) -> dict[str, asyncpg.Record]:
    rows = await conn.fetch("SELECT ozg_leistung, rollout_level, solution_ids FROM rollout_ozg_land"
                            " WHERE ozg_leistung = ANY($1::text[]) AND land = $2", list(ozg_ids), land)
    return {r["ozg_leistung"]: r for r in rows}


async def clear(conn: asyncpg.Connection) -> None:
    # DELETE, not TRUNCATE: readers keep seeing the old figures until the rebuild commits.
    await conn.execute("DELETE FROM rollout_solution_land")
    await conn.execute("DELETE FROM rollout_ozg_land")


async def all_solution_ids(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT id, rollout_level FROM solution ORDER BY id")
