"""SQL of the demo seed: what is there already, so a second run changes nothing."""

from __future__ import annotations

import uuid

import asyncpg


async def existing_slugs(conn: asyncpg.Connection) -> tuple[set[str], set[str]]:
    """The slugs of every organisation and every solution."""
    orgs = {r[0] for r in await conn.fetch("SELECT slug FROM organisation")}
    solutions = {r[0] for r in await conn.fetch("SELECT slug FROM solution")}
    return orgs, solutions


async def current_areas(conn: asyncpg.Connection) -> set[str]:
    return {r[0] for r in await conn.fetch("SELECT ars FROM area WHERE current")}


async def withdrawn_areas(conn: asyncpg.Connection, solution_id: uuid.UUID) -> set[str]:
    rows = await conn.fetch("SELECT area FROM adoption WHERE solution = $1 AND status = 'withdrawn'", solution_id)
    return {r[0] for r in rows}
