"""Webhook subscriptions, their commands and delivery records, and event-type patterns.

Event types are ``<entityType>.<action>`` as recorded in the event log, e.g. ``solution.updated``,
``adoption.go_live``, ``interface.created``. A pattern is an exact type, ``<entityType>.*`` for
every action of one entity type, or ``*`` for everything the subscriber may see.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from efa_registry.events.model import PRIVATE_ENTITY_TYPES, FeedFilters
from efa_registry.kit.wire import Command, Record
from efa_registry.types import TEXT_PATTERN, DeliveryStatus, EntityType, LandCode, values

_TYPES = "|".join(values(EntityType))
EventTypePattern = Annotated[str, Meta(
    pattern=rf"^(\*|({_TYPES})\.(\*|[a-z][a-z_]{{0,29}}))$", max_length=40,
    description="`<entityType>.<action>`, `<entityType>.*` or `*`", examples=["solution.updated", "adoption.*"])]
TargetUrl = Annotated[str, Meta(min_length=8, max_length=2000, pattern=r"^\S+$",
                                description="http(s) URL the events are POSTed to (no spaces or line ends)",
                                examples=["https://portal.example.org/hooks/efa"])]
Description = Annotated[str, Meta(max_length=500, pattern=TEXT_PATTERN)]
Themenfeld = Annotated[str, Meta(min_length=1, max_length=60)]


class WebhookFilters(Command):
    """Only events of this solution / Land / Themenfeld (all that are given must hold)."""

    solution: uuid.UUID | None = None
    land: LandCode | None = None
    themenfeld: Themenfeld | None = None


class WebhookCreate(Command):
    url: TargetUrl
    event_types: Annotated[list[EventTypePattern], Meta(min_length=1, max_length=50)]
    filters: WebhookFilters = msgspec.field(default_factory=WebhookFilters)
    description: Description | None = None


class WebhookPatch(Command):
    """Merge patch; ``enabled: true`` re-enables a disabled subscription and resets its failure count."""

    url: TargetUrl | UnsetType = UNSET
    event_types: Annotated[list[EventTypePattern], Meta(min_length=1, max_length=50)] | UnsetType = UNSET
    filters: WebhookFilters | UnsetType = UNSET
    description: Description | UnsetType | None = UNSET
    enabled: bool | UnsetType = UNSET


class Webhook(Record):
    """A subscription as its owner sees it — never with its secret. `enabled` turns false after
    repeated failed deliveries (`disabledReason` says why); PATCH `{"enabled": true}` turns it back on."""

    id: uuid.UUID
    url: str
    event_types: list[str]
    filters: WebhookFilters
    description: str | None
    enabled: bool
    disabled_reason: str | None
    owner_id: uuid.UUID | None = msgspec.field(name="ownerTokenId")
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class Delivery(Record):
    """One event to one subscription, the delivery log's line: `nextAttemptAt` is set while a retry
    is pending."""

    id: uuid.UUID
    event_seq: int
    event_type: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    created_at: dt.datetime


def matches(patterns: Iterable[str], entity_type: str, action: str) -> bool:
    event_type = f"{entity_type}.{action}"
    return any(p in ("*", event_type) or p == f"{entity_type}.*" for p in patterns)


def feed_filters(patterns: Iterable[str], filters: WebhookFilters) -> FeedFilters:
    """The feed filter that reads only candidate events (the action is matched afterwards)."""
    patterns = list(patterns)
    entity_types = () if "*" in patterns else tuple(sorted({p.split(".")[0] for p in patterns}))
    return FeedFilters(entity_types=entity_types, solution_id=filters.solution, land=filters.land,
                       themenfeld=filters.themenfeld)


def private_patterns(patterns: Iterable[str]) -> list[str]:
    """Patterns naming operational entity types, which only curators may subscribe to."""
    return [p for p in patterns if p.split(".")[0] in PRIVATE_ENTITY_TYPES]
