"""Events as the feed hands them out, the feed's filters and audiences, and German one-line
descriptions of an event for the human-readable feeds."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from efa_registry.kit.wire import Query, Record
from efa_registry.types import LABELS, LAND_PATTERN, EntityType, values

# Who reads: the public gets no operational events (tokens, webhooks) and no contact details;
# authenticated callers get contacts; "internal" (curators, exports, backups) gets the whole log.
Audience = Literal["public", "authenticated", "internal"]
PRIVATE_ENTITY_TYPES = ("token", "webhook")
CONTACT_KEYS = ("contact_name", "contact_email", "contact_phone")


class FeedFilters(Query):
    """Narrow the feed; every given filter must hold (empty ``entity_types``: all types). Also the
    query parameters of the feed's endpoints, under their wire names."""

    entity_types: Annotated[tuple[EntityType, ...], Meta(
        description=f"Only these entity types (repeat or comma-separate): {', '.join(values(EntityType))}")] = (
        msgspec.field(default=(), name="entityType"))
    solution_id: Annotated[uuid.UUID, Meta(description="Only events about this solution (UUID)")] | None = (
        msgspec.field(default=None, name="solution"))
    land: Annotated[str, Meta(pattern=LAND_PATTERN, description="Only events of this Land (01–16)")] | None = None
    themenfeld: Annotated[str, Meta(max_length=60, description="Only events of this Themenfeld")] | None = None


class Event(Record):
    """One event of the log. ``cursor`` continues the feed right after this event.

    ``snapshot`` is the stored JSON passed through undecoded (``msgspec.Raw``): the feed hands
    out a million of them, and decoding only to encode again would dominate its cost.
    """

    seq: int
    cursor: str
    occurred_at: dt.datetime
    actor: str
    request_id: str | None
    entity_type: str
    entity_id: str
    action: str
    version: int | None
    solution_id: uuid.UUID | None
    land: str | None
    themenfelder: list[str]
    snapshot: msgspec.Raw | None

    @property
    def type(self) -> str:
        """The webhook event type, ``<entityType>.<action>``, e.g. ``solution.updated``."""
        return f"{self.entity_type}.{self.action}"

    def snapshot_data(self) -> Any:
        return msgspec.json.decode(self.snapshot) if self.snapshot else None


NOUNS = {"solution": "Lösung", "interface": "Schnittstelle", "adoption": "Nachnutzung",
         "organisation": "Organisation", "area": "Gebiete", "ozg_leistung": "OZG-Katalog", "token": "Token",
         "webhook": "Webhook"}
VERBS = {"created": "angelegt", "updated": "geändert", "retired": "eingestellt", "subscribed": "angemeldet",
         "agree": "vereinbart", "start_onboarding": "im Onboarding", "go_live": "live gegangen",
         "pause": "pausiert", "resume": "fortgesetzt", "withdraw": "zurückgezogen", "imported": "importiert",
         "seeded": "eingespielt", "revoked": "widerrufen", "deleted": "gelöscht", "disabled": "deaktiviert",
         "interface_created": "um eine Schnittstelle ergänzt", "interface_updated": "Schnittstelle geändert",
         "interface_retired": "Schnittstelle eingestellt"}


def describe(event: Event) -> str:
    """A German one-liner, e.g. ``Lösung „Wohngeld digital“ geändert (Version 3)``."""
    noun = NOUNS.get(event.entity_type, event.entity_type)
    if event.action.startswith("bulk_"):
        status = event.action.removeprefix("bulk_")
        verb = f"per Sammelmeldung auf „{LABELS['AdoptionStatus'].get(status, status)}“ gesetzt"
    else:
        verb = VERBS.get(event.action, event.action.replace("_", " "))
    name = _name(event.entity_type, event.snapshot_data())
    subject = f"{noun} „{name}“" if name else noun  # never a bare UUID where a name belongs
    version = f" (Version {event.version})" if event.version else ""
    return f"{subject} {verb}{version}"


def _name(entity_type: str, snapshot: Any) -> str | None:
    if not isinstance(snapshot, dict):
        return None
    if entity_type == "adoption" and isinstance(snapshot.get("solution"), dict):
        area = snapshot.get("area") or {}
        return f"{snapshot['solution'].get('name')}“ in „{area.get('name', '?')}"
    if entity_type == "interface":
        label = " ".join(str(p) for p in (snapshot.get("standard"), snapshot.get("standard_version")) if p)
        return label or snapshot.get("name") or snapshot.get("kind")
    name = snapshot.get("name") or snapshot.get("url")
    return str(name) if name else None
