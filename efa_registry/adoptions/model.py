"""Adoption records and commands."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from efa_registry.kit.wire import Command, Record
from efa_registry.types import TEXT_PATTERN, AdoptionStatus, Ars, LandCode

Note = Annotated[str, Meta(max_length=2000, pattern=TEXT_PATTERN)]


class SolutionRef(Record):
    id: uuid.UUID
    slug: str
    name: str
    provider_id: uuid.UUID


class AreaRef(Record):
    ars: str
    name: str
    level: str
    land: str


class TransitionRecord(Record):
    from_status: str | None
    to_status: str
    actor: str
    note: str | None
    at: dt.datetime
    version: int


class Adoption(Record):
    """One solution reused by one area, with every transition (who, when, note)."""

    id: uuid.UUID
    solution: SolutionRef
    area: AreaRef
    status: AdoptionStatus
    paused_from: str | None
    planned_live_on: dt.date | None
    live_since: dt.date | None
    note: str | None
    interfaces: list[uuid.UUID]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    transitions: list[TransitionRecord]


class Subscribe(Command):
    """A municipality (or the office for it) subscribes to reuse a solution."""

    ars: Ars
    planned_live_on: dt.date | None = None
    note: Note | None = None
    interfaces: list[uuid.UUID] = msgspec.field(default_factory=list)


class AdoptionPatch(Command):
    """A lifecycle step (``status``) and/or changed plans. ``liveSince`` backdates a go-live (curator)."""

    status: AdoptionStatus | UnsetType = UNSET
    note: Note | UnsetType | None = UNSET
    planned_live_on: dt.date | UnsetType | None = UNSET
    live_since: dt.date | UnsetType = UNSET
    interfaces: list[uuid.UUID] | UnsetType = UNSET


class BulkAdoption(Command):
    """Many areas at once: a list of ARS, or every eligible unit of a Land or Kreis."""

    status: AdoptionStatus = "live"
    ars: list[Ars] = msgspec.field(default_factory=list)
    land: LandCode | None = None
    kreis: Annotated[str, Meta(pattern=r"^[0-9]{5}$")] | None = None
    live_since: dt.date | None = None
    planned_live_on: dt.date | None = None
    note: Note | None = None


class AreaAdoption(Record):
    """An adoption as seen from an area: its own, or inherited from an enclosing area's live adoption."""

    adoption: Adoption
    inherited_from: str | None


class BulkResult(msgspec.Struct, kw_only=True, rename="camel"):
    """What a bulk load did: adoptions created, changed, left as they were, and skipped (nothing
    open to withdraw). Mutable: the load counts as it goes."""

    created: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
