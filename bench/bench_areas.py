"""Benchmark of the area directory (GV100AD) over HTTP (not a test).

    python -m bench.bench_areas [--duration S] [--connections 32,8] [--httpx]

Starts its own embedded PostgreSQL in a temporary directory, migrates, runs ``seed()`` and imports
the real GV100AD edition from ../shared/data beside the checkout (timed: one import into the
freshly seeded database; exits 0 with a message when the file is absent). Serves the real app
(``api.asgi``) with uvicorn, one worker, on 127.0.0.1, and loads each scenario from a separate
process (``wrk`` when installed, else an httpx client) for ``--duration`` seconds (or
``--max-requests``) at each connection count: the first page of all Gemeinden, a deep page of
them reached through ``next`` cursors, the Gemeinden of one Land, a name search, the Länder and
one area. Prints req/s (pages/s), p50/p95/p99, the CPU per request of server and PostgreSQL and
the CPU other processes took, as a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

import httpx

from bench.common import Server, generator, load, machine, measured, postmaster_pid, server_stack
from bench.harness import GV100AD, Database, analyze, arguments, connected, database, missing, settings, wrk_script
from efa_registry import db
from efa_registry.access.model import Actor
from efa_registry.areas.gv100ad_import import import_gv100ad
from efa_registry.db import migrate
from efa_registry.seeding import seed
from efa_registry.settings import Settings
from seed import SEED_DIR

ACTOR = Actor.system("bench")
GEMEINDEN = "/v1/areas?level=gemeinde&limit=100"


async def _prepare(dsn: str) -> tuple[float, str, dict[str, int]]:
    """Migrate, seed, import the GV100AD edition once (timed); the import's summary and the area counts."""
    async with connected(dsn, Settings.from_env({}, pool_min_size=1, pool_max_size=2, log_level="warning")):
        await migrate.migrate()
        await seed(SEED_DIR, official=False, actor=ACTOR)
        started = time.perf_counter()
        summary = await import_gv100ad(GV100AD, actor=ACTOR)
        seconds = time.perf_counter() - started
        await analyze()
        async with db.connection() as conn:
            counts = dict(await conn.fetch("SELECT level::text, count(*) FROM area GROUP BY level ORDER BY level"))
    return seconds, summary.lines()[0], counts


def _deep_page(base: str, pages: int) -> tuple[str, int]:
    """The URL of page ``pages + 1`` of all Gemeinden, reached by following ``next`` from page 1."""
    path, page = GEMEINDEN, 1
    with httpx.Client(base_url=base, timeout=30) as client:
        for _ in range(pages):
            following = client.get(path).raise_for_status().json()["next"]
            if following is None:
                break
            path, page = following, page + 1
    return path, page


def _scenarios(base: str, deep_pages: int) -> list[tuple[str, str]]:
    """(label, path) of each scenario, each checked once (status 200) before it is measured."""
    deep, page = _deep_page(base, deep_pages)
    some = httpx.get(base + deep, timeout=30).raise_for_status().json()["items"][0]["ars"]
    return [(f"`{GEMEINDEN}` (page 1)", GEMEINDEN),
            (f"same, page {page} via `next` cursors", deep),
            ("`/v1/areas?land=09&level=gemeinde&limit=100`", "/v1/areas?land=09&level=gemeinde&limit=100"),
            ("`/v1/areas?q=berg&limit=50`", "/v1/areas?q=berg&limit=50"),
            ("`/v1/lands`", "/v1/lands"),
            (f"`/v1/areas/{some}`", f"/v1/areas/{some}")]


