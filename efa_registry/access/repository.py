"""SQL of API tokens (only their hashes are stored)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import asyncpg

from efa_registry.access.model import NewToken, Token

SELECT = ("SELECT id, name, role, prefix, organisation AS organisation_id, ars, expires_at, revoked_at,"
          " last_used_at, created_at FROM api_token")


async def insert(conn: asyncpg.Connection, token_id: uuid.UUID, cmd: NewToken, *, prefix: str, token_hash: str
                 ) -> None:
    await conn.execute(
        "INSERT INTO api_token (id, name, role, token_hash, prefix, organisation, ars, expires_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        token_id, cmd.name, cmd.role, token_hash, prefix, cmd.organisation_id, list(cmd.ars), cmd.expires_at)


async def get(conn: asyncpg.Connection, token_id: uuid.UUID) -> Token | None:
    row = await conn.fetchrow(SELECT + " WHERE id = $1", token_id)
    return Token(**dict(row)) if row else None


async def list_tokens(conn: asyncpg.Connection) -> list[Token]:
    return [Token(**dict(r)) for r in await conn.fetch(SELECT + " ORDER BY created_at, id")]


async def revoke(conn: asyncpg.Connection, token_id: uuid.UUID) -> bool:
    """Set ``revoked_at`` (once: a second revocation keeps the first time); False for an unknown id."""
    return await conn.fetchval("UPDATE api_token SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1"
                               " RETURNING true", token_id) is not None


async def by_hash(conn: asyncpg.Connection, token_hash: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT id, name, role, organisation, ars, expires_at, revoked_at, last_used_at"
                               " FROM api_token WHERE token_hash = $1", token_hash)


async def touch(conn: asyncpg.Connection, token_id: uuid.UUID, now: dt.datetime) -> None:
    await conn.execute("UPDATE api_token SET last_used_at = $2 WHERE id = $1", token_id, now)


async def count_areas(conn: asyncpg.Connection, ars: Sequence[str]) -> int:
    """How many of ``ars`` are areas (a token is bound only to areas that exist). The area table is
    read here, not through ``areas``: that package records its imports as events of an actor, so it
    depends on access, and the two must not depend on each other both ways."""
    return await conn.fetchval("SELECT count(*) FROM area WHERE ars = ANY($1::text[])", list(ars))
