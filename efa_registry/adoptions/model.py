"""Adoption records and commands."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from efa_registry.kit.commands import Command
from efa_registry.types import AdoptionStatus, Ars

Note = Annotated[str, Meta(max_length=2000)]


class SolutionRef(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    slug: str
    name: str
    provider_id: uuid.UUID


class AreaRef(msgspec.Struct, frozen=True, kw_only=True):
    ars: str
    name: str
    level: str
    land: str


class TransitionRecord(msgspec.Struct, frozen=True, kw_only=True):
    from_status: str | None
    to_status: str
    actor: str
    note: str | None
    at: dt.datetime
    version: int


class Adoption(msgspec.Struct, frozen=True, kw_only=True):
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
    transitions: list[TransitionRecord] = msgspec.field(default_factory=list)


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
    land: Annotated[str, Meta(pattern=r"^(0[1-9]|1[0-6])$")] | None = None
    kreis: Annotated[str, Meta(pattern=r"^[0-9]{5}$")] | None = None
    live_since: dt.date | None = None
    planned_live_on: dt.date | None = None
    note: Note | None = None


class AreaAdoption(msgspec.Struct, frozen=True, kw_only=True):
    """An adoption as seen from an area: its own, or inherited from an enclosing area's live adoption."""

    adoption: Adoption
    inherited_from: str | None
