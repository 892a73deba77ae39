"""SQL of webhook subscriptions and their delivery log, for the use cases (``service``) and the
delivery worker (``delivery``)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg
import msgspec

from efa_registry.kit import sql
from efa_registry.kit.sql import Params
from efa_registry.webhooks.model import Delivery, Webhook, WebhookFilters

SELECT = ("SELECT id, url, event_types, filters, description, enabled, disabled_reason, owner AS owner_id, version,"
          " created_at, updated_at FROM webhook_subscription")


def _webhook(row: asyncpg.Record) -> Webhook:
    data = dict(row)
    data["filters"] = msgspec.json.decode(data["filters"] or "{}", type=WebhookFilters)
    data["event_types"] = list(data["event_types"])
    return Webhook(**data)


def _stored(values: dict[str, Any]) -> dict[str, Any]:
    """Column values as stored: the filters as JSON."""
    if "filters" in values:
        return {**values, "filters": msgspec.json.encode(values["filters"]).decode()}
    return values


async def get(conn: asyncpg.Connection, webhook_id: uuid.UUID, *, lock: bool = False) -> Webhook | None:
    row = await conn.fetchrow(SELECT + " WHERE id = $1" + (" FOR UPDATE" if lock else ""), webhook_id)
    return _webhook(row) if row else None


async def insert(conn: asyncpg.Connection, values: dict[str, Any]) -> None:
    await sql.insert(conn, "webhook_subscription", _stored(values))


async def update(conn: asyncpg.Connection, webhook_id: uuid.UUID, values: dict[str, Any]) -> int:
    """Write ``values`` to a locked subscription and bump its version; returns the new version."""
    return await sql.update_versioned(conn, "webhook_subscription", webhook_id, _stored(values))


async def delete(conn: asyncpg.Connection, webhook_id: uuid.UUID) -> None:
    """The subscription with its delivery log (``ON DELETE CASCADE``)."""
    await conn.execute("DELETE FROM webhook_subscription WHERE id = $1", webhook_id)


async def secret(conn: asyncpg.Connection, webhook_id: uuid.UUID) -> str:
    return await conn.fetchval("SELECT secret FROM webhook_subscription WHERE id = $1", webhook_id)


async def audience(conn: asyncpg.Connection, webhook_id: uuid.UUID) -> str:
    return await conn.fetchval("SELECT audience FROM webhook_subscription WHERE id = $1", webhook_id)


async def list_webhooks(
    conn: asyncpg.Connection, *, owner: uuid.UUID | None, after: tuple[dt.datetime, uuid.UUID] | None, limit: int
) -> list[Webhook]:
    """Oldest first; only ``owner``'s when given; up to ``limit`` after the (created_at, id) ``after``."""
    p, where = Params(), []
    if owner is not None:
        where.append(f"owner = {p.add(owner)}")
    if after:
        where.append(f"(created_at, id) > ({p.add(after[0])}, {p.add(after[1])})")
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    rows = await conn.fetch(f"{SELECT}{clause} ORDER BY created_at, id LIMIT {p.add(limit)}", *p.values)
    return [_webhook(r) for r in rows]


async def retry_pending_now(conn: asyncpg.Connection, webhook_id: uuid.UUID) -> None:
    await conn.execute("UPDATE webhook_delivery SET next_attempt_at = now()"
                       " WHERE subscription = $1 AND status = 'pending'", webhook_id)


async def disable(conn: asyncpg.Connection, webhook_id: uuid.UUID, reason: str) -> bool:
    """Disable an enabled subscription (a new version); False when it was disabled already."""
    return await conn.fetchval("UPDATE webhook_subscription SET enabled = false, disabled_reason = $2,"
                               " version = version + 1, updated_at = now() WHERE id = $1 AND enabled"
                               " RETURNING true", webhook_id, reason[:300]) is not None


DELIVERIES = """
SELECT d.id, d.event AS event_seq, e.entity_type || '.' || e.action AS event_type, d.status, d.attempts,
       d.last_status_code, d.last_error, CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS next_attempt_at,
       d.delivered_at, d.created_at
FROM webhook_delivery d JOIN event e ON e.seq = d.event
WHERE d.subscription = $1 AND d.event < $2 AND ($3::text IS NULL OR d.status = $3)
ORDER BY d.event DESC LIMIT $4
"""


async def deliveries(conn: asyncpg.Connection, webhook_id: uuid.UUID, *, before_seq: int, status: str | None,
                     limit: int) -> list[Delivery]:
    """The delivery log of events before ``before_seq``, newest event first."""
    return [Delivery(**dict(r)) for r in await conn.fetch(DELIVERIES, webhook_id, before_seq, status, limit)]


# --------------------------------------------------------------------------- the delivery worker


async def enabled_ids(conn: asyncpg.Connection) -> list[uuid.UUID]:
    return [r["id"] for r in await conn.fetch("SELECT id FROM webhook_subscription WHERE enabled")]


