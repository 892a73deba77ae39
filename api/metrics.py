"""``/metrics`` in the Prometheus text format (prometheus-client).

Requests and their latency per route template and status are counted in every process; with
several API workers ``serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` and the scrape merges every
worker's counts (prometheus-client's multiprocess mode). Pool use, feed lag and the webhook queue
are read from the database at scrape time by the worker that answers.
"""

from __future__ import annotations

import os

from litestar import Controller, get
from litestar.response import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from efa_registry.operations import service

EXPOSITION_TYPE = CONTENT_TYPE_LATEST.split("; charset=")[0]

REQUESTS = Counter("efa_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram("efa_http_request_duration_seconds", "Time to answer an HTTP request", ["method", "route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))


def observe(method: str, route: str | None, status: int, seconds: float) -> None:
    """Count one answered request (unmatched paths share one label, so scanners add no series)."""
    template = route or "unmatched"
    REQUESTS.labels(method, template, str(status)).inc()
    LATENCY.labels(method, template).observe(seconds)


class DatabaseFigures:
    """A one-shot collector of figures read just before the scrape."""

    def __init__(self, figures: service.Figures) -> None:
        self.figures = figures

    def collect(self):
        f = self.figures
        pool = GaugeMetricFamily("efa_db_pool_connections", "Database connections of this process, per pool",
                                 labels=["pool", "state"])
        for name, p in f.pools.items():
            for state in ("open", "idle", "max"):
                pool.add_metric([name, state], getattr(p, state))
        yield pool
        yield GaugeMetricFamily("efa_feed_held_back_events", "Committed events the feed holds back behind "
                                "a running transaction", value=f.feed_held_back)
        yield GaugeMetricFamily("efa_feed_lag_seconds", "Age of the oldest event the feed holds back",
                                value=f.feed_lag_seconds)
        queue = GaugeMetricFamily("efa_webhook_deliveries", "Webhook deliveries by status (pending = queue depth)",
                                  labels=["status"])
        for status in ("pending", "succeeded", "failed", "abandoned"):
            queue.add_metric([status], f.deliveries.get(status, 0))
        yield queue


def _process_metrics() -> bytes:
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return generate_latest(registry)
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY)


class MetricsController(Controller):
    path = "/metrics"
    include_in_schema = False

    @get("/")
    async def metrics(self) -> Response[bytes]:
        registry = CollectorRegistry()
        registry.register(DatabaseFigures(await service.figures()))
        # Litestar adds the charset to a text/ type itself: once, not twice.
        return Response(_process_metrics() + generate_latest(registry), media_type=EXPOSITION_TYPE,
                        headers={"Cache-Control": "no-store"})
