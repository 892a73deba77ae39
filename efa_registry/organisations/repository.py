"""SQL of the organisation aggregate."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from efa_registry.kit import sql
from efa_registry.kit.paging import Page, decode_cursor, page_of
from efa_registry.kit.slugs import as_uuid
from efa_registry.kit.sql import Params
from efa_registry.organisations.model import Organisation, OrganisationFilter

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
    found = as_uuid(key)
    return (f"{alias}.id = $1", found) if found else (f"{alias}.slug = $1", key)


async def get(conn: asyncpg.Connection, key: str | uuid.UUID, *, for_update: bool = False) -> Organisation | None:
    condition, value = key_condition(key)
    sql = SELECT + f" WHERE {condition}" + (" FOR UPDATE OF o" if for_update else "")
    row = await conn.fetchrow(sql, value)
    return _organisation(row) if row else None


async def list_organisations(
    conn: asyncpg.Connection, flt: OrganisationFilter, *, limit: int, after: str | None
) -> Page[Organisation]:
    key = decode_cursor(after, listing="organisations", kinds=(str, uuid.UUID))
    p = Params()
    where = p.equal({"o.kind": flt.kind, "a.land": flt.land})
    if flt.q:
        where.append(f"o.name ILIKE {p.add('%' + flt.q.replace('%', '').replace('_', '') + '%')}")
    if key:
        where.append(f"(lower(o.name), o.id) > ({p.add(key[0])}, {p.add(uuid.UUID(key[1]))})")
    sql = SELECT + (" WHERE " + " AND ".join(where) if where else "")
    rows = await conn.fetch(sql + f" ORDER BY lower(o.name), o.id LIMIT {p.add(limit + 1)}", *p.values)
    return page_of([_organisation(r) for r in rows], limit, lambda o: [o.name.lower(), str(o.id)], "organisations")


async def insert(conn: asyncpg.Connection, values: dict[str, Any]) -> None:
    await sql.insert(conn, "organisation", values)


async def update(conn: asyncpg.Connection, organisation_id: uuid.UUID, values: dict[str, Any]) -> int:
    """Write ``values`` to a locked organisation and bump its version; returns the new version."""
    return await sql.update_versioned(conn, "organisation", organisation_id, values)
