"""Webhook use cases: register, list, read, change, delete, and the delivery log.

Integrators and curators manage webhooks (policy action ``webhook.manage``); an integrator sees
and changes only the subscriptions its own token created. The signing secret is returned once,
at creation, and appears in no later response, event or log line.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import uuid
from typing import Any

import asyncpg
import msgspec
import structlog

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.access.policy import audience_of, authorize
from efa_registry.errors import InvalidInput, InvalidParameter, InvalidReference, NotFound
from efa_registry.events.feed import current_cursor
from efa_registry.events.recorder import record
from efa_registry.kit import idempotency
from efa_registry.kit.paging import Page, decode_cursor, page_of
from efa_registry.kit.patching import changes, check_version
from efa_registry.webhooks import repository, ssrf
from efa_registry.webhooks.model import Delivery, Webhook, WebhookCreate, WebhookPatch, private_patterns

log = structlog.get_logger(__name__)


def new_secret() -> str:
    """A Standard Webhooks signing secret: ``whsec_`` + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


async def create_webhook(
    cmd: WebhookCreate, *, actor: Actor | None, allow_private: bool, idempotency_key: str | None = None
) -> tuple[Webhook, str, bool]:
    """Register a subscription; returns (webhook, secret, created). It receives the events
    committed after this call (its feed cursor is taken inside the creating transaction)."""
    authorize(actor, "webhook.manage")
    audience = audience_of(actor)
    _check_patterns(cmd.event_types, audience)
    await ssrf.check_url(cmd.url, allow_private=allow_private)
    secret = new_secret()
    async with db.transaction() as conn:
        # First statement: the cursor is this transaction's starting snapshot, so every event
        # not visible in it — including ones from transactions still running — is delivered.
        cursor = await current_cursor(conn)
        await _check_filters(conn, cmd.filters)
        if idempotency_key:
            claim = await idempotency.claim(conn, scope=actor.key, key=idempotency_key,
                                            request_hash=idempotency.fingerprint("webhook.create", cmd))
            if isinstance(claim, uuid.UUID):
                return await repository.get(conn, claim), await repository.secret(conn, claim), False
        webhook_id = uuid.uuid4()
        await repository.insert(conn, {
            "id": webhook_id, "url": cmd.url, "secret": secret, "event_types": cmd.event_types,
            "filters": cmd.filters, "description": cmd.description, "owner": actor.token_id, "feed_cursor": cursor,
            "audience": audience})
        webhook = await repository.get(conn, webhook_id)
        await _record(conn, webhook, actor, "created")
        if idempotency_key:
            await idempotency.complete(conn, claim, entity_id=webhook_id)
    log.info("webhook.created", webhook_id=str(webhook_id), event_types=cmd.event_types)
    return webhook, secret, True


async def list_webhooks(*, actor: Actor | None, limit: int, after: str | None) -> Page[Webhook]:
    """Curators see every subscription, integrators their own."""
    authorize(actor, "webhook.manage")
    owner = None if actor.role == "curator" else actor.token_id
    async with db.connection() as conn:
        rows = await repository.list_webhooks(conn, owner=owner, after=_listing_key(after), limit=limit + 1)
    return page_of(rows, limit, lambda w: [w.created_at.isoformat(), str(w.id)], "webhooks")


def _listing_key(after: str | None) -> tuple[dt.datetime, uuid.UUID] | None:
    key = decode_cursor(after, listing="webhooks", arity=2)
    if key is None:
        return None
    try:
        return dt.datetime.fromisoformat(key[0]), uuid.UUID(key[1])
    except (TypeError, ValueError) as exc:
        raise InvalidParameter("cursor does not belong to this listing", field="after") from exc


async def get_webhook(webhook_id: uuid.UUID, *, actor: Actor | None) -> Webhook:
    authorize(actor, "webhook.manage")
    async with db.connection() as conn:
        return await _visible(conn, webhook_id, actor)


async def update_webhook(
    webhook_id: uuid.UUID, patch: WebhookPatch, *, expected_version: int | None, actor: Actor | None,
    allow_private: bool,
) -> Webhook:
    """Merge patch. ``enabled: true`` on a disabled subscription resets its failure count and
    makes its pending deliveries due at once."""
    authorize(actor, "webhook.manage")
    values: dict[str, Any] = changes(patch, required=("url", "event_types", "filters", "enabled"))
    if "url" in values:
        await ssrf.check_url(values["url"], allow_private=allow_private)
    async with db.transaction() as conn:
        current = await _visible(conn, webhook_id, actor, lock=True)
        check_version(current.version, expected_version)
        _check_patterns(values.get("event_types", ()), await repository.audience(conn, webhook_id))
        await _check_filters(conn, values.get("filters"))
        action = _toggle(values, current)
        if action == "enabled":
            await repository.retry_pending_now(conn, webhook_id)
        await repository.update(conn, webhook_id, values)
        webhook = await repository.get(conn, webhook_id)
        await _record(conn, webhook, actor, action)
    log.info("webhook.updated", webhook_id=str(webhook_id), action=action, fields=sorted(values))
    return webhook


