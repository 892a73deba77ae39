"""Who is acting: the principal behind a request, a CLI run or the system."""

from __future__ import annotations

import getpass
import uuid

import msgspec

from efa_registry.types import Role


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
