"""The adoption lifecycle: legal transitions, and who may make them. Pure, no I/O.

    interested → agreed → onboarding → live
    any of these → paused (resumable to the state it paused from)
    any state but withdrawn → withdrawn (final)
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from efa_registry.access.policy import ROLES, Scope
from efa_registry.errors import InvalidInput, InvalidTransition

Transition = Literal["agree", "start_onboarding", "go_live", "pause", "resume", "withdraw"]
ACTIVE = ("interested", "agreed", "onboarding", "live")

FORWARD: dict[str, tuple[str, Transition]] = {
    "interested": ("agreed", "agree"),
    "agreed": ("onboarding", "start_onboarding"),
    "onboarding": ("live", "go_live"),
}

A, ORG, AREA, NO = Scope.ANY, Scope.OWN_ORGANISATION, Scope.OWN_AREA, Scope.NONE

# Who may make which transition: ORG = the providing organisation of the solution,
# AREA = an adopter whose token covers the adopting area.
#                                     curator provider adopter integrator
TRANSITION_PERMISSIONS: dict[Transition, tuple[Scope, Scope, Scope, Scope]] = {
    "agree":            (A, ORG, NO, NO),
    "start_onboarding": (A, ORG, NO, NO),
    "go_live":          (A, ORG, AREA, NO),
    "pause":            (A, NO, AREA, NO),
    "resume":           (A, NO, AREA, NO),
    "withdraw":         (A, NO, AREA, NO),
}


def allowed_targets(status: str, paused_from: str | None) -> list[str]:
    """The statuses reachable from ``status`` (whoever asks)."""
    if status == "withdrawn":
        return []
    if status == "paused":
        return [paused_from or "interested", "withdrawn"]
    forward = [FORWARD[status][0]] if status in FORWARD else []
    return [*forward, "paused", "withdrawn"]


def transition(status: str, paused_from: str | None, target: str) -> Transition:
    """Name the step from ``status`` to ``target``, or raise InvalidTransition listing the legal ones."""
    allowed = allowed_targets(status, paused_from)
    if target not in allowed:
        listing = ", ".join(allowed) or "none (withdrawn is final)"
        raise InvalidTransition(f"an adoption cannot go from {status} to {target}; allowed: {listing}",
                                allowed=allowed)
    if target == "withdrawn":
        return "withdraw"
    if target == "paused":
        return "pause"
    if status == "paused":
        return "resume"
    return FORWARD[status][1]


def scope_for(role: str | None, step: Transition) -> Scope:
    return NO if role is None else TRANSITION_PERMISSIONS[step][ROLES.index(role)]


def check_live_since(live_since: dt.date | None, *, role: str | None, today: dt.date) -> None:
    """Going live records today; only a curator loading history may backdate it, never into the future."""
    if live_since is None:
        return
    if live_since > today:
        raise InvalidInput("liveSince cannot lie in the future", field="liveSince")
    if role != "curator":
        raise InvalidInput("only the coordination office may set liveSince (backdating history)", field="liveSince")
