"""API tokens, minted and revoked by the coordination office (also: `efa-registry token`)."""

from __future__ import annotations

import uuid

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody

from api.auth import Caller
from api.concurrency import IdempotencyKey
from efa_registry.access import tokens
from efa_registry.access.model import NewToken, Token
from efa_registry.access.policy import authorize


class MintedToken(Token):
    """The token record plus its secret — shown this once, never again (the one place the wire
    differs from the core's ``Token``)."""

    token: str


class TokenController(Controller):
    path = "/v1/tokens"
    tags = ["Access"]

    @get("/", operation_id="listTokens", summary="List tokens (curator)")
    async def list_tokens(self, actor: Caller) -> list[Token]:
        """All tokens with role, binding and state; never their secrets."""
        authorize(actor, "token.manage")
        return await tokens.list_tokens()

    @post("/", operation_id="createToken", summary="Mint a token (curator)")
    async def create_token(self, data: JSONBody[NewToken], actor: Caller,
                           idempotency_key: IdempotencyKey = None) -> MintedToken:
        """Mint a token. The secret is in the response once; only its hash is stored. A retry with the
        same `Idempotency-Key` mints no second token (409 naming the first)."""
        authorize(actor, "token.manage")
        record, secret = await tokens.create_token(data, actor=actor, idempotency_key=idempotency_key)
        return MintedToken(**msgspec.structs.asdict(record), token=secret)

    @delete("/{token_id:uuid}", operation_id="revokeToken", summary="Revoke a token (curator)", status_code=200)
    async def revoke_token(self, token_id: FromPath[uuid.UUID], actor: Caller) -> Token:
        """Revoke a token; requests with it get 401 from now on."""
        authorize(actor, "token.manage")
        return await tokens.revoke_token(token_id, actor=actor)