def _table(rows: list[tuple[str, int, dict, int]]) -> list[str]:
    out = ["| scenario | connections | items | KB | req/s | p50 ms | p95 ms | p99 ms | errors"
           " | CPU ms/request server / PostgreSQL | others (cores) |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for label, connections, r, items in rows:
        rps, cpu = r["requests"] / r["seconds"], r["cpu"]
        out.append(f"| {label} | {connections} | {items} | {r['bytes'] / max(r['requests'], 1) / 1024:.1f}"
                   f" | {rps:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['errors']}"
                   f" | {1000 * cpu['server'] / rps:.2f} / {1000 * cpu['postgres'] / rps:.2f} | {cpu['other']:.2f} |")
    return out


def _quantile(run: dict, p: int) -> float:
    """Percentile ``p`` of one run from its 1,000 quantiles."""
    return run["quantiles"][max(0, p * 10 - 1)]


def _items(body: object) -> int:
    """Items in a response: a page's, a list's, or one entity."""
    if isinstance(body, dict) and "items" in body:
        return len(body["items"])
    return len(body) if isinstance(body, list) else 1


def _measure(app: Server, scenarios: list[tuple[str, str]], args: argparse.Namespace,
             roots: dict[str, int]) -> dict[tuple[str, int], dict]:
    """Each scenario at each connection count, with the CPU of the server and PostgreSQL."""
    results: dict[tuple[str, int], dict] = {}
    for connections in args.connections:
        for label, path in scenarios:
            r = measured(lambda path=path, connections=connections: load(
                app.base + path, seconds=args.duration, connections=connections,
                max_requests=args.max_requests, wrk=args.wrk), roots)
            r.update({f"p{p}": _quantile(r, p) for p in (50, 95, 99)})
            results[label, connections] = r
            print(f"  {connections:>3} connections  {r['requests'] / r['seconds']:7.0f} req/s"
                  f"  p99 {r['p99']:7.1f} ms  {label}", flush=True)
    return results


def _serve(pg: Database, args: argparse.Namespace, import_seconds: float, summary: str) -> None:
    env = {**os.environ, "EFA_DATABASE_URL": pg.dsn, "EFA_WEBHOOK_WORKER": "false", "EFA_LOG_FORMAT": "json",
           "EFA_LOG_LEVEL": "info"}
    app = Server("app", ["api.asgi:app"], env, pg.tmp)
    try:
        app.wait_ready("/ready")
        scenarios = _scenarios(app.base, args.deep_pages)
        items = {}
        for _, path in scenarios:
            items[path] = _items(httpx.get(app.base + path, timeout=30).raise_for_status().json())
            load(app.base + path, seconds=args.warmup, connections=max(args.connections),
                 max_requests=args.max_requests, wrk=args.wrk)
        results = _measure(app, scenarios, args, {"server": app.process.pid, "postgres": postmaster_pid(pg.pgdata)})
    finally:
        app.stop()
    rows = [(label, c, results[label, c], items[path]) for label, path in scenarios for c in args.connections]
    print("\n".join([
        "", machine(args.load_average),
        f"server: uvicorn 1 worker ({server_stack()}), default pool, app logs JSON at info, webhook worker off",
        f"load: {generator(args.wrk)}, over loopback, {args.duration:g} s (or {args.max_requests} requests)"
        f" per scenario and connection count, after {args.warmup:g} s warm-up per scenario",
        f"GV100AD import: {import_seconds:.2f} s ({summary})", "", *_table(rows),
        "KB = response size; others = CPU used by processes outside this benchmark (and the kernel)"]), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__, httpx=True, duration=10.0, warmup=1.0, max_requests=200_000)
    parser.add_argument("--connections", type=lambda s: [int(n) for n in s.split(",")], default=[32, 8],
                        help="comma-separated connection counts (default 32,8)")
    parser.add_argument("--deep-pages", type=int, default=50, help="`next` links followed to the deep page")
    args = parser.parse_args(argv)
    if missing(GV100AD):
        return 0
    settings()
    started, args.load_average = time.perf_counter(), os.getloadavg()[0]
    with database("efa-bench-areas-") as pg:
        args.wrk = wrk_script(pg.tmp, args.httpx)
        print("migrating, seeding and importing the GV100AD edition …", flush=True)
        import_seconds, summary, counts = asyncio.run(_prepare(pg.dsn))
        print(f"GV100AD import ({GV100AD.name}, one import after seed()): {import_seconds:.2f} s — {summary}")
        print("areas: " + ", ".join(f"{level} {n}" for level, n in counts.items()), flush=True)
        _serve(pg, args, import_seconds, summary)
    print(f"\nwhole benchmark: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
