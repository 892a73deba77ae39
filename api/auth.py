"""Bearer tokens → the Actor behind a request (None for anonymous callers).

Authorisation itself is decided in the core (efa_registry.access.policy); this only identifies.
"""

from __future__ import annotations

from litestar import Request
from litestar.di import NamedDependency, Provide

from efa_registry.access import tokens
from efa_registry.access.model import Actor
from efa_registry.errors import Unauthenticated


async def provide_actor(request: Request) -> Actor | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    return await tokens.authenticate(secret.strip(), request_id=request.scope["state"].get("request_id"))


DEPENDENCIES = {"actor": Provide(provide_actor)}

# The caller of a handler: ``actor: Caller`` (None for anonymous requests).
Caller = NamedDependency[Actor | None]
