"""The adoption lifecycle: the complete transition table and the liveSince rule. Pure, no I/O.

    interested → agreed → onboarding → live
    any of these → paused (resumable to the state it paused from)
    any state but withdrawn → withdrawn (final)

Who may take a step is the policy table's concern (``access.policy``, actions ``adoption.<step>``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from msgspec import UNSET

from efa_registry.access.policy import Action, Scope, role_scope
from efa_registry.adoptions.model import Adoption, AdoptionPatch
from efa_registry.errors import InvalidInput, InvalidTransition

Transition = Literal["agree", "start_onboarding", "go_live", "pause", "resume", "withdraw"]
# Levels that have an administration able to adopt (regions and gemeindefreie Gebiete have none).
ADOPTING_LEVELS = ("land", "regierungsbezirk", "kreis", "gemeindeverband", "gemeinde")
RESUMED = "(paused from)"  # the target of "resume": the status the adoption was paused from

# status → target status → step; a target not listed is illegal from that status.
TRANSITIONS: dict[str, dict[str, Transition]] = {
    "interested": {"agreed": "agree", "paused": "pause", "withdrawn": "withdraw"},
    "agreed":     {"onboarding": "start_onboarding", "paused": "pause", "withdrawn": "withdraw"},
    "onboarding": {"live": "go_live", "paused": "pause", "withdrawn": "withdraw"},
    "live":       {"paused": "pause", "withdrawn": "withdraw"},
    "paused":     {RESUMED: "resume", "withdrawn": "withdraw"},
    "withdrawn":  {},
}


def _targets(status: str, paused_from: str | None) -> dict[str, Transition]:
    resumed = paused_from or "interested"
    return {resumed if target == RESUMED else target: step for target, step in TRANSITIONS[status].items()}


def allowed_targets(status: str, paused_from: str | None) -> list[str]:
    """The statuses reachable from ``status`` (whoever asks)."""
    return list(_targets(status, paused_from))


def transition(status: str, paused_from: str | None, target: str) -> Transition:
    """Name the step from ``status`` to ``target``, or raise InvalidTransition listing the legal ones."""
    targets = _targets(status, paused_from)
    if target not in targets:
        listing = ", ".join(targets) or "none (withdrawn is final)"
        raise InvalidTransition(f"an adoption cannot go from {status} to {target}; allowed: {listing}",
                                allowed=list(targets))
    return targets[target]


def step_of(current: Adoption, patch: AdoptionPatch) -> Transition | None:
    """The lifecycle step a patch asks for; None when it leaves the status as it is."""
    if patch.status is UNSET or patch.status == current.status:
        return None
    return transition(current.status, current.paused_from, patch.status)


def action_of(step: Transition | None) -> Action:
    """The policy action of a change: its step, or ``adoption.edit`` for plans and notes only."""
    return f"adoption.{step or 'edit'}"  # type: ignore[return-value]


def scope_for(role: str | None, step: Transition) -> Scope:
    """How far ``role`` may take ``step`` (the policy table's row ``adoption.<step>``)."""
    return role_scope(role, action_of(step))


# Dates an adoption may name: none before the web (a typo such as 0001-01-01 would stretch every
# timeline over two thousand years), plans at most PLAN_YEARS ahead.
EARLIEST = dt.date(1990, 1, 1)
PLAN_YEARS = 30


def check_plan(planned_live_on: dt.date | None, *, today: dt.date) -> None:
    latest = dt.date(today.year + PLAN_YEARS, 12, 31)
    if planned_live_on is not None and not EARLIEST <= planned_live_on <= latest:
        raise InvalidInput(f"plannedLiveOn must lie between {EARLIEST:%Y-%m-%d} and {latest:%Y-%m-%d}",
                           field="plannedLiveOn")


def check_live_since(live_since: dt.date | None, *, role: str | None, today: dt.date) -> None:
    """Going live records today; only a curator loading history may backdate it, never into the
    future nor before ``EARLIEST``."""
    if live_since is None:
        return
    if live_since > today:
        raise InvalidInput("liveSince cannot lie in the future", field="liveSince")
    if live_since < EARLIEST:
        raise InvalidInput(f"liveSince cannot lie before {EARLIEST:%Y-%m-%d}", field="liveSince")
    if role != "curator":
        raise InvalidInput("only the coordination office may set liveSince (backdating history)", field="liveSince")


def changed_values(current: Adoption, patch: AdoptionPatch, step: Transition | None, *, role: str | None,
                   today: dt.date) -> dict[str, Any]:
    """The columns a change writes. ``liveSince`` belongs to a live adoption: it may be given when
    going live or on a live one, and going live without it records today."""
    values: dict[str, Any] = {}
    if patch.live_since is not UNSET:
        check_live_since(patch.live_since, role=role, today=today)
        if not (step == "go_live" or (current.status == "live" and step is None)):
            raise InvalidInput("liveSince belongs to a live adoption", field="liveSince")
        values["live_since"] = patch.live_since
    if step:
        values["status"] = patch.status
        values["paused_from"] = current.status if step == "pause" else None
        if step == "go_live":
            values.setdefault("live_since", today)
    if patch.planned_live_on is not UNSET:
        check_plan(patch.planned_live_on, today=today)
    for field in ("note", "planned_live_on"):
        if getattr(patch, field) is not UNSET:
            values[field] = getattr(patch, field)
    return values
