"""Webhooks: what the subscription needs beyond the Piccolo table (description, the opaque feed
cursor the worker enqueues from, the audience its events are cut for), and the worker's queue index."""

from efa_registry.db.migrate import sql_statements

ID = "2026-11-22T03:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "webhook feed cursor, audience and queue indexes"

STATEMENTS = [
    "ALTER TABLE webhook_subscription ADD COLUMN description varchar(500)",
    # The feed cursor (efa_registry.events.feed) up to which events were enqueued: a plain seq
    # cannot say "everything not visible in snapshot S", which the creation cursor needs.
    "ALTER TABLE webhook_subscription ADD COLUMN feed_cursor text NOT NULL DEFAULT ''",
    # Fixed at creation from the creator's role, so a later token change never widens what is sent.
    "ALTER TABLE webhook_subscription ADD COLUMN audience varchar(20) NOT NULL DEFAULT 'authenticated'"
    " CHECK (audience IN ('public', 'authenticated', 'internal'))",
    "CREATE INDEX webhook_subscription_owner_idx ON webhook_subscription (owner, created_at, id)",
    # The worker claims the oldest due deliveries per subscription.
    "CREATE INDEX webhook_delivery_subscription_due_idx ON webhook_delivery (subscription, next_attempt_at)"
    " WHERE status = 'pending'",
]


forwards = sql_statements(ID, DESCRIPTION, STATEMENTS)
