"""API tokens: minted once, stored as SHA-256 hashes, resolved to an Actor per request."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

import msgspec
import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.errors import InvalidInput, NotFound, Unauthenticated
from efa_registry.events.recorder import record
from efa_registry.types import Role

log = structlog.get_logger(__name__)

TOKEN_PREFIX = "efa_"


class Token(msgspec.Struct, frozen=True, kw_only=True):
    """A token's record — never its secret."""

    id: uuid.UUID
    name: str
    role: Role
    prefix: str
    organisation_id: uuid.UUID | None
    ars: list[str]
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    created_at: dt.datetime

    def state(self, now: dt.datetime) -> str:
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at and self.expires_at <= now else "active"


class NewToken(msgspec.Struct, frozen=True, kw_only=True):
    role: Role
    name: str
    organisation_id: uuid.UUID | None = None
    ars: tuple[str, ...] = ()
    expires_at: dt.datetime | None = None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


SELECT = ("SELECT id, name, role, prefix, organisation AS organisation_id, ars, expires_at, revoked_at,"
          " last_used_at, created_at FROM api_token")


async def create_token(cmd: NewToken, *, actor: Actor) -> tuple[Token, str]:
    """Mint a token; the secret is returned once and only its hash is kept."""
    if cmd.role == "provider" and cmd.organisation_id is None:
        raise InvalidInput("a provider token needs an organisation", field="organisation")
    if cmd.role == "adopter" and not cmd.ars:
        raise InvalidInput("an adopter token needs at least one ARS", field="ars")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with db.transaction() as conn:
        if cmd.ars:
            known = await conn.fetchval("SELECT count(*) FROM area WHERE ars = ANY($1::text[])", list(cmd.ars))
            if known != len(set(cmd.ars)):
                raise InvalidInput("unknown ARS among the token's areas", field="ars")
        row = await conn.fetchrow(
            "INSERT INTO api_token (id, name, role, token_hash, prefix, organisation, ars, expires_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            uuid.uuid4(), cmd.name, cmd.role, hash_secret(secret), secret[:12], cmd.organisation_id,
            list(cmd.ars), cmd.expires_at,
        )
        token = await _get(conn, row["id"])
        await record(conn, actor=actor, entity_type="token", entity_id=token.id, action="created",
                     snapshot=msgspec.to_builtins(token))
    log.info("token.created", token_id=str(token.id), role=token.role)
    return token, secret


async def list_tokens() -> list[Token]:
    async with db.connection() as conn:
        rows = await conn.fetch(SELECT + " ORDER BY created_at, id")
    return [Token(**dict(r)) for r in rows]


async def revoke_token(token_id: uuid.UUID, *, actor: Actor) -> Token:
    async with db.transaction() as conn:
        updated = await conn.fetchval(
            "UPDATE api_token SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id", token_id)
        if updated is None:
            raise NotFound(f"no token {token_id}", field="id")
        token = await _get(conn, token_id)
        await record(conn, actor=actor, entity_type="token", entity_id=token_id, action="revoked",
                     snapshot=msgspec.to_builtins(token))
    log.info("token.revoked", token_id=str(token_id))
    return token


async def _get(conn, token_id: uuid.UUID) -> Token:
    row = await conn.fetchrow(SELECT + " WHERE id = $1", token_id)
    return Token(**dict(row))


async def authenticate(secret: str, *, request_id: str | None = None) -> Actor:
    """Resolve a bearer secret to its Actor; unknown, expired and revoked tokens are refused alike."""
    async with db.connection() as conn:
        row = await conn.fetchrow(
            "SELECT id, name, role, organisation, ars, expires_at, revoked_at, last_used_at"
            " FROM api_token WHERE token_hash = $1", hash_secret(secret))
        now = dt.datetime.now(dt.UTC)
        if row is None or row["revoked_at"] is not None or (row["expires_at"] and row["expires_at"] <= now):
            raise Unauthenticated("unknown, expired or revoked token")
        if row["last_used_at"] is None or now - row["last_used_at"] > dt.timedelta(minutes=5):
            # Throttled: a write per request would turn every read into a write.
            await conn.execute("UPDATE api_token SET last_used_at = $2 WHERE id = $1", row["id"], now)
    return Actor(label=f"token:{row['id']} ({row['name']})", role=row["role"], token_id=row["id"],
                 organisation_id=row["organisation"], ars=tuple(row["ars"]), request_id=request_id)
