"""Benchmark of webhook deliveries per second to a local receiver (not a test).

    python -m bench.bench_webhooks [--events N] [--subscriptions N] [--concurrency N]

Starts its own embedded PostgreSQL and a receiver in a separate process (a minimal keep-alive
HTTP/1.1 server on 127.0.0.1 answering 204), registers the subscriptions, commits N events
(default 5,000, 50 per transaction) and runs one ``DeliveryWorker`` until every delivery has
succeeded. Prints deliveries per second, and checks the receiver got each exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time

import httpx

from bench import harness
from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.db import migrate
from efa_registry.settings import Settings
from efa_registry.webhooks import service
from efa_registry.webhooks.delivery import DeliveryWorker, WorkerConfig
from efa_registry.webhooks.model import WebhookCreate

WRITE = """
DO $$
DECLARE batch int;
BEGIN
  FOR batch IN 0 .. {batches} - 1 LOOP
    INSERT INTO event (actor, entity_type, entity_id, action, version, snapshot, land)
    SELECT 'bench', 'solution', gen_random_uuid()::text, 'updated', i,
           jsonb_build_object('name', 'Wohngeld digital', 'status', 'available', 'summary', repeat('x', 200)), '05'
    FROM generate_series(batch * 50 + 1, (batch + 1) * 50) AS i;
    COMMIT;
  END LOOP;
END $$;
"""


async def receive(port_out) -> None:
    """The receiver process: 204 to every POST, keep-alive; GET /count tells how many (and how many distinct)."""
    seen: list[str] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
                headers = dict(line.lower().split(": ", 1) for line in head[1:] if line)
                await reader.readexactly(int(headers.get("content-length", "0")))
                if head[0].startswith("GET"):
                    body = f"{len(seen)} {len(set(seen))}".encode()
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                else:
                    seen.append(head[0].split(" ")[1] + headers["webhook-id"])
                    writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], file=port_out, flush=True)
    await server.serve_forever()


async def run(dsn: str, settings: Settings, args: argparse.Namespace, port: int) -> None:
    async with harness.connected(dsn, settings):
        await migrate.migrate()
        for n in range(args.subscriptions):
            await service.create_webhook(WebhookCreate(url=f"http://127.0.0.1:{port}/hook/{n}", event_types=["*"]),
                                         actor=Actor.system("bench"), allow_private=True)
        async with db.connection() as conn:
            await conn.execute(WRITE.format(batches=args.events // 50))
        expected = args.events // 50 * 50 * args.subscriptions
        config = WorkerConfig(allow_private=True, concurrency=args.concurrency, poll_interval=0.05,
                              per_subscription=max(1, args.concurrency // args.subscriptions))
        worker = DeliveryWorker(config)
        stop = asyncio.Event()
        started = time.perf_counter()
        task = asyncio.create_task(worker.run(stop))
        async with db.connection() as conn:
            for _ in range(12000):  # polled every 50 ms, 10 minutes at most
                done = await conn.fetchval("SELECT count(*) FROM webhook_delivery WHERE status = 'succeeded'")
                if done >= expected:
                    break
                await asyncio.sleep(0.05)
        seconds = time.perf_counter() - started
        stop.set()
        await task
        async with httpx.AsyncClient() as client:
            received, distinct = map(int, (await client.get(f"http://127.0.0.1:{port}/count")).text.split())
        print(f"{expected:,} deliveries ({args.events:,} events x {args.subscriptions} subscriptions,"
              f" concurrency {args.concurrency}) in {seconds:.1f} s = {expected / seconds:,.0f} deliveries/s")
        print(f"receiver got {received:,} requests, {distinct:,} distinct (subscription, webhook-id)")


def main(argv: list[str] | None = None) -> int:
    parser = harness.arguments(__doc__, events=5000)
    parser.add_argument("--subscriptions", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--receiver", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.receiver:
        asyncio.run(receive(sys.stdout))
        return 0
    settings = harness.settings(pool_min_size=1, pool_max_size=12, log_level="error")
    receiver = subprocess.Popen([sys.executable, "-m", "bench.bench_webhooks", "--receiver"], stdout=subprocess.PIPE,
                                text=True)
    try:
        port = int(receiver.stdout.readline())
        with harness.database("efa-bench-pg-") as pg:
            asyncio.run(run(pg.dsn, settings, args, port))
    finally:
        receiver.terminate()
        receiver.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
