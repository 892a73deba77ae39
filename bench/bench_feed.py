"""Benchmark of the change feed catching up on a large event log (not a test).

    python -m bench.bench_feed [--events N] [--per-tx N] [--limit N]

Starts its own embedded PostgreSQL, runs the migrations and writes N events (default 1,000,000)
with realistic ~300-byte adoption snapshots in transactions of ``--per-tx`` events (so the feed
spans many transaction ids, as in production). Then a reader catches up from the start in pages
of ``--limit`` (1000): through the core (``feed.read_events`` on one connection) and through HTTP
(``GET /v1/events`` following ``next``, the real app over httpx's ASGI transport, anonymous, so
contact fields are cut from every snapshot). Prints events per second and the query plan.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx
import msgspec

from bench import harness
from efa_registry import db
from efa_registry.db import migrate
from efa_registry.events import feed, repository
from efa_registry.events.model import FeedFilters
from efa_registry.settings import Settings

# One transaction per batch (a procedure-style DO block may COMMIT between statements).
WRITE = """
DO $$
DECLARE batch int;
BEGIN
  FOR batch IN {first} .. {last} LOOP
    INSERT INTO event (actor, request_id, entity_type, entity_id, action, version, snapshot,
                       solution_id, land, themenfelder)
    SELECT 'token:5f0c2a9e-1d2b-4c55-9a51-3c2f1e0b7a10 (Landesportal NRW)', md5(i::text),
           'adoption', gen_random_uuid()::text, (ARRAY['subscribed','agree','start_onboarding','go_live'])[i % 4 + 1],
           i % 5 + 1,
           jsonb_build_object(
             'id', gen_random_uuid(), 'status', 'live', 'version', i % 5 + 1, 'paused_from', NULL,
             'planned_live_on', '2026-03-01', 'live_since', '2026-03-15', 'note', 'Go-live nach Onboarding',
             'solution', jsonb_build_object('id', 'a3e1c6d2-6f8e-4b7a-9c1d-2e3f4a5b6c7d',
                                            'slug', 'wohngeld-digital', 'name', 'Wohngeld digital'),
             'area', jsonb_build_object('ars', lpad((i % 99999)::text, 12, '0'), 'name', 'Gemeinde ' || i,
                                        'level', 'gemeinde', 'land', lpad((i % 16 + 1)::text, 2, '0')),
             'interfaces', '[]'::jsonb),
           CASE WHEN i % 3 = 0 THEN 'a3e1c6d2-6f8e-4b7a-9c1d-2e3f4a5b6c7d'::uuid END,
           lpad((i % 16 + 1)::text, 2, '0'), ARRAY['familie-kind']
    FROM generate_series(batch * {per_tx} + 1, (batch + 1) * {per_tx}) AS i;
    COMMIT;
  END LOOP;
END $$;
"""


async def write_events(total: int, per_tx: int) -> float:
    started = time.perf_counter()
    async with db.connection() as conn:
        batches, chunk = total // per_tx, 100_000 // per_tx  # one statement per chunk: under the command timeout
        for first in range(0, batches, chunk):
            await conn.execute(WRITE.format(first=first, last=min(first + chunk, batches) - 1, per_tx=per_tx))
        await conn.execute("VACUUM ANALYZE event")
        size = await conn.fetchval("SELECT avg(length(snapshot::text))::int FROM event")
        print(f"wrote {total:,} events ({per_tx}/tx) in {time.perf_counter() - started:.1f} s;"
              f" snapshots ~{size} bytes of JSON each")
    return time.perf_counter() - started


async def catch_up_core(limit: int, filters: FeedFilters = FeedFilters()) -> tuple[int, float]:
    count, cursor, started = 0, None, time.perf_counter()
    async with db.connection() as conn:
        while True:
            events, cursor = await feed.read_events(conn, after=cursor, limit=limit, filters=filters)
            count += len(events)
            if len(events) < limit:
                return count, time.perf_counter() - started


async def catch_up_json(limit: int) -> tuple[int, float]:
    """The HTTP handler's core path: pages encoded by PostgreSQL (``feed.read_events_json``)."""
    count, cursor, started = 0, None, time.perf_counter()
    async with db.connection() as conn:
        while True:
            page = await feed.read_events_json(conn, after=cursor, limit=limit)
            count, cursor = count + page.count, page.cursor
            if page.count < limit:
                return count, time.perf_counter() - started


async def catch_up_http(settings: Settings, limit: int) -> tuple[int, float, int]:
    from api.app import create_app

    app = create_app(settings)
    count, pages, url, started = 0, 0, f"/v1/events?limit={limit}", time.perf_counter()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        while True:
            response = await client.get(url)
            response.raise_for_status()
            page = msgspec.json.decode(response.content)  # a fast client: measure the server, not json.loads
            count, pages, url = count + len(page["items"]), pages + 1, page["next"]
            if len(page["items"]) < limit:
                return count, time.perf_counter() - started, pages


async def plan() -> str:
    async with db.connection() as conn:
        sql = repository.READ.format(columns="seq", conditions="")
        middle = await conn.fetchrow("SELECT tx_id, seq FROM event ORDER BY seq OFFSET (SELECT count(*) / 2 FROM event)"
                                     " LIMIT 1")
        rows = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql, middle["tx_id"], middle["seq"], 1000)
    return "\n".join("    " + r[0] for r in rows)


async def run(dsn: str, settings: Settings, args: argparse.Namespace) -> None:
    async with harness.connected(dsn, settings):
        await migrate.migrate()
        await write_events(args.events, args.per_tx)
        print("query plan of one page (mid-log):\n" + await plan())
        count, seconds = await catch_up_core(args.limit)
        print(f"core  read_events : {count:,} events in {seconds:6.1f} s = {count / seconds:9,.0f} events/s")
        count, seconds = await catch_up_json(args.limit)
        print(f"core  read_events_json: {count:,} events in {seconds:6.1f} s = {count / seconds:9,.0f} events/s")
        count, seconds = await catch_up_core(args.limit, FeedFilters(land="05"))
        print(f"core  land=05     : {count:,} events in {seconds:6.1f} s = {count / seconds:9,.0f} events/s"
              f" (scans all {args.events:,})")
        count, seconds, pages = await catch_up_http(settings, args.limit)
        print(f"HTTP  /v1/events  : {count:,} events in {seconds:6.1f} s = {count / seconds:9,.0f} events/s"
              f" ({pages} pages, {seconds / pages * 1000:.0f} ms/page)")


def main(argv: list[str] | None = None) -> int:
    parser = harness.arguments(__doc__, events=1_000_000)
    parser.add_argument("--per-tx", type=int, default=100, help="events per transaction")
    parser.add_argument("--limit", type=int, default=1000, help="events per page")
    args = parser.parse_args(argv)
    settings = harness.settings(pool_min_size=1, pool_max_size=4, page_size_max=1000)
    with harness.database("efa-bench-pg-") as pg:
        asyncio.run(run(pg.dsn, settings, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
