"""Solution and interface records and commands."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, NamedTuple

import msgspec
from msgspec import Meta

from efa_registry.kit.wire import Command, Record, patch_of
from efa_registry.organisations.model import Email, PersonName
from efa_registry.types import (
    LINE_PATTERN,
    TEXT_PATTERN,
    HttpsUrl,
    InterfaceKind,
    InterfaceStatus,
    Language,
    OzgId,
    ReifegradModel,
    ReuseRoute,
    RolloutLevel,
    Slug,
    SolutionStatus,
)

Name = Annotated[str, Meta(min_length=2, max_length=300, pattern=LINE_PATTERN)]
Summary = Annotated[str, Meta(max_length=1000, pattern=TEXT_PATTERN)]
LongText = Annotated[str, Meta(max_length=20000, pattern=TEXT_PATTERN)]
# A keyword: one line without commas (the forms list keywords separated by commas).
Tag = Annotated[str, Meta(min_length=1, max_length=60, pattern=r"^[^,\s](?:[^,\r\n]*[^,\s])?$(?!\n)")]
MAX_TAGS = 30  # keywords of one solution; every list of the catalogue carries them
Reifegrad = Annotated[int, Meta(ge=0, le=7)]
OrgKey = Annotated[str, Meta(min_length=2, max_length=80, description="Organisation UUID or slug")]
ShortText = Annotated[str, Meta(max_length=200, pattern=LINE_PATTERN)]


class OrganisationRef(Record):
    id: uuid.UUID
    slug: str
    name: str
    land: str | None


class OzgRef(Record):
    ozg_id: str
    name: str
    themenfeld: str


class Interface(Record):
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


class SolutionFacts(Record):
    """What the entity and the summaries of lists say alike of a solution: its names and texts, who
    provides and operates it, the OZG-Leistungen it implements, its status, maturity and reuse."""

    id: uuid.UUID
    slug: str
    name: str
    summary: str | None
    description: str | None
    provider: OrganisationRef
    operator: OrganisationRef | None
    ozg_leistungen: list[OzgRef]
    status: SolutionStatus
    efa_compliant: bool | None
    reifegrad_model: ReifegradModel | None
    reifegrad: int | None
    reuse_route: ReuseRoute | None
    rollout_level: RolloutLevel

    @property
    def themenfelder(self) -> list[str]:
        return sorted({o.themenfeld for o in self.ozg_leistungen})


class Solution(SolutionFacts):
    """An EfA solution with its OZG-Leistungen, provider, operator and interfaces embedded."""

    licence: str | None
    source_repository: str | None
    documentation_url: str | None
    costs_note: str | None
    language: str
    tags: list[str]
    contact_name: str | None
    contact_email: str | None
    is_demo: bool
    interfaces: list[Interface]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class SolutionSummary(SolutionFacts):
    """A solution as lists show it: what a reader needs to choose one. The entity (``Solution``)
    adds its interfaces, licence, links, costs, contact and creation time. ``description`` is here
    for the search's highlighted passages; the API's list leaves it to the entity too.
    ``interface_standards``: the standards of its interfaces that are not retired."""

    tags: list[str]
    is_demo: bool
    interface_standards: list[str]
    version: int
    updated_at: dt.datetime


class HistoryEntry(Record):
    """One recorded version of a solution: its author, time, request id and the fields that changed."""

    seq: int
    version: int | None
    action: str
    actor: str
    request_id: str | None
    at: dt.datetime
    changes: dict[str, dict[str, Any]]


class SolutionCreate(Command):
    name: Name
    provider: OrgKey
    slug: Slug | None = None
    summary: Summary | None = None
    description: LongText | None = None
    operator: OrgKey | None = None
    ozg_ids: list[OzgId] = msgspec.field(default_factory=list)
    status: SolutionStatus = "planned"
    efa_compliant: bool | None = None
    reifegrad_model: ReifegradModel | None = None
    reifegrad: Reifegrad | None = None
    reuse_route: ReuseRoute | None = None
    rollout_level: RolloutLevel = "gemeinde"
    licence: Annotated[str, Meta(max_length=100, pattern=LINE_PATTERN)] | None = None
    source_repository: HttpsUrl | None = None
    documentation_url: HttpsUrl | None = None
    costs_note: LongText | None = None
    language: Language = "de"
    tags: Annotated[list[Tag], Meta(max_length=MAX_TAGS)] = msgspec.field(default_factory=list)
    contact_name: PersonName | None = None
    contact_email: Email | None = None


class Standing(NamedTuple):
    """What adoptions need to know of a solution: whether it still takes adoptions, who provides
    it, and the level its rollout counts."""

    id: uuid.UUID
    status: SolutionStatus
    provider_id: uuid.UUID
    rollout_level: RolloutLevel


SOLUTION_REQUIRED = ("name", "provider", "slug", "status", "rollout_level", "ozg_ids", "tags", "language")
SolutionPatch = patch_of(SolutionCreate, required=SOLUTION_REQUIRED)


class InterfaceCreate(Command):
    kind: InterfaceKind
    name: Name | None = None
    standard: Annotated[str, Meta(min_length=1, max_length=120, pattern=LINE_PATTERN)] | None = None
    standard_version: Annotated[str, Meta(min_length=1, max_length=40, pattern=LINE_PATTERN)] | None = None
    spec_url: HttpsUrl | None = None
    authentication: ShortText | None = None
    status: InterfaceStatus = "active"
    sunset_on: dt.date | None = None


INTERFACE_REQUIRED = ("kind", "status")
InterfacePatch = patch_of(InterfaceCreate, required=INTERFACE_REQUIRED)
CONTACT_FIELDS = ("contact_name", "contact_email")
