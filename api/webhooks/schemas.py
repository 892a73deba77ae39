"""Wire shape of a new webhook where it differs from the core record: the subscription plus its
signing secret, which appears in this one response only. Subscriptions and deliveries otherwise
go out as the core records (``efa_registry.webhooks.model``)."""

from __future__ import annotations

from efa_registry.webhooks.model import Webhook


class CreatedWebhook(Webhook):
    """The new subscription plus its Standard Webhooks signing secret (`whsec_…`) — shown this once."""

    secret: str
