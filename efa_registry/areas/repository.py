"""Queries over areas (raw SQL: simple, indexed, and hot on the read path)."""

from __future__ import annotations

import asyncpg

from efa_registry.areas.model import Area, AreaFilter, LandSummary
from efa_registry.kit.paging import Page, decode_cursor, encode_cursor

AREA_COLUMNS = (
    "ars, ags, name, level, textkennzeichen, parent, land, iso_code, seat, population, area_ha,"
    " gebietsstand, current"
)


def _area(row: asyncpg.Record) -> Area:
    return Area(**dict(row))


async def get(conn: asyncpg.Connection, key: str) -> Area | None:
    """By ARS, or by 8-digit AGS for Gemeinden and gemeindefreie Gebiete."""
    column = "ags" if len(key) == 8 else "ars"
    row = await conn.fetchrow(f"SELECT {AREA_COLUMNS} FROM area WHERE {column} = $1", key)
    return _area(row) if row else None


async def list_areas(
    conn: asyncpg.Connection, flt: AreaFilter, *, limit: int, after: str | None
) -> Page[Area]:
    key = decode_cursor(after, arity=1)
    where, args = [], []

    def arg(value: object) -> str:
        args.append(value)
        return f"${len(args)}"

    if flt.level:
        where.append(f"level = {arg(flt.level)}")
    if flt.land:
        where.append(f"land = {arg(flt.land)}")
    if flt.parent:
        where.append(f"parent = {arg(flt.parent)}")
    if flt.q:
        pattern = flt.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(f"name ILIKE {arg('%' + pattern + '%')}")
    if key:
        where.append(f"ars > {arg(key[0])}")
    sql = f"SELECT {AREA_COLUMNS} FROM area"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY ars LIMIT {arg(limit + 1)}"
    rows = await conn.fetch(sql, *args)
    items = [_area(r) for r in rows[:limit]]
    next_cursor = encode_cursor([items[-1].ars]) if len(rows) > limit else None
    return Page(items=items, next_cursor=next_cursor)


LAND_SUMMARY_SQL = """
SELECT l.ars, l.iso_code, l.name, l.population, l.gebietsstand,
       coalesce(c.gemeinden, 0) AS gemeinden, coalesce(c.gemeindefreie_gebiete, 0) AS gemeindefreie_gebiete,
       coalesce(c.kreise, 0) AS kreise
FROM area l
LEFT JOIN land_count c ON c.land = l.ars  -- kept by a trigger on area (migration 04_10)
WHERE l.level = 'land' {where}
ORDER BY l.ars
"""


async def land_summaries(conn: asyncpg.Connection, land: str | None = None) -> list[LandSummary]:
    sql = LAND_SUMMARY_SQL.format(where="AND l.ars = $1" if land else "")
    rows = await conn.fetch(sql, *([land] if land else []))
    return [LandSummary(**dict(r)) for r in rows]
