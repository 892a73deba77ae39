"""Who is acting (the principal behind a request, a CLI run or the system), and API tokens."""

from __future__ import annotations

import datetime as dt
import getpass
import uuid
from typing import Annotated

import msgspec
from msgspec import Meta

from efa_registry.kit.wire import Command, Record
from efa_registry.types import LINE_PATTERN, Ars, Instant, Role


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    """The author of a change, as recorded in events and transitions.

    ``label`` is what the audit trail shows, e.g. ``token:3f2a…(Koordinierungsstelle)`` or
    ``cli:root``; a token's secret never appears in it.
    """

    label: str
    role: Role | None = None
    token_id: uuid.UUID | None = None
    organisation_id: uuid.UUID | None = None
    ars: tuple[str, ...] = ()
    request_id: str | None = None

    @property
    def key(self) -> str:
        """A short stable identity (the token id, else the label), e.g. to scope idempotency keys."""
        return str(self.token_id) if self.token_id else self.label[:64]

    @classmethod
    def cli(cls) -> Actor:
        try:
            user = getpass.getuser()
        except Exception:  # no passwd entry in some containers
            user = "unknown"
        return cls(label=f"cli:{user}", role="curator")

    @classmethod
    def system(cls, what: str = "system") -> Actor:
        return cls(label=what, role="curator")


class Token(Record):
    """A token's record — never its secret. ``organisation`` on the wire."""

    id: uuid.UUID
    name: str
    role: Role
    prefix: str
    organisation_id: uuid.UUID | None = msgspec.field(name="organisation")
    ars: list[str]
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    created_at: dt.datetime

    def state(self, now: dt.datetime) -> str:
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at and self.expires_at <= now else "active"


class NewToken(Command):
    """Mint a token: a provider token needs its organisation, an adopter token at least one ARS."""

    role: Role
    name: Annotated[str, Meta(min_length=2, max_length=200, pattern=LINE_PATTERN)]
    organisation_id: uuid.UUID | None = msgspec.field(default=None, name="organisation")
    ars: tuple[Ars, ...] = ()
    expires_at: Instant | None = None
