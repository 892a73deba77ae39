"""SQL of the operational figures (cheap: counts over small indexes and the event log's tail)."""

from __future__ import annotations

import asyncpg

# Events committed but held back from the feed because an older transaction still runs, and the
# age of the oldest of them: the feed's lag behind the log.
FEED_LAG_SQL = """
SELECT count(*) AS held_back,
       coalesce(extract(epoch FROM now() - min(occurred_at)), 0) AS seconds
FROM event WHERE tx_id >= pg_snapshot_xmin(pg_current_snapshot())
"""
DELIVERIES_SQL = "SELECT status, count(*) FROM webhook_delivery GROUP BY status"


async def feed_lag(conn: asyncpg.Connection) -> tuple[int, float]:
    row = await conn.fetchrow(FEED_LAG_SQL)
    return row["held_back"], float(row["seconds"])


async def deliveries_by_status(conn: asyncpg.Connection) -> dict[str, int]:
    return dict(await conn.fetch(DELIVERIES_SQL))
