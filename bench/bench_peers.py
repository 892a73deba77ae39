"""Ours against what a user would write by hand, on one PostgreSQL with the issue's volumes (not a test).

    python -m bench.bench_peers [--scale F] [--duration S] [--rounds N] [--connections N]

Loads the real GV100AD (10,751 Gemeinden), the OZG catalogue (557 OZG-Leistungen) and LeiKa, 600
solutions and 2,000 interfaces through the use cases (``bench.catalogue_data``), then
``--scale`` × 1,000,000 adoptions (COPY, ``catalogue_data.load_adoptions``, then ``rebuild_all``)
and ``--scale`` × 1,000,000 events (``bench.bench_feed.write_events``). Serves, one uvicorn worker
each on 127.0.0.1: the registry (``api.asgi:app``), the hand-written FastAPI + asyncpg + pydantic
list (``bench.peers.fastapi_list``) and piccolo-api's ``PiccoloCRUD`` on our ``solution`` table
(``bench.peers.piccolo_crud``). Checks that the FastAPI peer serves our page (same items, same
cursor), then loads every scenario in ``--rounds`` interleaved rounds from a separate process (wrk
when installed, else httpx) and prints req/s, p50/p99 and the ratios ours ÷ peer. Exits 0 with a
message when ../shared/data is absent. Ratios count, not absolute figures: the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path

import asyncpg
import httpx

from bench import bench_feed, harness
from bench.catalogue_data import FILES, load_adoptions, load_database
from bench.common import Server, generator, load, machine, pooled, server_stack
from efa_registry import db
from efa_registry.events.feed import Position
from efa_registry.settings import Settings

LIST = "limit=50"
SEARCH = "q=Bauantrag&facets=themenfeld,status,providerLand,interfaceStandard&limit=50"
FEED = "limit=1000"
# key → (server, path and query); the ratios below name the pairs.
SCENARIOS = {
    "ours: list 50": ("ours", f"/v1/solutions?{LIST}"),
    "fastapi: list 50": ("fastapi", f"/solutions?{LIST}"),
    "piccolo: list 50": ("piccolo", "/solutions/?{piccolo}"),
    "ours: search + 4 facets": ("ours", f"/v1/solutions?{SEARCH}"),
    "ours: feed, mid-log page": ("ours", f"/v1/events?{FEED}&after={{middle}}"),
    "ours: feed, catalogue page": ("ours", f"/v1/events?{FEED}&after={{second}}"),
}
RATIOS = (("list ÷ hand-written FastAPI", "ours: list 50", "fastapi: list 50", 1.0),
          ("list ÷ piccolo-api PiccoloCRUD", "ours: list 50", "piccolo: list 50", 2.0),
          ("search + 4 facets ÷ our plain list", "ours: search + 4 facets", "ours: list 50", 0.5))


async def _load(dsn: str, scale: float) -> dict[str, int]:
    volumes, _ = await load_database(dsn)
    settings = Settings.from_env({}, pool_min_size=1, pool_max_size=4, page_size_max=1000, log_level="warning")
    async with harness.connected(dsn, settings):
        volumes["adoptions"] = await load_adoptions(round(1_000_000 * scale))
        await bench_feed.write_events(round(1_000_000 * scale), 100)
        await harness.analyze()
        async with db.connection() as conn:
            volumes["events"] = await conn.fetchval("SELECT count(*) FROM event")
    return volumes


async def _middle(dsn: str) -> str:
    """The feed cursor just before the log's middle event: where a reader catching up spends its time
    (the log's first pages hold the catalogue's creation events: 1.26 KB envelopes instead of 0.84)."""
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow("SELECT tx_id::text::bigint AS tx_id, seq FROM event ORDER BY tx_id, seq"
                                  " OFFSET (SELECT count(*) / 2 FROM event) LIMIT 1")
    finally:
        await conn.close()
    return Position(row["tx_id"], row["seq"]).encode()


def _same_page(ours: Server, fastapi: Server) -> str:
    """The hand-written peer must serve our page (items and cursor), else the ratio means nothing."""
    mine = httpx.get(f"{ours.base}/v1/solutions?{LIST}", timeout=30).json()
    theirs = httpx.get(f"{fastapi.base}/solutions?{LIST}", timeout=30).json()
    for a, b in zip(mine["items"], theirs["items"], strict=True):
        differing = [k for k in a if a[k] != b.get(k)]
        if differing or set(a) != set(b):
            raise RuntimeError(f"the FastAPI peer's item {a['slug']} differs in {differing or set(a) ^ set(b)}")
    if mine["next"] != theirs["next"]:
        raise RuntimeError("the FastAPI peer's next link differs")
    return f"{len(mine['items'])} items, same fields and values, same next link"


def _rounds(urls: dict[str, str], args: argparse.Namespace) -> dict[str, dict]:
    runs: dict[str, list[dict]] = {key: [] for key in urls}
    for url in urls.values():
        load(url, seconds=args.warmup, connections=args.connections, max_requests=10_000, wrk=args.wrk)
    for n in range(args.rounds):
        print(f"  round {n + 1}/{args.rounds}", flush=True)
        for key, url in urls.items():
            runs[key].append(load(url, seconds=args.duration / args.rounds, connections=args.connections,
                                  max_requests=100_000, wrk=args.wrk))
    return {key: pooled(parts) for key, parts in runs.items()}


def _report(results: dict[str, dict], args: argparse.Namespace, volumes: dict[str, int]) -> list[str]:
    def rps(key: str) -> float:
        return results[key]["requests"] / results[key]["seconds"]

    lines = [machine(args.load_average), f"servers: uvicorn, 1 worker each ({server_stack()}), pool ≤ 10;"
             f" load: {generator(args.wrk)}, {args.connections} connections, {args.rounds} interleaved rounds,"
             f" {args.duration:g} s per scenario", "volumes: " + ", ".join(f"{k} {v:,}" for k, v in volumes.items()),
             "", f"{'scenario':<28} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'KB':>6} {'errors':>6}"]
    for key, r in results.items():
        lines.append(f"{key:<28} {rps(key):7.0f} {r['p50']:7.1f} {r['p99']:7.1f}"
                     f" {r['bytes'] / max(r['requests'], 1) / 1024:6.1f} {r['errors']:6d}")
    lines.append("")
    for label, mine, theirs, target in RATIOS:
        ratio = rps(mine) / rps(theirs)
        lines.append(f"{label:<36} {ratio:5.2f}  (target ≥ {target:g}: {'met' if ratio >= target else 'MISSED'};"
                     f" p50 {results[mine]['p50']:.1f} vs {results[theirs]['p50']:.1f} ms,"
                     f" p99 {results[mine]['p99']:.1f} vs {results[theirs]['p99']:.1f} ms)")
    for key, what in (("ours: feed, mid-log page", "catch-up, a page in the middle of the log"),
                      ("ours: feed, catalogue page", "the log's second page: the catalogue's events")):
        lines.append(f"feed over HTTP, {what}: {1000 * rps(key):,.0f} events/s ({args.connections} readers,"
                     f" p99 {results[key]['p99']:.1f} ms per page of 1000)")
    return lines


def _rollout_two_workers(servers: dict[str, Server], env: dict[str, str], tmp: Path, args: argparse.Namespace) -> str:
    """``GET /v1/solutions/{key}/rollout`` of the most adopted solution at 16 connections against
    ``uvicorn api.asgi:app --workers 2`` (target: p99 < 20 ms)."""
    servers.pop("ours").stop()
    two = servers["ours-2"] = Server("ours-2", ["api.asgi:app"], {**env, "EFA_POOL_MAX_SIZE": "8"}, tmp, workers=2)
    two.wait_ready("/ready")
    slug = httpx.get(f"{two.base}/v1/rollout", timeout=60).json()["rows"]
    slug = max(slug, key=lambda r: r["national"]["adoptions"]["live"])["solution"]["slug"]
    url = f"{two.base}/v1/solutions/{slug}/rollout"
    load(url, seconds=args.warmup, connections=16, max_requests=10_000, wrk=args.wrk)
    r = pooled([load(url, seconds=args.duration / args.rounds, connections=16, max_requests=100_000, wrk=args.wrk)
                for _ in range(args.rounds)])
    return (f"rollout of one solution ({slug}), 2 workers, 16 connections: {r['requests'] / r['seconds']:.0f} req/s,"
            f" p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms (target p99 < 20 ms:"
            f" {'met' if r['p99'] < 20 else 'MISSED'}), errors {r['errors']}")


def _serve(pg: harness.Database, args: argparse.Namespace, volumes: dict[str, int]) -> None:
    env = {**os.environ, "EFA_DATABASE_URL": pg.dsn, "EFA_LOG_FORMAT": "json", "EFA_LOG_LEVEL": "info",
           "EFA_POOL_MAX_SIZE": "10", "EFA_PAGE_SIZE_MAX": "1000"}
    servers = {"ours": Server("ours", ["api.asgi:app"], env, pg.tmp),
               "fastapi": Server("fastapi", ["bench.peers.fastapi_list:app"], env, pg.tmp),
               "piccolo": Server("piccolo", ["bench.peers.piccolo_crud:app"], env, pg.tmp)}
    try:
        servers["ours"].wait_ready("/ready")
        servers["fastapi"].wait_ready(f"/solutions?{LIST}")
        servers["piccolo"].wait_ready("/solutions/?__page_size=1")
        print("same page from ours and the FastAPI peer: " + _same_page(servers["ours"], servers["fastapi"]))
        from bench.peers.piccolo_crud import QUERY

        second = httpx.get(f"{servers['ours'].base}/v1/events?limit=1000&after=", timeout=60).json()["cursor"]
        middle = asyncio.run(_middle(pg.dsn))
        urls = {key: servers[name].base + path.format(piccolo=QUERY, second=second, middle=middle)
                for key, (name, path) in SCENARIOS.items()}
        results = _rounds(urls, args)
        print("\n".join(["", *_report(results, args, volumes)]), flush=True)
        for name in ("fastapi", "piccolo"):
            servers.pop(name).stop()
        print(_rollout_two_workers(servers, env, pg.tmp, args), flush=True)
    finally:
        for s in servers.values():
            s.stop()


def main(argv: list[str] | None = None) -> int:
    parser = harness.arguments(__doc__, httpx=True, duration=15.0, rounds=3, warmup=2.0, connections=32)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the 1,000,000 adoptions and events")
    args = parser.parse_args(argv)
    if harness.missing(*FILES.values()):
        return 0
    harness.settings()
    args.load_average = os.getloadavg()[0]
    with harness.database("efa-bench-peers-") as pg:
        args.wrk = harness.wrk_script(pg.tmp, args.httpx)
        print(f"loading (scale {args.scale:g}) …", flush=True)
        started = time.perf_counter()
        volumes = asyncio.run(_load(pg.dsn, args.scale))
        print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)
        _serve(pg, args, volumes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
