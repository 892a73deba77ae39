"""Queries over the OZG catalogue."""

from __future__ import annotations

import re

import asyncpg

from efa_registry.kit.paging import Page, decode_cursor, page_of
from efa_registry.kit.sql import Params
from efa_registry.ozg.model import LeikaEntry, OzgFilter, OzgLeistung, Themenfeld

OZG_ID = re.compile(r"[0-9]{1,9}")  # cursors carry the OZG-ID as text; SQL compares it as an int

LEISTUNG_SELECT = """
SELECT o.ozg_id, o.name, o.themenfeld, t.name AS themenfeld_name, o.execution_level,
       coalesce((SELECT array_agg(l.name ORDER BY l.name) FROM ozg_leistung_lage ol
                 JOIN lage l ON l.key = ol.lage WHERE ol.ozg_leistung = o.ozg_id), ARRAY[]::text[]) AS lagen,
       coalesce((SELECT array_agg(e.leika_key ORDER BY e.leika_key) FROM leika_entry e
                 WHERE e.ozg_leistung = o.ozg_id), ARRAY[]::text[]) AS leika_keys
       {rank}
FROM ozg_leistung o JOIN themenfeld t ON t.key = o.themenfeld
"""


def _leistung(row: asyncpg.Record) -> OzgLeistung:
    data = dict(row)
    data.pop("rank", None)
    return OzgLeistung(**data)


async def themenfelder(conn: asyncpg.Connection) -> list[Themenfeld]:
    rows = await conn.fetch(
        "SELECT t.key, t.name, t.position, count(o.ozg_id) AS ozg_leistungen FROM themenfeld t"
        " LEFT JOIN ozg_leistung o ON o.themenfeld = t.key GROUP BY t.key ORDER BY t.position"
    )
    return [Themenfeld(**dict(r)) for r in rows]


async def get(conn: asyncpg.Connection, ozg_id: str) -> OzgLeistung | None:
    row = await conn.fetchrow(LEISTUNG_SELECT.format(rank="") + " WHERE o.ozg_id = $1", ozg_id)
    return _leistung(row) if row else None


async def leika_entries(conn: asyncpg.Connection, ozg_id: str) -> list[LeikaEntry]:
    rows = await conn.fetch(
        "SELECT leika_key, name, leika_type, legal_basis, sdg_relevant"
        " FROM leika_entry WHERE ozg_leistung = $1 ORDER BY leika_key", ozg_id)
    return [LeikaEntry(**dict(r)) for r in rows]


async def list_leistungen(
    conn: asyncpg.Connection, flt: OzgFilter, *, limit: int, after: str | None
) -> Page[OzgLeistung]:
    """Ranked by relevance when ``q`` is given, else by OZG-ID (numerically)."""
    p = Params()
    where = _conditions(p, flt)
    rank, order, keyset = _order(p, flt, after)
    sql = LEISTUNG_SELECT.format(rank=rank)
    if where or keyset:
        sql += " WHERE " + " AND ".join([*where, *keyset])
    rows = await conn.fetch(sql + f" ORDER BY {order} LIMIT {p.add(limit + 1)}", *p.values)
    cursor = (lambda r: [r["rank"], r["ozg_id"]]) if flt.q else (lambda r: [r["ozg_id"]])
    page = page_of(list(rows), limit, cursor)
    return Page(items=[_leistung(r) for r in page.items], next_cursor=page.next_cursor)


def _conditions(p: Params, flt: OzgFilter) -> list[str]:
    where = p.equal({"o.themenfeld": flt.themenfeld})
    if flt.lage:
        where.append(f"EXISTS (SELECT 1 FROM ozg_leistung_lage ol WHERE ol.ozg_leistung = o.ozg_id"
                     f" AND ol.lage = {p.add(flt.lage)})")
    if flt.leika_key:
        where.append(f"EXISTS (SELECT 1 FROM leika_entry e WHERE e.ozg_leistung = o.ozg_id"
                     f" AND e.leika_key = {p.add(flt.leika_key)})")
    return where


def _order(p: Params, flt: OzgFilter, after: str | None) -> tuple[str, str, list[str]]:
    """(rank column, ORDER BY, keyset condition): by relevance of ``q`` and OZG-ID, or by OZG-ID."""
    if not flt.q:
        key = decode_cursor(after, kinds=(OZG_ID,))
        return "", "o.ozg_id::int", [f"o.ozg_id::int > {p.add(int(key[0]))}"] if key else []
    query = f"websearch_to_tsquery('german', {p.add(flt.q)})"
    keyset = [f"o.search_vector @@ {query}"]
    key = decode_cursor(after, kinds=(float, OZG_ID))
    if key:
        r, i = p.add(key[0]), p.add(int(key[1]))
        keyset.append(f"(ts_rank(o.search_vector, {query}) < {r}::real OR "
                      f"(ts_rank(o.search_vector, {query}) = {r}::real AND o.ozg_id::int > {i}))")
    return f", ts_rank(o.search_vector, {query}) AS rank", "rank DESC, o.ozg_id::int", keyset
