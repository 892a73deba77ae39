"""Recording events — always on the connection of the change's own transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg
import msgspec

from efa_registry.access.model import Actor
from efa_registry.types import EntityType

INSERT_EVENT = """
INSERT INTO event (actor, request_id, entity_type, entity_id, action, version, snapshot,
                   solution_id, land, themenfelder)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)
RETURNING seq
"""


async def record(
    conn: asyncpg.Connection,
    *,
    actor: Actor,
    entity_type: EntityType,
    entity_id: str | uuid.UUID,
    action: str,
    version: int | None = None,
    snapshot: Any = None,
    solution_id: uuid.UUID | None = None,
    land: str | None = None,
    themenfelder: Sequence[str] = (),
) -> int:
    """Append one event; call inside the transaction that makes the change."""
    if not conn.is_in_transaction():
        raise RuntimeError("events must be recorded inside the change's transaction")
    body = msgspec.json.encode(snapshot).decode() if snapshot is not None else None
    return await conn.fetchval(
        INSERT_EVENT, actor.label, actor.request_id, entity_type, str(entity_id), action, version,
        body, solution_id, land, list(themenfelder),
    )


async def record_many(conn: asyncpg.Connection, events: Sequence[dict[str, Any]], *, actor: Actor) -> None:
    """Append many events in one round trip (bulk loads); same fields as ``record``."""
    if not conn.is_in_transaction():
        raise RuntimeError("events must be recorded inside the change's transaction")
    await conn.executemany(INSERT_EVENT.replace(" RETURNING seq", ""), [
        (actor.label, actor.request_id, e["entity_type"], str(e["entity_id"]), e["action"], e.get("version"),
         msgspec.json.encode(e["snapshot"]).decode() if e.get("snapshot") is not None else None,
         e.get("solution_id"), e.get("land"), list(e.get("themenfelder", ()))) for e in events])