async def lock_for_enqueue(conn: asyncpg.Connection, webhook_id: uuid.UUID) -> asyncpg.Record | None:
    """An enabled subscription's event types, filters, audience and feed cursor, locked; None when
    another worker holds it or it was just disabled (SKIP LOCKED)."""
    return await conn.fetchrow("SELECT event_types, filters, audience, feed_cursor FROM webhook_subscription"
                               " WHERE id = $1 AND enabled FOR UPDATE SKIP LOCKED", webhook_id)


async def enqueue(conn: asyncpg.Connection, webhook_id: uuid.UUID, event_seqs: Sequence[int]) -> None:
    """One pending delivery per event (an event already queued for the subscription is skipped)."""
    await conn.execute("INSERT INTO webhook_delivery (id, subscription, event)"
                       " SELECT gen_random_uuid(), $1, seq FROM unnest($2::bigint[]) AS seq"
                       " ON CONFLICT (subscription, event) DO NOTHING", webhook_id, list(event_seqs))


async def save_cursor(conn: asyncpg.Connection, webhook_id: uuid.UUID, cursor: str) -> None:
    await conn.execute("UPDATE webhook_subscription SET feed_cursor = $2 WHERE id = $1", webhook_id, cursor)


CLAIM = """
WITH claimed AS (
    SELECT d.id FROM webhook_subscription s
    CROSS JOIN LATERAL (
        SELECT d.id FROM webhook_delivery d
        WHERE d.subscription = s.id AND d.status = 'pending' AND d.next_attempt_at <= now()
        ORDER BY d.next_attempt_at, d.event LIMIT $2
        FOR UPDATE SKIP LOCKED
    ) d
    WHERE s.enabled AND s.id <> ALL($1::uuid[])
    LIMIT $3
)
UPDATE webhook_delivery d SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $4)
FROM claimed c, webhook_subscription s, event e
WHERE d.id = c.id AND s.id = d.subscription AND e.seq = d.event
RETURNING d.id AS delivery_id, d.subscription, d.attempts, s.url, s.secret, s.consecutive_failures > 0 AS failing,
          e.seq, e.tx_id, e.occurred_at, e.actor, e.request_id, e.entity_type, e.entity_id, e.action, e.version,
          e.solution_id, e.land, e.themenfelder, e.snapshot
"""


async def claim(conn: asyncpg.Connection, *, busy: Sequence[uuid.UUID], per_subscription: int, limit: int,
                lease: float) -> list[asyncpg.Record]:
    """Claim up to ``limit`` due deliveries (``per_subscription`` at most each, none of ``busy``
    subscriptions) and push their next attempt one ``lease`` ahead, in one statement."""
    return await conn.fetch(CLAIM, list(busy), per_subscription, limit, lease)


async def succeeded(conn: asyncpg.Connection, delivery_id: uuid.UUID, status_code: int) -> None:
    await conn.execute("UPDATE webhook_delivery SET status = 'succeeded', delivered_at = now(), last_status_code = $2,"
                       " last_error = NULL WHERE id = $1", delivery_id, status_code)


async def reset_failures(conn: asyncpg.Connection, webhook_id: uuid.UUID) -> None:
    await conn.execute("UPDATE webhook_subscription SET consecutive_failures = 0"
                       " WHERE id = $1 AND consecutive_failures <> 0", webhook_id)


async def count_failure(conn: asyncpg.Connection, webhook_id: uuid.UUID) -> int | None:
    """One more consecutive failure; returns the new count (None when the subscription is gone)."""
    return await conn.fetchval("UPDATE webhook_subscription SET consecutive_failures = consecutive_failures + 1"
                               " WHERE id = $1 RETURNING consecutive_failures", webhook_id)


async def failed(conn: asyncpg.Connection, delivery_id: uuid.UUID, *, status: str, status_code: int | None,
                 error: str | None, retry_in: float) -> None:
    """Record a failed attempt: ``status`` stays pending (retried in ``retry_in`` s) or is failed."""
    await conn.execute("UPDATE webhook_delivery SET status = $2, last_status_code = $3, last_error = $4,"
                       " next_attempt_at = now() + make_interval(secs => $5) WHERE id = $1",
                       delivery_id, status, status_code, error, retry_in)


async def missing_filter_targets(conn: asyncpg.Connection, *, solution: uuid.UUID | None,
                                 themenfeld: str | None) -> set[str]:
    """Which of a filter's targets (``solution``, ``themenfeld``) name nothing that exists."""
    row = await conn.fetchrow(
        "SELECT $1::uuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM solution WHERE id = $1) AS solution,"
        " $2::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM themenfeld WHERE key = $2) AS themenfeld",
        solution, themenfeld)
    return {name for name, missing in row.items() if missing}
