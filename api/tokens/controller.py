"""API tokens, minted and revoked by the coordination office (also: `efa-registry token`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody
from msgspec import Meta

from api.auth import Caller
from api.schemas import WireOut
from efa_registry.access import tokens
from efa_registry.access.policy import authorize
from efa_registry.kit.commands import Command
from efa_registry.types import Ars, Role


class TokenCreate(Command):
    role: Role
    name: Annotated[str, Meta(min_length=2, max_length=200)]
    organisation: uuid.UUID | None = None
    ars: list[Ars] = msgspec.field(default_factory=list)
    expires_at: dt.datetime | None = None


class Token(WireOut):
    id: uuid.UUID
    name: str
    role: Role
    prefix: str
    organisation: uuid.UUID | None
    ars: list[str]
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    created_at: dt.datetime

    @classmethod
    def of(cls, t: tokens.Token) -> Token:
        return cls(id=t.id, name=t.name, role=t.role, prefix=t.prefix, organisation=t.organisation_id, ars=t.ars,
                   expires_at=t.expires_at, revoked_at=t.revoked_at, last_used_at=t.last_used_at,
                   created_at=t.created_at)


class MintedToken(Token):
    """The token record plus its secret — shown this once, never again."""

    token: str


class TokenController(Controller):
    path = "/v1/tokens"
    tags = ["Access"]

    @get("/", operation_id="listTokens", summary="List tokens (curator)")
    async def list_tokens(self, actor: Caller) -> list[Token]:
        """All tokens with role, binding and state; never their secrets."""
        authorize(actor, "token.manage")
        return [Token.of(t) for t in await tokens.list_tokens()]

    @post("/", operation_id="createToken", summary="Mint a token (curator)")
    async def create_token(self, data: JSONBody[TokenCreate], actor: Caller) -> MintedToken:
        """Mint a token. The secret is in the response once; only its hash is stored."""
        authorize(actor, "token.manage")
        record, secret = await tokens.create_token(
            tokens.NewToken(role=data.role, name=data.name, organisation_id=data.organisation, ars=tuple(data.ars),
                            expires_at=data.expires_at), actor=actor)
        return MintedToken(**msgspec.structs.asdict(Token.of(record)), token=secret)

    @delete("/{token_id:uuid}", operation_id="revokeToken", summary="Revoke a token (curator)", status_code=200)
    async def revoke_token(self, token_id: FromPath[uuid.UUID], actor: Caller) -> Token:
        """Revoke a token; requests with it get 401 from now on."""
        authorize(actor, "token.manage")
        return Token.of(await tokens.revoke_token(token_id, actor=actor))
