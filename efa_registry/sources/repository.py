"""SQL of the official sources: which edition of each is loaded."""

from __future__ import annotations

import datetime as dt

import asyncpg

UPSERT_SOURCE_SQL = """
INSERT INTO reference_source (kind, edition, sha256, origin, loaded_at) VALUES ($1, $2, $3, $4, now())
ON CONFLICT (kind) DO UPDATE SET edition = excluded.edition, sha256 = excluded.sha256,
    origin = excluded.origin, loaded_at = now()
"""


async def record_source(conn: asyncpg.Connection, kind: str, *, edition: str, sha256: str, origin: str) -> None:
    """Note the edition just loaded (call inside the import's transaction)."""
    await conn.execute(UPSERT_SOURCE_SQL, kind, edition, sha256, origin)


async def stored_sources(conn: asyncpg.Connection) -> dict[str, dict[str, object]]:
    rows = await conn.fetch("SELECT kind, edition, sha256, origin, loaded_at FROM reference_source")
    return {r["kind"]: dict(r) for r in rows}


async def current_gebietsstand(conn: asyncpg.Connection) -> dt.date | None:
    """The newest Gebietsstand among the current areas (the edition a later import left)."""
    return await conn.fetchval("SELECT max(gebietsstand) FROM area WHERE current")


# Every page asks: one statement for the loaded editions and whether demo data is there.
FACTS_SQL = """
SELECT d.demo, s.kind, s.edition, s.sha256, s.origin, s.loaded_at
FROM (SELECT EXISTS (SELECT FROM solution WHERE is_demo) OR EXISTS (SELECT FROM organisation WHERE is_demo)
      AS demo) d
LEFT JOIN reference_source s ON true
"""


async def sources_and_demo(conn: asyncpg.Connection) -> tuple[dict[str, dict[str, object]], bool]:
    """The loaded editions by kind, and whether demo data is loaded."""
    rows = await conn.fetch(FACTS_SQL)
    stored = {r["kind"]: dict(r) for r in rows if r["kind"] is not None}
    return stored, bool(rows[0]["demo"])
