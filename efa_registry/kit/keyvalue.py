"""An expiring key-value table in PostgreSQL (``web_session``): what every API process shares.

Used by the curation pages' sessions (``api/web/session_store.py`` adapts it to Litestar's Store
interface), so that several workers or containers can serve one signed-in person.
"""

from __future__ import annotations

import datetime as dt

from efa_registry import db

GET_SQL = """
UPDATE web_session SET expires_at = CASE WHEN $2::float8 IS NULL THEN expires_at
                                         ELSE now() + make_interval(secs => $2::float8) END
WHERE key = $1 AND (expires_at IS NULL OR expires_at > now())
RETURNING value
"""
SET_SQL = """
INSERT INTO web_session (key, value, expires_at)
VALUES ($1, $2, CASE WHEN $3::float8 IS NULL THEN NULL ELSE now() + make_interval(secs => $3::float8) END)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
"""


def _seconds(value: int | dt.timedelta | None) -> float | None:
    return value.total_seconds() if isinstance(value, dt.timedelta) else (float(value) if value else None)


async def get(key: str, *, renew_for: int | dt.timedelta | None = None) -> bytes | None:
    """The live value of ``key`` (expiry pushed out by ``renew_for``), or None."""
    async with db.connection() as conn:
        return await conn.fetchval(GET_SQL, key, _seconds(renew_for))


async def put(key: str, value: bytes, *, expires_in: int | dt.timedelta | None = None) -> None:
    async with db.connection() as conn:
        await conn.execute(SET_SQL, key, value, _seconds(expires_in))


async def delete(key: str) -> None:
    async with db.connection() as conn:
        await conn.execute("DELETE FROM web_session WHERE key = $1", key)


async def delete_all() -> None:
    async with db.connection() as conn:
        await conn.execute("DELETE FROM web_session")


async def delete_expired() -> None:
    async with db.connection() as conn:
        await conn.execute("DELETE FROM web_session WHERE expires_at <= now()")


async def expires_in(key: str) -> int | None:
    """Seconds until ``key`` expires; None when it has no expiry or does not exist."""
    async with db.connection() as conn:
        left = await conn.fetchval(
            "SELECT extract(epoch FROM expires_at - now()) FROM web_session WHERE key = $1 AND expires_at > now()",
            key)
    return int(left) if left is not None else None
