"""The authorisation table: role × action → which objects the role may act on.

One readable place. Use cases call ``authorize`` with the object's owner; the table decides.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from enum import Enum
from typing import Literal

from efa_registry.access.model import Actor
from efa_registry.errors import Forbidden, Unauthenticated

Action = Literal[
    "organisation.create", "organisation.update",
    "solution.create", "solution.update", "solution.retire",
    "interface.create", "interface.update", "interface.retire",
    "adoption.subscribe", "adoption.bulk", "adoption.import",
    "token.manage", "webhook.manage", "contact.read",
]


class Scope(Enum):
    """How far a permission reaches."""

    ANY = "any"                    # every object
    OWN_ORGANISATION = "own_org"   # objects owned by the token's organisation
    OWN_AREA = "own_area"          # objects of an area inside one of the token's ARS
    NONE = "none"


A, ORG, AREA = Scope.ANY, Scope.OWN_ORGANISATION, Scope.OWN_AREA

#                          curator  provider  adopter  integrator
PERMISSIONS: dict[Action, tuple[Scope, Scope, Scope, Scope]] = {
    "organisation.create": (A, Scope.NONE, Scope.NONE, Scope.NONE),
    "organisation.update": (A, ORG, Scope.NONE, Scope.NONE),
    "solution.create": (A, ORG, Scope.NONE, Scope.NONE),
    "solution.update": (A, ORG, Scope.NONE, Scope.NONE),
    "solution.retire": (A, ORG, Scope.NONE, Scope.NONE),
    "interface.create": (A, ORG, Scope.NONE, Scope.NONE),
    "interface.update": (A, ORG, Scope.NONE, Scope.NONE),
    "interface.retire": (A, ORG, Scope.NONE, Scope.NONE),
    "adoption.subscribe": (A, Scope.NONE, AREA, Scope.NONE),
    "adoption.bulk": (A, ORG, Scope.NONE, Scope.NONE),
    "adoption.import": (A, Scope.NONE, Scope.NONE, Scope.NONE),
    "token.manage": (A, Scope.NONE, Scope.NONE, Scope.NONE),
    "webhook.manage": (A, Scope.NONE, Scope.NONE, A),
    "contact.read": (A, A, A, A),
}
ROLES = ("curator", "provider", "adopter", "integrator")


def scope_of(actor: Actor | None, action: Action) -> Scope:
    if actor is None or actor.role is None:
        return Scope.NONE
    return PERMISSIONS[action][ROLES.index(actor.role)]


def area_within(ars: str, granted: Iterable[str]) -> bool:
    """An ARS lies inside a granted one when the granted key is its prefix (Land ⊃ Kreis ⊃ Gemeinde)."""
    return any(ars.startswith(g) for g in granted)


def authorize(
    actor: Actor | None,
    action: Action,
    *,
    organisation_id: uuid.UUID | None = None,
    ars: str | None = None,
) -> None:
    """Raise Unauthenticated (no token) or Forbidden unless the table allows ``action`` on an
    object owned by ``organisation_id`` / located in ``ars``."""
    if actor is None or actor.role is None:
        raise Unauthenticated(f"{action} needs a bearer token")
    scope = scope_of(actor, action)
    allowed = (
        scope is Scope.ANY
        or (scope is Scope.OWN_ORGANISATION and organisation_id is not None
            and organisation_id == actor.organisation_id)
        or (scope is Scope.OWN_AREA and ars is not None and area_within(ars, actor.ars))
    )
    if not allowed:
        raise Forbidden(f"role {actor.role} may not {action.replace('.', ' ')} here")


def can(actor: Actor | None, action: Action, **owner: object) -> bool:
    try:
        authorize(actor, action, **owner)  # type: ignore[arg-type]
    except (Forbidden, Unauthenticated):
        return False
    return True
