"""The webhook delivery worker: at-least-once from the event log, signed per Standard Webhooks.

Each round has two steps, each safe with several workers at once:

1. *Enqueue*: per enabled subscription (row locked with SKIP LOCKED, so one worker at a time),
   read the feed on from the subscription's cursor with ``feed.read_events`` — gap-free even
   when transactions commit out of order — and insert one ``webhook_delivery`` per matching
   event (unique per subscription and event), then store the new cursor.
2. *Deliver*: claim due deliveries with ``FOR UPDATE SKIP LOCKED`` and, in that same statement,
   push their next attempt one lease into the future; the claim commits at once. The POST then
   runs outside any transaction, and the outcome is recorded afterwards. A worker that dies
   mid-delivery only delays it by one lease.

Failures are retried with exponential backoff and jitter; after ``max_failures`` consecutive
failures the subscription is disabled and its pending deliveries wait until it is re-enabled.
The worker runs as its own asyncio task (in ``serve`` or ``efa-registry worker``), never inside a
request, with bounded concurrency and at most one claim batch per subscription in flight, so a
slow receiver holds one slot and no API request.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import random
import time
import uuid
from typing import NamedTuple

import httpx
import msgspec
import structlog
from standardwebhooks import Webhook as Signer

from efa_registry import db
from efa_registry.events.feed import event_from_row, read_events
from efa_registry.events.model import Event
from efa_registry.settings import Settings
from efa_registry.webhooks import repository, ssrf
from efa_registry.webhooks.model import WebhookFilters, feed_filters, matches
from efa_registry.webhooks.service import mark_disabled

log = structlog.get_logger(__name__)


class WorkerConfig(msgspec.Struct, frozen=True, kw_only=True):
    """Tuning of the delivery worker (defaults suit production; tests shorten the times)."""

    timeout: float = 5.0              # seconds for one POST, connect to last byte
    backoff_base: float = 2.0         # retry n waits about base * 2**(n-1) seconds …
    backoff_cap: float = 3600.0       # … but never longer than this
    max_failures: int = 5             # consecutive failed attempts before the subscription is disabled
    max_attempts: int = 15            # one delivery is given up (status failed) after this many
    concurrency: int = 8              # POSTs in flight per worker (httpx slows past ~8 connections)
    per_subscription: int = 4         # deliveries claimed per subscription per batch
    enqueue_batch: int = 500          # events read per subscription per round
    poll_interval: float = 0.5        # seconds between rounds when idle
    allow_private: bool = False       # the SSRF guard's switch (EFA_WEBHOOK_ALLOW_PRIVATE)

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: object) -> WorkerConfig:
        return cls(**{"allow_private": settings.webhook_allow_private, **overrides})

    @property
    def lease(self) -> float:
        return self.timeout + 30.0


class Claim(NamedTuple):
    id: uuid.UUID
    subscription: uuid.UUID
    event: Event
    attempts: int
    url: str
    secret: str
    failing: bool  # the subscription had failures before: success must reset its count

    @property
    def event_seq(self) -> int:
        return self.event.seq


class Outcome(NamedTuple):
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class DeliveryWorker:
    """Enqueues and delivers webhook events; ``run_once`` for one round, ``run`` until stopped."""

    def __init__(self, config: WorkerConfig, *, client: httpx.AsyncClient | None = None) -> None:
        self.config = config
        self._client = client or httpx.AsyncClient(timeout=config.timeout, follow_redirects=False)
        self._busy: dict[uuid.UUID, int] = {}
        self._cursor_saved: dict[uuid.UUID, float] = {}

    async def aclose(self) -> None:
        await self._client.aclose()

    async def run_once(self) -> int:
        """Enqueue new events, then deliver what is due; returns the number of attempts made."""
        await self.enqueue()
        claims = await self.claim(self.config.concurrency)
        await asyncio.gather(*(self.deliver(c) for c in claims))
        return len(claims)

    async def run(self, stop: asyncio.Event) -> None:
        """Rounds until ``stop`` is set; finishes the POSTs in flight before returning."""
        in_flight: set[asyncio.Task] = set()
        stopping = asyncio.ensure_future(stop.wait())
        next_enqueue = 0.0
        try:
            while not stop.is_set():
                try:
                    # Enqueue once per poll interval, or at once while it keeps finding events.
                    if time.monotonic() >= next_enqueue:
                        backlog = await self.enqueue()
                        next_enqueue = 0.0 if backlog else time.monotonic() + self.config.poll_interval
                    for claim in await self.claim(self.config.concurrency - len(in_flight)):
                        task = asyncio.create_task(self.deliver(claim))
                        in_flight.add(task)
                        task.add_done_callback(in_flight.discard)
                except Exception:  # a database hiccup must not end the worker
                    log.exception("webhook.worker_error")
                await asyncio.wait({stopping, *in_flight}, timeout=self.config.poll_interval,
                                   return_when=asyncio.FIRST_COMPLETED)
            await asyncio.gather(*in_flight, return_exceptions=True)
        finally:
            stopping.cancel()
            await self.aclose()

    async def enqueue(self) -> int:
        """Turn new matching events of every enabled subscription into pending deliveries."""
        async with db.connection() as conn:
            ids = await repository.enabled_ids(conn)
        return sum([await self._enqueue_one(subscription_id) for subscription_id in ids])

    async def _enqueue_one(self, subscription_id: uuid.UUID) -> int:
        async with db.transaction() as conn:
            row = await repository.lock_for_enqueue(conn, subscription_id)
            if row is None:  # another worker is at it, or it was just disabled
                return 0
            filters = feed_filters(row["event_types"], msgspec.json.decode(row["filters"], type=WebhookFilters))
            events, cursor = await read_events(conn, after=row["feed_cursor"] or None, limit=self.config.enqueue_batch,
                                               filters=filters, audience=row["audience"])
            seqs = [e.seq for e in events if matches(row["event_types"], e.entity_type, e.action)]
            if seqs:
                await repository.enqueue(conn, subscription_id, seqs)
            # An idle feed still moves the cursor (the horizon advances); writing that on every
            # round would be a write per subscription per poll, so idle moves are saved now and then.
            now = time.monotonic()
            if cursor != row["feed_cursor"] and (events or now - self._cursor_saved.get(subscription_id, 0) > 10):
                await repository.save_cursor(conn, subscription_id, cursor)
                self._cursor_saved[subscription_id] = now
        return len(seqs)

    async def claim(self, limit: int) -> list[Claim]:
        """Claim up to ``limit`` due deliveries of subscriptions this worker is not busy with."""
        if limit <= 0:
            return []
        async with db.connection() as conn:
            rows = await repository.claim(conn, busy=list(self._busy), per_subscription=self.config.per_subscription,
                                          limit=limit, lease=self.config.lease)
        claims = [Claim(r["delivery_id"], r["subscription"], event_from_row(r), r["attempts"], r["url"], r["secret"],
                        r["failing"]) for r in rows]
        for c in claims:
            self._busy[c.subscription] = self._busy.get(c.subscription, 0) + 1
        return claims

    async def deliver(self, claim: Claim) -> Outcome:
        """POST one claimed delivery and record its outcome."""
        try:
            outcome = await self._post(claim, claim.event)
            await self._record(claim, outcome)
            return outcome
        except Exception:  # the claim's lease runs out and the delivery is retried: at least once
            log.exception("webhook.worker_error", subscription_id=str(claim.subscription), event_seq=claim.event_seq)
            return Outcome(None, "worker error")
        finally:
            left = self._busy.pop(claim.subscription, 1) - 1
            if left:
                self._busy[claim.subscription] = left

    async def _post(self, claim: Claim, event: Event) -> Outcome:
        try:
            target = await ssrf.check_url(claim.url, allow_private=self.config.allow_private)
        except ssrf.RefusedTarget as exc:
            return Outcome(None, f"refused: {exc.detail}")
        payload = msgspec.json.encode({"type": event.type, "timestamp": event.occurred_at, "data": event}).decode()
        msg_id = f"evt_{event.seq}"
        now = dt.datetime.now(dt.UTC)
        headers = {"webhook-id": msg_id, "webhook-timestamp": str(int(now.timestamp())),
                   "webhook-signature": Signer(claim.secret).sign(msg_id, now, payload),
                   "content-type": "application/json", "user-agent": "efa-registry-webhooks/1"}
        url, extensions = _pinned(target, headers)
        try:
            async with asyncio.timeout(self.config.timeout), self._client.stream(
                    "POST", url, content=payload, headers=headers, extensions=extensions) as response:
                await _drain(response)
                return Outcome(response.status_code, None if response.is_success else f"HTTP {response.status_code}")
        except (TimeoutError, httpx.TimeoutException):
            return Outcome(None, f"timeout after {self.config.timeout:g} s")
        except httpx.HTTPError as exc:
            return Outcome(None, f"{type(exc).__name__}: {exc}"[:500])

    async def _record(self, claim: Claim, outcome: Outcome) -> None:
        fields = {"subscription_id": str(claim.subscription), "event_seq": claim.event_seq,
                  "attempt": claim.attempts, "status_code": outcome.status_code}
        if outcome.ok and not claim.failing:  # the common case: one statement, no transaction
            async with db.connection() as conn:
                await repository.succeeded(conn, claim.id, outcome.status_code)
            log.info("webhook.delivered", **fields)
            return
        # Subscription row first, then the delivery: the same lock order as the API's updates.
        async with db.transaction() as conn:
            if outcome.ok:
                await repository.reset_failures(conn, claim.subscription)
                await repository.succeeded(conn, claim.id, outcome.status_code)
                log.info("webhook.delivered", **fields)
                return
            failures = await repository.count_failure(conn, claim.subscription)
            status = "failed" if claim.attempts >= self.config.max_attempts else "pending"
            await repository.failed(conn, claim.id, status=status, status_code=outcome.status_code,
                                    error=outcome.error, retry_in=self.backoff(claim.attempts))
            log.warning("webhook.failed", error=outcome.error, gave_up=status == "failed", **fields)
            if failures is not None and failures >= self.config.max_failures:
                reason = f"{failures} consecutive failed deliveries; last: {outcome.error}"
                if await mark_disabled(conn, claim.subscription, reason):
                    log.warning("webhook.disabled", subscription_id=str(claim.subscription), reason=reason)

    def backoff(self, attempts: int) -> float:
        """Seconds until the next try: exponential, capped, with jitter so retries do not align."""
        delay = min(self.config.backoff_cap, self.config.backoff_base * 2 ** max(attempts - 1, 0))
        return delay / 2 + random.uniform(0, delay / 2)


async def _drain(response: httpx.Response, limit: int = 65536) -> None:
    """Read a small answer to its end so the connection can be reused; never buffer a large one."""
    size = 0
    async for chunk in response.aiter_raw():
        size += len(chunk)
        if size > limit:
            return


def _pinned(target: ssrf.Target, headers: dict[str, str]) -> tuple[str, dict]:
    """Connect to the vetted address, keeping the host name for Host, SNI and certificate checks."""
    if target.address is None:
        return target.url, {}
    url = httpx.URL(target.url)
    headers["host"] = url.netloc.decode("ascii")
    return str(url.copy_with(host=target.address)), {"sni_hostname": target.host}


class RunningWorker(NamedTuple):
    task: asyncio.Task
    stop_event: asyncio.Event

    async def stop(self) -> None:
        """Ask the worker to stop and wait until its POSTs in flight are done."""
        self.stop_event.set()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


def start_worker(settings: Settings, config: WorkerConfig | None = None) -> RunningWorker:
    """Start the delivery worker as a background task on the running loop (the pool must be
    open); ``await handle.stop()`` ends it."""
    worker = DeliveryWorker(config or WorkerConfig.from_settings(settings))
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop), name="webhook-delivery-worker")
    log.info("webhook.worker_started", concurrency=worker.config.concurrency)
    return RunningWorker(task, stop)


async def run_until_signalled(settings: Settings, config: WorkerConfig | None = None) -> None:
    """``efa-registry worker``: deliver until SIGINT or SIGTERM (the pool must be open)."""
    import signal

    handle = start_worker(settings, config)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, handle.stop_event.set)
    await handle.task
