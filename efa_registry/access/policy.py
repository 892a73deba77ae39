"""The authorisation table: role × action → which objects the role may act on.

One readable place for every permission, the steps of the adoption lifecycle included. A use
case asks once, ``authorize(actor, action, organisation_id=…, ars=…)``, naming the object by its
owners (the providing organisation, the area it lies in); the table decides.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from enum import Enum
from typing import Literal

from efa_registry.access.model import Actor
from efa_registry.errors import Forbidden, Unauthenticated
from efa_registry.events.model import Audience

Action = Literal[
    "organisation.create", "organisation.update",
    "solution.create", "solution.update", "solution.retire",
    "interface.create", "interface.update", "interface.retire",
    "adoption.subscribe", "adoption.bulk", "adoption.import",
    "adoption.agree", "adoption.start_onboarding", "adoption.go_live",
    "adoption.pause", "adoption.resume", "adoption.withdraw", "adoption.edit",
    "token.manage", "webhook.manage", "contact.read",
]


class Scope(Enum):
    """How far a permission reaches."""

    ANY = "any"                    # every object
    OWN_ORGANISATION = "own_org"   # objects owned by the token's organisation
    OWN_AREA = "own_area"          # objects of an area inside one of the token's ARS
    NONE = "none"


A, ORG, AREA, NO = Scope.ANY, Scope.OWN_ORGANISATION, Scope.OWN_AREA, Scope.NONE

# Adoptions: ORG is the organisation providing the adopted solution, AREA an adopter whose token
# covers the adopting area. The lifecycle steps are named as in ``adoptions.rules.TRANSITIONS``;
# ``adoption.edit`` (plans, notes, interfaces without a step) is for whoever may go live or pause.
#                                 curator provider adopter integrator
PERMISSIONS: dict[Action, tuple[Scope, Scope, Scope, Scope]] = {
    "organisation.create":       (A, NO, NO, NO),
    "organisation.update":       (A, ORG, NO, NO),
    "solution.create":           (A, ORG, NO, NO),
    "solution.update":           (A, ORG, NO, NO),
    "solution.retire":           (A, ORG, NO, NO),
    "interface.create":          (A, ORG, NO, NO),
    "interface.update":          (A, ORG, NO, NO),
    "interface.retire":          (A, ORG, NO, NO),
    "adoption.subscribe":        (A, NO, AREA, NO),
    "adoption.bulk":             (A, ORG, NO, NO),
    "adoption.import":           (A, NO, NO, NO),
    "adoption.agree":            (A, ORG, NO, NO),
    "adoption.start_onboarding": (A, ORG, NO, NO),
    "adoption.go_live":          (A, ORG, AREA, NO),
    "adoption.pause":            (A, NO, AREA, NO),
    "adoption.resume":           (A, NO, AREA, NO),
    "adoption.withdraw":         (A, NO, AREA, NO),
    "adoption.edit":             (A, ORG, AREA, NO),
    "token.manage":              (A, NO, NO, NO),
    "webhook.manage":            (A, NO, NO, A),
    "contact.read":              (A, A, A, A),
}
ROLES = ("curator", "provider", "adopter", "integrator")

# Authorisation by property: of a resource a role may update at all (the table above), which fields
# it may set. A field not listed here is open to every role the action allows. Identity and
# ownership stay with the coordination office: a provider keeps its organisation's texts and
# contacts current, not its kind, its area (the Land it belongs to) or its slug, and it cannot hand
# a solution to another provider.
CURATORS = frozenset({"curator"})
FIELD_PERMISSIONS: dict[tuple[str, str], frozenset[str]] = {
    ("organisation", "kind"): CURATORS,
    ("organisation", "area"): CURATORS,
    ("organisation", "slug"): CURATORS,
    ("solution", "provider"): CURATORS,
}


def role_scope(role: str | None, action: Action) -> Scope:
    return Scope.NONE if role is None else PERMISSIONS[action][ROLES.index(role)]


def scope_of(actor: Actor | None, action: Action) -> Scope:
    return role_scope(None if actor is None else actor.role, action)


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
        raise Forbidden(f"role {actor.role} may not {action.replace('.', ' ').replace('_', ' ')} here")


def authorize_fields(actor: Actor, resource: str, fields: Iterable[str]) -> None:
    """Raise Forbidden, naming the field as the client sent it, for a field ``actor`` may not set."""
    for field in fields:
        allowed = FIELD_PERMISSIONS.get((resource, field))
        if allowed is not None and actor.role not in allowed:
            wire = field.split("_")[0] + "".join(part.title() for part in field.split("_")[1:])
            raise Forbidden(f"role {actor.role} may not change the {wire} of a {resource}", field=wire)


def can(actor: Actor | None, action: Action, **owner: object) -> bool:
    try:
        authorize(actor, action, **owner)  # type: ignore[arg-type]
    except (Forbidden, Unauthenticated):
        return False
    return True


def audience_of(actor: Actor | None) -> Audience:
    """How much of the event log a caller reads: the public no operational events and no contact
    details, authenticated callers contacts too, curators everything."""
    if actor is None or actor.role is None:
        return "public"
    return "internal" if actor.role == "curator" else "authenticated"
