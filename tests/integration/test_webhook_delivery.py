"""Webhook delivery to a real HTTP server on 127.0.0.1: signatures, retries, timeouts,
disablement, concurrent workers and the SSRF guard at delivery time."""

from __future__ import annotations

import asyncio
import time

import pytest
from standardwebhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.events import recorder
from efa_registry.webhooks import service, ssrf
from efa_registry.webhooks.delivery import DeliveryWorker, WorkerConfig, start_worker
from efa_registry.webhooks.model import WebhookCreate, WebhookPatch

CURATOR = Actor.system("test-curator")
FAST = WorkerConfig(allow_private=True, timeout=0.5, backoff_base=0.05, backoff_cap=0.2, max_failures=3,
                    poll_interval=0.05)


class Receiver:
    """A tiny HTTP/1.1 server: records each request and answers from a script (a status code, or
    "hang" to never answer), then with ``default``."""

    def __init__(self, *script: int | str, default: int = 204) -> None:
        self.script = list(script)
        self.default = default
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.connections = 0
        self._release = asyncio.Event()

    async def __aenter__(self) -> Receiver:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc) -> None:
        self._release.set()
        self._server.close()
        await self._server.wait_closed()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/efa"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in head[1:] if line)}
            headers[":path"] = head[0].split(" ")[1]
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.requests.append((headers, body))
            answer = self.script.pop(0) if self.script else self.default
            if answer == "hang":
                await self._release.wait()
                return
            writer.write(f"HTTP/1.1 {answer} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def subscribe(url: str, *, allow_private: bool = True, event_types=("organisation.*",)):
    return await service.create_webhook(WebhookCreate(url=url, event_types=list(event_types)), actor=CURATOR,
                                        allow_private=allow_private)


async def commit_event(n: int, entity_type: str = "organisation") -> int:
    async with db.transaction() as conn:
        return await recorder.record(conn, actor=CURATOR, entity_type=entity_type, entity_id=f"e-{n}",
                                     action="updated", version=n, snapshot={"name": f"Nummer {n}"})


async def rounds(worker: DeliveryWorker, until, *, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not await until():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        await worker.run_once()
        await asyncio.sleep(0.02)


async def deliveries(webhook_id):
    return (await service.list_deliveries(webhook_id, actor=CURATOR, limit=100, after=None)).items


class TestSignedDelivery:
    async def test_matching_events_after_creation_arrive_signed(self, clean_db):
        async with Receiver() as receiver:
            await commit_event(0)  # before the subscription: not sent
            webhook, secret, _ = await subscribe(receiver.url)
            sent = [await commit_event(i) for i in (1, 2, 3)]
            await commit_event(4, entity_type="solution")  # another type: not sent
            worker = DeliveryWorker(FAST)
            try:
                assert await worker.run_once() == 3
                assert await worker.run_once() == 0
            finally:
                await worker.aclose()
        assert len(receiver.requests) == 3
        received = []
        for headers, body in receiver.requests:
            payload = Verifier(secret).verify(body, headers)
            assert payload["type"] == "organisation.updated"
            assert headers["webhook-id"] == f"evt_{payload['data']['seq']}"
            assert payload["data"]["snapshot"]["name"].startswith("Nummer")
            received.append(payload["data"]["seq"])
        assert sorted(received) == sent
        headers, body = receiver.requests[0]
        with pytest.raises(WebhookVerificationError):
            Verifier(secret).verify(body.replace(b"Nummer", b"Numm3r"), headers)
        assert {d.status for d in await deliveries(webhook.id)} == {"succeeded"}


class TestRetries:
    async def test_a_receiver_failing_twice_gets_the_event_on_the_third_attempt(self, clean_db):
        config = WorkerConfig(allow_private=True, timeout=0.5, backoff_base=0.3, backoff_cap=1.0, max_failures=3)
        async with Receiver(500, 503) as receiver:
            webhook, _, _ = await subscribe(receiver.url)
            await commit_event(1)
            worker = DeliveryWorker(config)
            try:
                assert await worker.run_once() == 1
                assert await worker.run_once() == 0, "a failed delivery waits for its backoff"
                (log,) = await deliveries(webhook.id)
                assert log.status == "pending" and log.last_status_code == 500 and log.next_attempt_at is not None

                async def delivered():
                    return (await deliveries(webhook.id))[0].status == "succeeded"

                await rounds(worker, delivered)
            finally:
                await worker.aclose()
        (log,) = await deliveries(webhook.id)
        assert (log.attempts, log.last_status_code, log.last_error) == (3, 204, None)
        assert len(receiver.requests) == 3
        assert len({h["webhook-id"] for h, _ in receiver.requests}) == 1, "a retry keeps its webhook-id"
        assert (await service.get_webhook(webhook.id, actor=CURATOR)).enabled

    async def test_a_hanging_receiver_times_out_into_a_retry_without_slowing_the_api(self, clean_db, client):
        async with Receiver("hang") as receiver:
            webhook, _, _ = await subscribe(receiver.url)
            await commit_event(1)
            worker = DeliveryWorker(WorkerConfig(allow_private=True, timeout=1.0, backoff_base=30, poll_interval=0.05))
            stop = asyncio.Event()
            running = asyncio.create_task(worker.run(stop))
            try:
                deadline = time.monotonic() + 5
                while not receiver.requests:
                    assert time.monotonic() < deadline
                    await asyncio.sleep(0.02)
                started = time.monotonic()
                response = await client.get("/v1/solutions")
                api_seconds = time.monotonic() - started
                await asyncio.sleep(1.3)
            finally:
                stop.set()
                await asyncio.wait_for(running, 5)
        assert response.status_code == 200 and api_seconds < 0.5, api_seconds
        (log,) = await deliveries(webhook.id)
        assert log.status == "pending" and log.attempts == 1 and log.last_error == "timeout after 1 s"
        assert log.next_attempt_at is not None and log.last_status_code is None


class TestDisablement:
    async def test_repeated_failure_disables_and_reenabling_delivers_the_backlog(self, clean_db):
        async with Receiver(default=500) as receiver:
            webhook, _, _ = await subscribe(receiver.url)
            seq = await commit_event(1)
            worker = DeliveryWorker(FAST)
            try:
                async def disabled():
                    return not (await service.get_webhook(webhook.id, actor=CURATOR)).enabled

                await rounds(worker, disabled)
                assert len(receiver.requests) == 3, "disabled after max_failures consecutive failures"
                current = await service.get_webhook(webhook.id, actor=CURATOR)
                assert current.disabled_reason.startswith("3 consecutive failed deliveries; last: HTTP 500")
                await asyncio.sleep(0.3)
                assert await worker.run_once() == 0 and len(receiver.requests) == 3, "nothing goes to a disabled hook"
                assert [d.status for d in await deliveries(webhook.id)] == ["pending"]

                receiver.default = 204
                await service.update_webhook(webhook.id, WebhookPatch(enabled=True), expected_version=current.version,
                                             actor=CURATOR, allow_private=True)
                assert await worker.run_once() == 1
            finally:
                await worker.aclose()
        (log,) = await deliveries(webhook.id)
        assert log.status == "succeeded" and log.event_seq == seq
        async with db.connection() as conn:
            actions = [r["action"] for r in await conn.fetch(
                "SELECT action FROM event WHERE entity_type = 'webhook' ORDER BY seq")]
            failures = await conn.fetchval("SELECT consecutive_failures FROM webhook_subscription")
        assert actions == ["created", "disabled", "enabled"] and failures == 0


class TestConcurrentWorkers:
    async def test_two_workers_deliver_each_event_exactly_once(self, clean_db):
        async with Receiver() as receiver:
            await subscribe(receiver.url)
            await subscribe(receiver.url.replace("/hooks/efa", "/hooks/second"))
            seqs = [await commit_event(i) for i in range(40)]
            config = WorkerConfig(allow_private=True, concurrency=6, per_subscription=3)
            workers = [DeliveryWorker(config), DeliveryWorker(config)]
            try:
                for _ in range(100):
                    attempted = await asyncio.gather(*(w.run_once() for w in workers))
                    if len(receiver.requests) >= 80 and not any(attempted):
                        break
            finally:
                for w in workers:
                    await w.aclose()
        for path in ("/hooks/efa", "/hooks/second"):
            delivered = sorted(int(h["webhook-id"].removeprefix("evt_")) for h, _ in receiver.requests
                               if h[":path"] == path)
            assert delivered == seqs, f"each event exactly once to {path}"


class TestSsrfAtDelivery:
    async def test_a_host_that_later_resolves_privately_is_not_contacted(self, clean_db, monkeypatch):
        answers = {"hooks.example.org": ["93.184.216.34"]}

        async def resolve(host: str, port: int) -> list[str]:
            return answers[host]

        monkeypatch.setattr(ssrf, "resolve", resolve)
        async with Receiver() as receiver:
            webhook, _, _ = await subscribe(f"https://hooks.example.org:{receiver.port}/efa", allow_private=False)
            answers["hooks.example.org"] = ["127.0.0.1"]  # DNS now points inside
            await commit_event(1)
            worker = DeliveryWorker(WorkerConfig(allow_private=False, timeout=0.5))
            try:
                assert await worker.run_once() == 1
            finally:
                await worker.aclose()
        assert receiver.connections == 0, "no request may leave for a refused address"
        (log,) = await deliveries(webhook.id)
        assert log.status == "pending" and log.last_status_code is None
        assert log.last_error.startswith("refused: the host hooks.example.org resolves to 127.0.0.1 (loopback)")


class TestBackgroundWorker:
    async def test_start_worker_delivers_in_the_background_and_stops_cleanly(self, clean_db, settings):
        async with Receiver() as receiver:
            await subscribe(receiver.url)
            handle = start_worker(settings, WorkerConfig.from_settings(settings, poll_interval=0.05))
            try:
                seq = await commit_event(1)
                deadline = time.monotonic() + 5
                while not receiver.requests:
                    assert time.monotonic() < deadline, "the background worker never delivered"
                    await asyncio.sleep(0.02)
            finally:
                await asyncio.wait_for(handle.stop(), 5)
        assert handle.task.done() and not handle.task.cancelled()
        assert receiver.requests[0][0]["webhook-id"] == f"evt_{seq}"
