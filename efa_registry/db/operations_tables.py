"""The tables of the registry's operation as Piccolo tables: the event log, API tokens,
idempotency keys, webhook subscriptions and their deliveries (the domain: ``tables``)."""

from __future__ import annotations

from piccolo.columns import (
    JSONB,
    UUID,
    Array,
    BigSerial,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check, Unique
from piccolo.table import Table

from efa_registry import types as t
from efa_registry.db.tables import Organisation, one_of


class Event(Table, tablename="event"):
    """The event log: audit trail, entity history and integrators' change feed in one.

    ``tx_id`` (xid8, added in SQL) lets the feed hand out only events whose transaction can no
    longer be overtaken by an earlier, still uncommitted one.
    """

    seq = BigSerial(primary_key=True)
    occurred_at = Timestamptz(default=TimestamptzNow())
    actor = Varchar(length=200)
    request_id = Varchar(length=64, null=True, default=None)
    entity_type = Varchar(length=20)
    entity_id = Varchar(length=64)
    action = Varchar(length=30)
    version = Integer(null=True, default=None)
    snapshot = JSONB(null=True, default=None)
    solution_id = UUID(null=True, default=None)
    land = Varchar(length=2, null=True, default=None)
    themenfelder = Array(base_column=Varchar(length=60), default=list)

    event_entity_type_check = Check(one_of("entity_type", t.EntityType))


class ApiToken(Table, tablename="api_token"):
    """A bearer token; only its SHA-256 hash is stored."""

    id = UUID(primary_key=True)
    name = Varchar(length=200)
    role = Varchar(length=20)
    token_hash = Varchar(length=64, unique=True)
    prefix = Varchar(length=16)
    organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.restrict)
    ars = Array(base_column=Varchar(length=12), default=list)
    expires_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())

    api_token_role_check = Check(one_of("role", t.Role))
    api_token_provider_check = Check("role <> 'provider' OR organisation IS NOT NULL")
    api_token_adopter_check = Check("role <> 'adopter' OR cardinality(ars) > 0")


class IdempotencyKey(Table, tablename="idempotency_key"):
    """The first response to a POST with an ``Idempotency-Key``, replayed on repeats."""

    id = BigSerial(primary_key=True)
    scope = Varchar(length=64)
    key = Varchar(length=200)
    request_hash = Varchar(length=64)
    status_code = Integer(null=True, default=None)  # unused since the core keeps no HTTP status
    response = JSONB(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())

    idempotency_key_unique = Unique(["scope", "key"])


class WebhookSubscription(Table, tablename="webhook_subscription"):
    """An integrator's webhook: target URL, event types, filters, Standard Webhooks secret."""

    id = UUID(primary_key=True)
    url = Varchar(length=2000)
    secret = Varchar(length=100)
    event_types = Array(base_column=Varchar(length=40), default=list)
    filters = JSONB(default="{}")
    enabled = Boolean(default=True)
    consecutive_failures = Integer(default=0)
    disabled_reason = Varchar(length=300, null=True, default=None)
    owner = ForeignKey(ApiToken, null=True, on_delete=OnDelete.set_null)
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())

    webhook_url_check = Check("url ~ '^https?://'")


class WebhookDelivery(Table, tablename="webhook_delivery"):
    """One event to one subscription: attempts, backoff and outcome (the delivery log)."""

    id = UUID(primary_key=True)
    subscription = ForeignKey(WebhookSubscription, on_delete=OnDelete.cascade)
    event = ForeignKey(Event, on_delete=OnDelete.cascade)
    status = Varchar(length=20, default="pending")
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    last_status_code = Integer(null=True, default=None)
    last_error = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    delivered_at = Timestamptz(null=True, default=None)

    webhook_delivery_status_check = Check(one_of("status", t.DeliveryStatus))
    webhook_delivery_unique = Unique(["subscription", "event"])
