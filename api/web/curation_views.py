"""What the curation forms offer: select options, and the lifecycle buttons a person may press.

The buttons are only a courtesy — the core checks every step again — but offering a step the
person may not take would invite a 403, so they come from the same tables the core uses.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from api.web.texts import (
    ADOPTION_STATUS,
    INTERFACE_KIND,
    INTERFACE_STATUS,
    REUSE_ROUTE,
    ROLLOUT_UNITS,
    SOLUTION_STATUS,
    TRANSITION_BUTTON,
)
from api.web.views import Choice
from efa_registry.access.model import Actor
from efa_registry.access.policy import can
from efa_registry.adoptions import rules
from efa_registry.adoptions.model import Adoption
from efa_registry.organisations.model import Organisation

NONE = ("", "keine Angabe")


def form_options(orgs: Sequence[Organisation]) -> dict[str, list[tuple[str, str]]]:
    """(value, text) pairs per select field of the solution and interface forms."""
    return {
        "status": list(SOLUTION_STATUS.items()),
        "efaCompliant": [NONE, ("ja", "ja"), ("nein", "nein")],
        "reifegradModel": [NONE, ("1.1", "Modell 1.1 (Stufen 0–4)"), ("2.0", "Modell 2.0 (Stufen 0–7)")],
        "reuseRoute": [NONE, *REUSE_ROUTE.items()],
        "rolloutLevel": [(k, f"{k.title()} – gezählt über {v}") for k, v in ROLLOUT_UNITS.items()],
        "operator": [NONE, *((o.slug, o.name) for o in orgs)],
        "provider": [(o.slug, o.name) for o in orgs],
        "kind": list(INTERFACE_KIND.items()),
        "interfaceStatus": list(INTERFACE_STATUS.items()),
    }


class AdoptionRow(msgspec.Struct, frozen=True):
    """An adoption with its buttons: the target statuses the person may choose, with their texts."""

    adoption: Adoption
    buttons: list[Choice]


def buttons(actor: Actor, adoption: Adoption) -> list[Choice]:
    result = []
    for target in rules.allowed_targets(adoption.status, adoption.paused_from):
        step = rules.transition(adoption.status, adoption.paused_from, target)
        # The same question the use case asks before it takes the step (adoptions.service.change).
        if not can(actor, rules.action_of(step), organisation_id=adoption.solution.provider_id,
                   ars=adoption.area.ars):
            continue
        text = (f"Fortsetzen ({ADOPTION_STATUS[target]})" if step == "resume" else TRANSITION_BUTTON[target])
        result.append(Choice(target, text))
    return result


def adoption_rows(actor: Actor, items: Sequence[Adoption]) -> list[AdoptionRow]:
    return [AdoptionRow(a, buttons(actor, a)) for a in items]
