"""Idempotency keys for creating POSTs: a repeated key returns what the first request created.

The key is claimed inside the create's own transaction. A concurrent duplicate blocks on the
unique index until the first commits, then finds the recorded result — so two identical requests
racing each other still create one entity.
"""

from __future__ import annotations

import hashlib
import uuid

import asyncpg
import msgspec

from efa_registry.errors import InvalidInput
from efa_registry.types import UNSTORABLE

MAX_KEY_LENGTH = 200  # idempotency_key.key is varchar(200)


def fingerprint(*parts: object) -> str:
    return hashlib.sha256(msgspec.json.encode(parts)).hexdigest()


async def claim(conn: asyncpg.Connection, *, scope: str, key: str, request_hash: str) -> int | uuid.UUID:
    """Claim ``key``: returns the claim id (int) to complete later, or the entity id (UUID) that
    an earlier request with this key created."""
    if not 1 <= len(key) <= MAX_KEY_LENGTH or UNSTORABLE.search(key):
        raise InvalidInput(f"an Idempotency-Key has 1 to {MAX_KEY_LENGTH} characters", field="Idempotency-Key")
    claim_id = await conn.fetchval(
        "INSERT INTO idempotency_key (scope, key, request_hash) VALUES ($1, $2, $3)"
        " ON CONFLICT (scope, key) DO NOTHING RETURNING id", scope, key, request_hash)
    if claim_id is not None:
        return claim_id
    row = await conn.fetchrow("SELECT request_hash, response FROM idempotency_key WHERE scope = $1 AND key = $2",
                              scope, key)
    if row["request_hash"] != request_hash:
        raise InvalidInput("this Idempotency-Key was used for a different request", field="Idempotency-Key")
    return uuid.UUID(msgspec.json.decode(row["response"])["id"])


async def complete(conn: asyncpg.Connection, claim_id: int, *, entity_id: uuid.UUID) -> None:
    """Record what the claimed request created, for its repeats to find."""
    await conn.execute("UPDATE idempotency_key SET response = $2::jsonb WHERE id = $1",
                       claim_id, msgspec.json.encode({"id": str(entity_id)}).decode())
