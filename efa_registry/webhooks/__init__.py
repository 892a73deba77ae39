"""Webhooks: subscriptions (service), the SSRF guard (ssrf) and the delivery worker (delivery)."""
