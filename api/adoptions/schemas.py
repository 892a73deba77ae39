"""Wire shapes of adoptions."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from api.schemas import WireOut
from efa_registry.adoptions import model
from efa_registry.adoptions.rules import allowed_targets
from efa_registry.types import AdoptionStatus


class SolutionRef(WireOut):
    id: uuid.UUID
    slug: str
    name: str


class AreaRef(WireOut):
    ars: str
    name: str
    level: str
    land: str


class Transition(WireOut):
    from_status: str | None
    to_status: str
    actor: str
    note: str | None
    at: dt.datetime
    version: int


class Adoption(WireOut):
    """One solution reused by one area; `allowedStatuses` lists the legal next steps."""

    id: uuid.UUID
    solution: SolutionRef
    area: AreaRef
    status: AdoptionStatus
    paused_from: str | None
    allowed_statuses: list[str]
    planned_live_on: dt.date | None
    live_since: dt.date | None
    note: str | None
    interfaces: list[uuid.UUID]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    transitions: list[Transition]

    @classmethod
    def of(cls, a: model.Adoption) -> Adoption:
        return cls(
            id=a.id, solution=SolutionRef(id=a.solution.id, slug=a.solution.slug, name=a.solution.name),
            area=msgspec.convert(a.area, AreaRef, from_attributes=True), status=a.status, paused_from=a.paused_from,
            allowed_statuses=allowed_targets(a.status, a.paused_from), planned_live_on=a.planned_live_on,
            live_since=a.live_since, note=a.note, interfaces=a.interfaces, version=a.version,
            created_at=a.created_at, updated_at=a.updated_at,
            transitions=[msgspec.convert(t, Transition, from_attributes=True) for t in a.transitions])


class AreaAdoption(WireOut):
    """An adoption as seen from an area; `inheritedFrom` names the enclosing area whose live
    adoption covers this one (null for the area's own adoptions)."""

    inherited_from: str | None
    adoption: Adoption


class BulkResult(WireOut):
    created: int
    changed: int
    unchanged: int
    skipped: int
