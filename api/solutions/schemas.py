"""Wire shapes of solutions, interfaces, history and catalogue search."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from api.schemas import WireOut
from efa_registry.solutions import model
from efa_registry.types import (
    InterfaceKind,
    InterfaceStatus,
    ReifegradModel,
    ReuseRoute,
    RolloutLevel,
    SolutionStatus,
)


class OrganisationRef(WireOut):
    id: uuid.UUID
    slug: str
    name: str
    land: str | None


class OzgRef(WireOut):
    ozg_id: str
    name: str
    themenfeld: str


class Interface(WireOut):
    id: uuid.UUID
    solution_id: uuid.UUID
    kind: InterfaceKind
    name: str | None
    standard: str | None
    standard_version: str | None
    spec_url: str | None
    authentication: str | None
    status: InterfaceStatus
    sunset_on: dt.date | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, i: model.Interface) -> Interface:
        return msgspec.convert(i, cls, from_attributes=True)


class Contact(WireOut, omit_defaults=True):
    name: str | None = None
    email: str | None = None


class Solution(WireOut, omit_defaults=True):
    """An EfA solution with its OZG-Leistungen, provider, operator and interfaces embedded;
    `contact` appears only for authenticated callers."""

    id: uuid.UUID
    slug: str
    name: str
    summary: str | None
    description: str | None
    provider: OrganisationRef
    operator: OrganisationRef | None
    ozg_leistungen: list[OzgRef]
    themenfelder: list[str]
    status: SolutionStatus
    efa_compliant: bool | None
    reifegrad_model: ReifegradModel | None
    reifegrad: int | None
    reuse_route: ReuseRoute | None
    rollout_level: RolloutLevel
    licence: str | None
    source_repository: str | None
    documentation_url: str | None
    costs_note: str | None
    tags: list[str]
    is_demo: bool
    interfaces: list[Interface]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    contact: Contact | UnsetType = UNSET

    @classmethod
    def of(cls, s: model.Solution, *, with_contact: bool) -> Solution:
        out = msgspec.convert(s, cls, from_attributes=True)
        if with_contact:
            out.contact = Contact(name=s.contact_name, email=s.contact_email)
        return out


class FacetValue(WireOut):
    value: str
    count: int


class SolutionPage(WireOut):
    """One page of catalogue results, with facet counts when `facets` was asked for."""

    items: list[Solution]
    next: str | None
    limit: int
    facets: dict[str, list[FacetValue]]


class HistoryEntry(WireOut):
    seq: int
    version: int | None
    action: str
    actor: str
    request_id: str | None
    at: dt.datetime
    changes: dict[str, Any]
