"""SQL of the organisation aggregate."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from efa_registry.kit.paging import Page, decode_cursor, encode_cursor
from efa_registry.organisations.model import Organisation

SELECT = """
SELECT o.id, o.slug, o.kind, o.name, o.area, a.name AS area_name, a.land, o.website, o.contact_name,
       o.contact_email, o.contact_phone, o.is_demo, o.version, o.created_at, o.updated_at
FROM organisation o LEFT JOIN area a ON a.ars = o.area
"""


def _organisation(row: asyncpg.Record) -> Organisation:
    return Organisation(**dict(row))


def key_condition(key: str | uuid.UUID, alias: str = "o") -> tuple[str, Any]:
    """Look-ups accept the UUID or the slug."""
    if isinstance(key, uuid.UUID):
        return f"{alias}.id = $1", key
    try:
        return f"{alias}.id = $1", uuid.UUID(key)
    except ValueError:
        return f"{alias}.slug = $1", key


async def get(conn: asyncpg.Connection, key: str | uuid.UUID, *, for_update: bool = False) -> Organisation | None:
    condition, value = key_condition(key)
    sql = SELECT + f" WHERE {condition}" + (" FOR UPDATE OF o" if for_update else "")
    row = await conn.fetchrow(sql, value)
    return _organisation(row) if row else None


async def list_organisations(
    conn: asyncpg.Connection, *, kind: str | None, land: str | None, q: str | None, limit: int, after: str | None
) -> Page[Organisation]:
    key = decode_cursor(after, arity=2)
    where, args = [], []

    def arg(value: object) -> str:
        args.append(value)
        return f"${len(args)}"

    if kind:
        where.append(f"o.kind = {arg(kind)}")
    if land:
        where.append(f"a.land = {arg(land)}")
    if q:
        where.append(f"o.name ILIKE {arg('%' + q.replace('%', '').replace('_', '') + '%')}")
    if key:
        where.append(f"(lower(o.name), o.id) > ({arg(key[0])}, {arg(uuid.UUID(key[1]))})")
    sql = SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += f" ORDER BY lower(o.name), o.id LIMIT {arg(limit + 1)}"
    rows = await conn.fetch(sql, *args)
    items = [_organisation(r) for r in rows[:limit]]
    cursor = encode_cursor([items[-1].name.lower(), str(items[-1].id)]) if len(rows) > limit else None
    return Page(items=items, next_cursor=cursor)
