"""/metrics in the Prometheus text format: requests and latency per route template and status,
pool use, feed lag and the webhook queue."""

from __future__ import annotations

import re

from prometheus_client.parser import text_string_to_metric_families


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


async def test_metrics_count_requests_per_route_template_and_status(client, reference_data):
    for _ in range(3):
        assert (await client.get("/v1/areas/05112")).status_code == 200
    assert (await client.get("/v1/areas/99999")).status_code == 404
    response = await client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    assert response.headers["content-type"].count("charset") == 1
    found = samples(response.text)
    ok = ("efa_http_requests_total", (("method", "GET"), ("route", "/v1/areas/{ars}"), ("status", "200")))
    missing = ("efa_http_requests_total", (("method", "GET"), ("route", "/v1/areas/{ars}"), ("status", "404")))
    assert found[ok] >= 3 and found[missing] >= 1
    assert any(name == "efa_http_request_duration_seconds_bucket" for name, _ in found)
    assert not re.search(r'route="/v1/areas/05112"', response.text)  # templates, not raw paths


async def test_metrics_report_pool_feed_lag_and_webhook_queue(client, clean_db):
    found = samples((await client.get("/metrics")).text)
    assert found[("efa_db_pool_connections", (("pool", "main"), ("state", "max")))] == 12
    assert found[("efa_db_pool_connections", (("pool", "catalogue"), ("state", "max")))] == 6
    assert found[("efa_feed_held_back_events", ())] == 0
    assert found[("efa_webhook_deliveries", (("status", "pending"),))] == 0
