"""API tokens: minted once, stored as SHA-256 hashes, resolved to an Actor per request."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

import structlog

from efa_registry import db
from efa_registry.access import repository
from efa_registry.access.model import Actor, NewToken, Token
from efa_registry.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from efa_registry.events.recorder import record
from efa_registry.kit import idempotency

log = structlog.get_logger(__name__)

TOKEN_PREFIX = "efa_"
__all__ = ["NewToken", "Token", "authenticate", "create_token", "list_tokens", "revoke_token"]


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _check(cmd: NewToken) -> None:
    """A token names what its role uses and nothing else, and expires after it is minted."""
    try:
        expires = cmd.expires_at.astimezone(dt.UTC) if cmd.expires_at else None
    except OverflowError:
        raise InvalidInput("expiresAt lies past the year 9999", field="expiresAt") from None
    if expires is not None and expires <= dt.datetime.now(dt.UTC):
        raise InvalidInput("expiresAt lies in the past: the token would be expired at birth", field="expiresAt")
    if cmd.role == "provider" and cmd.organisation_id is None:
        raise InvalidInput("a provider token needs an organisation", field="organisation")
    if cmd.role != "provider" and cmd.organisation_id is not None:
        raise InvalidInput(f"a {cmd.role} token acts for no organisation", field="organisation")
    if cmd.role == "adopter" and not cmd.ars:
        raise InvalidInput("an adopter token needs at least one ARS", field="ars")
    if cmd.role != "adopter" and cmd.ars:
        raise InvalidInput(f"a {cmd.role} token acts for no area", field="ars")
    if len(set(cmd.ars)) != len(cmd.ars):
        raise InvalidInput("an area is listed twice", field="ars")


async def create_token(cmd: NewToken, *, actor: Actor, idempotency_key: str | None = None) -> tuple[Token, str]:
    """Mint a token; the secret is returned once and only its hash is kept. A retried mint with the
    same idempotency key creates no second credential: the secret cannot be shown again, so the
    repeat is a Conflict naming the token the first request minted."""
    _check(cmd)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with db.transaction() as conn:
        if cmd.ars and await repository.count_areas(conn, cmd.ars) != len(set(cmd.ars)):
            raise InvalidInput("unknown ARS among the token's areas", field="ars")
        claim = None
        if idempotency_key:
            claim = await idempotency.claim(conn, scope=actor.key, key=idempotency_key,
                                            request_hash=idempotency.fingerprint("token.create", cmd))
            if isinstance(claim, uuid.UUID):
                raise Conflict(f"this Idempotency-Key already minted token {claim}; its secret was shown once. "
                               "Revoke it and mint a new one if the secret was lost", field="Idempotency-Key")
        token_id = uuid.uuid4()
        await repository.insert(conn, token_id, cmd, prefix=secret[:12], token_hash=hash_secret(secret))
        if claim is not None:
            await idempotency.complete(conn, claim, entity_id=token_id)
        token = await repository.get(conn, token_id)
        await record(conn, actor=actor, entity_type="token", entity_id=token.id, action="created", snapshot=token)
    log.info("token.created", token_id=str(token.id), role=token.role)
    return token, secret


async def list_tokens() -> list[Token]:
    async with db.connection() as conn:
        return await repository.list_tokens(conn)


async def revoke_token(token_id: uuid.UUID, *, actor: Actor) -> Token:
    async with db.transaction() as conn:
        if not await repository.revoke(conn, token_id):
            raise NotFound(f"no token {token_id}", field="id")
        token = await repository.get(conn, token_id)
        await record(conn, actor=actor, entity_type="token", entity_id=token_id, action="revoked", snapshot=token)
    log.info("token.revoked", token_id=str(token_id))
    return token


async def authenticate(secret: str, *, request_id: str | None = None) -> Actor:
    """Resolve a bearer secret to its Actor; unknown, expired and revoked tokens are refused alike."""
    async with db.connection() as conn:
        row = await repository.by_hash(conn, hash_secret(secret))
        now = dt.datetime.now(dt.UTC)
        if row is None or row["revoked_at"] is not None or (row["expires_at"] and row["expires_at"] <= now):
            raise Unauthenticated("unknown, expired or revoked token")
        if row["last_used_at"] is None or now - row["last_used_at"] > dt.timedelta(minutes=5):
            # Throttled: a write per request would turn every read into a write.
            await repository.touch(conn, row["id"], now)
    return Actor(label=f"token:{row['id']} ({row['name']})", role=row["role"], token_id=row["id"],
                 organisation_id=row["organisation"], ars=tuple(row["ars"]), request_id=request_id)