def _toggle(values: dict[str, Any], current: Webhook) -> str:
    enabled = values.pop("enabled", current.enabled)
    if enabled and not current.enabled:
        values.update(enabled=True, disabled_reason=None, consecutive_failures=0)
        return "enabled"
    if not enabled and current.enabled:
        values.update(enabled=False, disabled_reason="disabled by its owner")
        return "disabled"
    return "updated"


async def delete_webhook(webhook_id: uuid.UUID, *, expected_version: int | None, actor: Actor | None) -> None:
    """Delete a subscription with its delivery log; nothing more is sent to it."""
    authorize(actor, "webhook.manage")
    async with db.transaction() as conn:
        current = await _visible(conn, webhook_id, actor, lock=True)
        check_version(current.version, expected_version)
        await repository.delete(conn, webhook_id)
        await _record(conn, current, actor, "deleted")
    log.info("webhook.deleted", webhook_id=str(webhook_id))


async def list_deliveries(
    webhook_id: uuid.UUID, *, actor: Actor | None, limit: int, after: str | None, status: str | None = None
) -> Page[Delivery]:
    """The delivery log, newest event first."""
    authorize(actor, "webhook.manage")
    key = decode_cursor(after, listing="deliveries", arity=1)
    if key and (not isinstance(key[0], int) or isinstance(key[0], bool)):
        raise InvalidParameter("cursor does not belong to this listing", field="after")
    async with db.connection() as conn:
        await _visible(conn, webhook_id, actor)
        rows = await repository.deliveries(conn, webhook_id, before_seq=key[0] if key else 2**63 - 1, status=status,
                                           limit=limit + 1)
    return page_of(rows, limit, lambda d: [d.event_seq], "deliveries")


async def mark_disabled(conn: asyncpg.Connection, webhook_id: uuid.UUID, reason: str) -> Webhook | None:
    """Disable after repeated failure (the delivery worker); its pending deliveries wait."""
    if not await repository.disable(conn, webhook_id, reason):
        return None
    webhook = await repository.get(conn, webhook_id)
    await _record(conn, webhook, Actor.system("webhook-worker"), "disabled")
    return webhook


def _check_patterns(patterns, audience: str) -> None:
    if len(set(patterns)) != len(patterns):
        raise InvalidInput("an event type is listed twice", field="eventTypes")
    if audience != "internal" and private_patterns(patterns):
        raise InvalidInput("token and webhook events are for curators only", field="eventTypes")


async def _check_filters(conn: asyncpg.Connection, filters: Any) -> None:
    """A filter names a solution and a Themenfeld that exist: a typo would match no event, ever."""
    given = filters if isinstance(filters, dict) else msgspec.structs.asdict(filters) if filters else {}
    solution, themenfeld = given.get("solution"), given.get("themenfeld")
    missing = await repository.missing_filter_targets(conn, solution=solution, themenfeld=themenfeld)
    if "solution" in missing:
        raise InvalidReference(f"no solution {solution}", field="filters.solution")
    if "themenfeld" in missing:
        raise InvalidReference(f"no Themenfeld {themenfeld!r}", field="filters.themenfeld")


async def _visible(conn: asyncpg.Connection, webhook_id: uuid.UUID, actor: Actor, *, lock: bool = False) -> Webhook:
    """The subscription if ``actor`` may see it; other owners' subscriptions do not exist for it."""
    webhook = await repository.get(conn, webhook_id, lock=lock)
    foreign = actor.role != "curator" and (webhook is None or webhook.owner_id is None
                                           or webhook.owner_id != actor.token_id)
    if webhook is None or foreign:
        raise NotFound(f"no webhook {webhook_id}", field="id")
    return webhook


async def _record(conn: asyncpg.Connection, webhook: Webhook, actor: Actor, action: str) -> None:
    # The snapshot is the secret-free record; the secret never enters the event log.
    await record(conn, actor=actor, entity_type="webhook", entity_id=webhook.id, action=action,
                 version=webhook.version, snapshot=webhook)
