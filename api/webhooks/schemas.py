"""Wire shapes of webhook subscriptions and their delivery log (the secret only at creation)."""

from __future__ import annotations

import datetime as dt
import uuid

from api.schemas import WireOut
from efa_registry.types import DeliveryStatus
from efa_registry.webhooks import model


class WebhookFilters(WireOut):
    solution: uuid.UUID | None
    land: str | None
    themenfeld: str | None


class Webhook(WireOut):
    """A subscription. `enabled` turns false after repeated failed deliveries (`disabledReason` says why);
    PATCH `{"enabled": true}` turns it back on."""

    id: uuid.UUID
    url: str
    event_types: list[str]
    filters: WebhookFilters
    description: str | None
    enabled: bool
    disabled_reason: str | None
    owner_token_id: uuid.UUID | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, w: model.Webhook) -> Webhook:
        f = w.filters
        return cls(id=w.id, url=w.url, event_types=w.event_types,
                   filters=WebhookFilters(solution=f.solution, land=f.land, themenfeld=f.themenfeld),
                   description=w.description, enabled=w.enabled, disabled_reason=w.disabled_reason,
                   owner_token_id=w.owner_id, version=w.version, created_at=w.created_at, updated_at=w.updated_at)


class CreatedWebhook(Webhook):
    """The new subscription plus its Standard Webhooks signing secret (`whsec_…`) — shown this once."""

    secret: str


class WebhookPage(WireOut):
    items: list[Webhook]
    next: str | None
    limit: int


class Delivery(WireOut):
    """One event to this subscription: `nextAttemptAt` is set while a retry is pending."""

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

    @classmethod
    def of(cls, d: model.Delivery) -> Delivery:
        return cls(id=d.id, event_seq=d.event_seq, event_type=d.event_type, status=d.status, attempts=d.attempts,
                   last_status_code=d.last_status_code, last_error=d.last_error, next_attempt_at=d.next_attempt_at,
                   delivered_at=d.delivered_at, created_at=d.created_at)


class DeliveryPage(WireOut):
    items: list[Delivery]
    next: str | None
    limit: int
