"""Wire shape of an adoption where it differs from the core record: the adopted solution is named
without its providing organisation (``SolutionRef``), and ``allowedStatuses`` lists the legal next
steps (``adoptions.rules.allowed_targets``). Areas, transitions and bulk results are the core's."""

from __future__ import annotations

import uuid

import msgspec

from api.schemas import WireOut
from efa_registry.adoptions import model
from efa_registry.adoptions.rules import allowed_targets


class SolutionRef(WireOut):
    id: uuid.UUID
    slug: str
    name: str


class Adoption(model.Adoption):
    """One solution reused by one area; `allowedStatuses` lists the legal next steps."""

    solution: SolutionRef
    allowed_statuses: list[str]

    @classmethod
    def of(cls, a: model.Adoption) -> Adoption:
        solution = SolutionRef(id=a.solution.id, slug=a.solution.slug, name=a.solution.name)
        return cls(**{**msgspec.structs.asdict(a), "solution": solution,
                      "allowed_statuses": allowed_targets(a.status, a.paused_from)})


class AreaAdoption(model.AreaAdoption):
    """An adoption as seen from an area; `inheritedFrom` names the enclosing area whose live
    adoption covers this one (null for the area's own adoptions)."""

    adoption: Adoption

    @classmethod
    def of(cls, a: model.AreaAdoption) -> AreaAdoption:
        return cls(adoption=Adoption.of(a.adoption), inherited_from=a.inherited_from)
