"""Queries over areas (raw SQL: simple, indexed, and hot on the read path)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from efa_registry.areas.model import MUNICIPALITY_LEVEL, Area, AreaFilter, LandSummary
from efa_registry.kit.paging import Page, decode_cursor, page_of
from efa_registry.kit.sql import Params

AREA_COLUMNS = (
    "ars, ags, name, level, textkennzeichen, parent, land, iso_code, seat, population, area_ha,"
    " gebietsstand, current"
)


def _area(row: asyncpg.Record) -> Area:
    data = dict(row)
    data.pop("pos", None)
    return Area(**data, is_municipality=row["level"] == MUNICIPALITY_LEVEL)


async def get(conn: asyncpg.Connection, key: str) -> Area | None:
    """By ARS, or by 8-digit AGS for Gemeinden and gemeindefreie Gebiete."""
    column = "ags" if len(key) == 8 else "ars"
    row = await conn.fetchrow(f"SELECT {AREA_COLUMNS} FROM area WHERE {column} = $1", key)
    return _area(row) if row else None


async def current_levels(conn: asyncpg.Connection, ars: Sequence[str]) -> dict[str, str]:
    """ARS → level, for those of ``ars`` that are current areas."""
    rows = await conn.fetch("SELECT ars, level FROM area WHERE ars = ANY($1::text[]) AND current", list(ars))
    return {r["ars"]: r["level"] for r in rows}


async def names(conn: asyncpg.Connection, ars: Sequence[str]) -> dict[str, str]:
    """ARS → name, for the areas that exist (e.g. to name them in events)."""
    rows = await conn.fetch("SELECT ars, name FROM area WHERE ars = ANY($1::varchar[])", list(ars))
    return {r["ars"]: r["name"] for r in rows}


async def units_within(conn: asyncpg.Connection, level: str, prefix: str) -> list[str]:
    """The ARS of every current area at ``level`` inside the area ``prefix``, in order."""
    rows = await conn.fetch(
        "SELECT ars FROM area WHERE level = $1 AND current AND starts_with(ars, $2) ORDER BY ars", level, prefix)
    return [r[0] for r in rows]


async def land_by_iso(conn: asyncpg.Connection, iso_code: str) -> str | None:
    """The key of the Land with ISO 3166-2 code ``iso_code`` (``DE-NW`` → ``05``)."""
    return await conn.fetchval("SELECT ars FROM area WHERE level = 'land' AND iso_code = $1", iso_code)


async def list_areas(
    conn: asyncpg.Connection, flt: AreaFilter, *, limit: int, after: str | None
) -> Page[Area]:
    key = decode_cursor(after, listing="areas", kinds=(str,))
    p = Params()
    where = p.equal({"level": flt.level, "land": flt.land, "parent": flt.parent})
    if flt.q:
        pattern = flt.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(f"name ILIKE {p.add('%' + pattern + '%')}")
    if key:
        where.append(f"ars > {p.add(key[0])}")
    sql = f"SELECT {AREA_COLUMNS} FROM area" + (" WHERE " + " AND ".join(where) if where else "")
    rows = await conn.fetch(sql + f" ORDER BY ars LIMIT {p.add(limit + 1)}", *p.values)
    return page_of([_area(r) for r in rows], limit, lambda a: [a.ars], "areas")


async def list_ranked(
    conn: asyncpg.Connection, ranked: Sequence[str], flt: AreaFilter, *, limit: int, after: str | None
) -> Page[Area]:
    """The areas of ``ranked`` (ARS, best first) that pass the other filters, in that order."""
    key = decode_cursor(after, listing="areas?q", kinds=(int,))  # the position in the ranking
    p = Params()
    where = ["a.current", *p.equal({"a.level": flt.level, "a.land": flt.land, "a.parent": flt.parent})]
    if key:
        where.append(f"m.pos > {p.add(key[0])}")
    columns = ", ".join(f"a.{c.strip()}" for c in AREA_COLUMNS.split(","))
    rows = await conn.fetch(
        f"SELECT {columns}, m.pos FROM unnest({p.add(list(ranked))}::text[]) WITH ORDINALITY AS m(ars, pos)"
        f" JOIN area a ON a.ars = m.ars WHERE {' AND '.join(where)} ORDER BY m.pos LIMIT {p.add(limit + 1)}",
        *p.values)
    page = page_of(list(rows), limit, lambda r: [r["pos"]], "areas?q")
    return Page(items=[_area(r) for r in page.items], next_cursor=page.next_cursor)


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
