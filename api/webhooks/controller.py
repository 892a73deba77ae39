"""Webhooks for integrators and curators: subscriptions signed per Standard Webhooks, and their delivery log."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from api.auth import Caller
from api.concurrency import IdempotencyKey, IfMatch, entity_response, expected_version
from api.params import After, Limit, bounded_limit, next_link
from api.schemas import Page
from api.webhooks.schemas import CreatedWebhook
from efa_registry.types import DeliveryStatus
from efa_registry.webhooks import service
from efa_registry.webhooks.model import Delivery, Webhook, WebhookCreate, WebhookPatch


def _allow_private(request: Request) -> bool:
    return request.app.state.settings.webhook_allow_private


class WebhookController(Controller):
    path = "/v1/webhooks"
    tags = ["Webhooks"]

    @post("/", operation_id="createWebhook", summary="Register a webhook (integrator, curator)")
    async def create_webhook(
        self, request: Request, data: JSONBody[WebhookCreate], actor: Caller, idempotency_key: IdempotencyKey = None
    ) -> Response[CreatedWebhook]:
        """Subscribe a URL to event types such as `solution.updated` or `adoption.*` (`*`: all), optionally
        filtered. Events committed from now on are POSTed signed per Standard Webhooks; the response carries
        the signing secret, which is never shown again. Targets in private address ranges are refused."""
        webhook, secret, created = await service.create_webhook(
            data, actor=actor, allow_private=_allow_private(request), idempotency_key=idempotency_key)
        return entity_response(CreatedWebhook(**msgspec.structs.asdict(webhook), secret=secret), webhook.version,
                               status_code=201 if created else 200, headers={"Location": f"/v1/webhooks/{webhook.id}"})

    @get("/", operation_id="listWebhooks", summary="List webhooks")
    async def list_webhooks(
        self, request: Request, actor: Caller, limit: Limit = 50, after: After = None
    ) -> Page[Webhook]:
        """Your own subscriptions (curators: all), oldest first."""
        page = await service.list_webhooks(actor=actor, limit=bounded_limit(request, limit), after=after)
        return Page(items=page.items, next=next_link(request, page.next_cursor), limit=limit)

    @get("/{webhook_id:uuid}", operation_id="getWebhook", summary="One webhook")
    async def get_webhook(self, webhook_id: FromPath[uuid.UUID], actor: Caller) -> Response[Webhook]:
        """A subscription you own (curators: any), without its secret."""
        webhook = await service.get_webhook(webhook_id, actor=actor)
        return entity_response(webhook, webhook.version)

    @patch("/{webhook_id:uuid}", operation_id="updateWebhook", summary="Change or re-enable a webhook")
    async def update_webhook(
        self, request: Request, webhook_id: FromPath[uuid.UUID], data: JSONBody[WebhookPatch], actor: Caller,
        if_match: IfMatch = None,
    ) -> Response[Webhook]:
        """JSON Merge Patch with `If-Match`. `{"enabled": true}` re-enables a subscription that was disabled
        after failed deliveries: its failure count restarts and its pending deliveries are retried at once."""
        webhook = await service.update_webhook(webhook_id, data, expected_version=expected_version(if_match),
                                               actor=actor, allow_private=_allow_private(request))
        return entity_response(webhook, webhook.version)

    @delete("/{webhook_id:uuid}", operation_id="deleteWebhook", summary="Delete a webhook", status_code=204)
    async def delete_webhook(self, webhook_id: FromPath[uuid.UUID], actor: Caller, if_match: IfMatch = None) -> None:
        """Removes the subscription and its delivery log; nothing more is sent. Requires `If-Match`."""
        await service.delete_webhook(webhook_id, expected_version=expected_version(if_match), actor=actor)

    @get("/{webhook_id:uuid}/deliveries", operation_id="listWebhookDeliveries", summary="Delivery log of a webhook")
    async def list_deliveries(
        self, request: Request, webhook_id: FromPath[uuid.UUID], actor: Caller, limit: Limit = 50,
        after: After = None,
        status: Annotated[DeliveryStatus | None, QueryParameter(description="Only deliveries in this state")] = None,
    ) -> Page[Delivery]:
        """Each event sent to this subscription, newest first: status, attempts, last HTTP status or error,
        when the next retry is due and when it was delivered."""
        page = await service.list_deliveries(webhook_id, actor=actor, limit=bounded_limit(request, limit),
                                             after=after, status=status)
        return Page(items=page.items, next=next_link(request, page.next_cursor), limit=limit)
