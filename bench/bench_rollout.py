"""Benchmark of the rollout figures at issue-4 scale, on its own embedded PostgreSQL (not a test).

    python -m bench.bench_rollout [--adoptions N] [--solutions N] [--clients N] [--seconds S]

Loads the real GV100AD (all 10,751 Gemeinden; exits 0 with a message when ../shared/data is
absent), 600 solutions linked to 100 OZG-Leistungen, and 1,000,000 adoptions by COPY, then
``rebuild_all`` (``bench.dataset``). Measures, with ``--clients`` concurrent tasks on loopback,
p50/p95/p99 and requests per second of the rollout reads through the core service functions and
through HTTP (uvicorn serving the real app in a subprocess on 127.0.0.1, httpx as the client), the
latency of an adoption write with its refresh, and checks that the stored figures equal a live
recompute.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

import httpx

from bench import dataset, harness
from bench.harness import load_average
from bench.latency import Call, Stats, app_client, checked_get, run_load, run_open_loop
from efa_registry import db
from efa_registry.rollout import repository, service
from efa_registry.rollout.model import MatrixFilter
from efa_registry.settings import Settings

# --------------------------------------------------------------------------- what is asked for

class Keys:
    """What the benchmark asks for: solution slugs, OZG-IDs, Länder, Themenfelder."""

    def __init__(self, slugs: list[str], drillable: list[str], ozg_ids: list[str], lands: list[str],
                 themen: list[str]) -> None:
        self.slugs, self.drillable, self.ozg_ids, self.lands, self.themen = slugs, drillable, ozg_ids, lands, themen

    @classmethod
    async def load(cls, conn) -> Keys:
        rows = await conn.fetch("SELECT slug, rollout_level FROM solution ORDER BY slug")
        return cls([r["slug"] for r in rows], [r["slug"] for r in rows if r["rollout_level"] != "land"],
                   [r[0] for r in await conn.fetch("SELECT ozg_id FROM ozg_leistung ORDER BY ozg_id")],
                   [r[0] for r in await conn.fetch("SELECT ars FROM area WHERE level = 'land' ORDER BY ars")],
                   [r[0] for r in await conn.fetch("SELECT key FROM themenfeld ORDER BY key")])


def core_calls(keys: Keys) -> dict[str, Call]:
    return {
        "solution rollout": lambda rng: service.solution_rollout(rng.choice(keys.slugs)),
        "solution rollout ?land=&by=kreis": lambda rng: service.solution_rollout(
            rng.choice(keys.drillable), land=rng.choice(keys.lands), by="kreis"),
        "solution timeline": lambda rng: service.solution_timeline(rng.choice(keys.slugs)),
        "OZG-Leistung rollout": lambda rng: service.ozg_rollout(rng.choice(keys.ozg_ids)),
        "Land overview": lambda rng: service.land_overview(rng.choice(keys.lands)),
        "matrix (all 600 × 16)": lambda rng: service.matrix(MatrixFilter()),
        "matrix ?themenfeld=": lambda rng: service.matrix(MatrixFilter(themenfeld=rng.choice(keys.themen))),
    }


def http_calls(client: httpx.AsyncClient, keys: Keys) -> dict[str, Call]:
    get = checked_get(client)
    return {
        "GET /health (the stack's floor, no database)": lambda rng: get("/health"),
        "GET /v1/solutions/{key}/rollout": lambda rng: get(f"/v1/solutions/{rng.choice(keys.slugs)}/rollout"),
        "GET …/rollout?land=&by=kreis": lambda rng: get(
            f"/v1/solutions/{rng.choice(keys.drillable)}/rollout?land={rng.choice(keys.lands)}&by=kreis"),
        "GET /v1/solutions/{key}/rollout/timeline": lambda rng: get(
            f"/v1/solutions/{rng.choice(keys.slugs)}/rollout/timeline"),
        "GET /v1/ozg-leistungen/{ozgId}/rollout": lambda rng: get(
            f"/v1/ozg-leistungen/{rng.choice(keys.ozg_ids)}/rollout"),
        "GET /v1/lands/{code}/rollout": lambda rng: get(f"/v1/lands/{rng.choice(keys.lands)}/rollout"),
        "GET /v1/rollout": lambda rng: get("/v1/rollout"),
    }


# --------------------------------------------------------------------------- writes and exactness


async def _go_live(adoption) -> None:
    """What the adoption service does on a transition to live: the change, then the refresh."""
    async with db.transaction() as conn:
        await conn.execute("UPDATE adoption SET status = 'live', live_since = current_date, version = version + 1,"
                           " updated_at = now() WHERE id = $1", adoption["id"])
        await service.refresh_after_adoption_change(conn, solution_id=adoption["solution"], area_ars=adoption["area"])


async def _candidates(conn, n: int) -> list:
    return await conn.fetch("SELECT id, solution, area FROM adoption WHERE status = 'onboarding'"
                            " ORDER BY md5(id::text) LIMIT $1", n)


async def measure_writes(candidates: list, clients: int) -> list[Stats]:
    sequential, concurrent = candidates[:100], candidates[100:300]
    latencies = []
    started = time.perf_counter()
    for adoption in sequential:
        t0 = time.perf_counter()
        await _go_live(adoption)
        latencies.append(time.perf_counter() - t0)
    first = Stats("adoption → live + refresh, one at a time", latencies, time.perf_counter() - started)
    queue = iter(concurrent)
    second = await run_load(f"adoption → live + refresh, {clients} at once",
                            lambda rng: _go_live(next(queue)), clients=clients, requests=len(concurrent) - 3,
                            seconds=60, warmup=3)
    return [first, second]


async def measure_mixed(candidates: list, clients: int, seconds: float, interval: float) -> Stats:
    """Matrix readers while one writer makes an adoption live every ``interval`` seconds: every
    write invalidates the cached matrix, so this measures recomputation under load."""
    stop = False

    async def writer() -> None:
        for adoption in candidates:
            if stop:
                return
            await _go_live(adoption)
            await asyncio.sleep(interval)

    task = asyncio.create_task(writer())
    stats = await run_load(f"matrix, an adoption goes live every {interval:g} s",
                           lambda rng: service.matrix(MatrixFilter()), clients=clients, requests=100_000,
                           seconds=seconds)
    stop = True
    await task
    return stats


async def check_exact(touched: list) -> str:
    """The served figures of every touched solution and OZG-Leistung equal a recompute from the
    adoptions, right after the last write committed."""
    async with db.connection() as conn:
        solutions = {a["solution"] for a in touched}
        ozg_ids = sorted({r[0] for r in await conn.fetch(
            "SELECT ozg_leistung FROM solution_ozg_leistung WHERE solution = ANY($1::uuid[])", list(solutions))})
        levels = dict(await conn.fetch("SELECT id, rollout_level FROM solution WHERE id = ANY($1::uuid[])",
                                       list(solutions)))
        matrix = {row.solution.id: row for row in (await service.matrix(MatrixFilter())).rows}
        wrong = 0
        for solution_id in solutions:
            live = await repository.compute_cells(conn, [solution_id], levels[solution_id])
            served = await service.solution_rollout(solution_id)
            wrong += sum(f.figures.covered_units != live[f.land.code].covered_units for f in served.lands)
            wrong += matrix[solution_id].covered_units != [live[land].covered_units for land in sorted(live)]
        for ozg_id in ozg_ids:
            served = await service.ozg_rollout(ozg_id)
            ids = [s.id for s in served.solutions]
            live = await repository.compute_cells(conn, ids, served.rollout_level)
            wrong += sum(f.figures.covered_units != live[f.land.code].covered_units for f in served.lands)
    return (f"exactness: {len(solutions)} solutions, {len(ozg_ids)} OZG-Leistungen checked against a recompute:"
            f" {'all equal' if not wrong else f'{wrong} MISMATCHES'}")


# --------------------------------------------------------------------------- HTTP


async def measure_http(dsn: str, keys: Keys, clients: int, seconds: float, log_dir: Path) -> list[Stats]:
    async with app_client(dsn, clients, log_dir) as client:
        calls = http_calls(client, keys)
        closed = [await run_load(label, call, clients=clients, requests=20_000, seconds=seconds)
                  for label, call in calls.items()]
        opened = [await run_open_loop(label, calls[label], rate=rate, seconds=seconds) for label, rate in (
            ("GET /v1/solutions/{key}/rollout", 25), ("GET /v1/lands/{code}/rollout", 10), ("GET /v1/rollout", 10))]
    return closed + opened


# --------------------------------------------------------------------------- main


async def _reads(keys: Keys, args: argparse.Namespace) -> None:
    calls = core_calls(keys)
    print(f"\nservice time: one request at a time through the core service functions ({load_average()}):")
    for label, call in calls.items():
        print((await run_load(label, call, clients=1, requests=500, seconds=min(3.0, args.seconds))).line(),
              flush=True)
    print(f"\nreads through the core service functions, {args.clients} concurrent tasks, pool of {args.clients}"
          f" ({load_average()}):")
    for label, call in calls.items():
        print((await run_load(label, call, clients=args.clients, requests=20_000, seconds=args.seconds)).line(),
              flush=True)
    print(f"\nreads arriving at a fixed rate (open loop, {load_average()}):")
    for label, rate in (("solution rollout", 400), ("Land overview", 100), ("matrix (all 600 × 16)", 100)):
        print((await run_open_loop(label, calls[label], rate=rate, seconds=args.seconds)).line(), flush=True)


async def _writes(args: argparse.Namespace) -> None:
    async with db.connection() as conn:
        candidates = await _candidates(conn, 2_000)
    print("\nwrites (the refresh inside the adoption's transaction):")
    for stats in await measure_writes(candidates, args.clients):
        print(stats.line(), flush=True)
    print(f"\nmixed, {args.clients} concurrent readers and one writer:")
    for interval, part in ((1.0, candidates[300:800]), (0.1, candidates[800:])):
        print((await measure_mixed(part, args.clients, args.seconds, interval)).line(), flush=True)
    async with db.connection() as conn:
        touched = await conn.fetch("SELECT id, solution, area FROM adoption WHERE live_since = current_date")
    print(await check_exact(touched), flush=True)


async def _bench(pg: harness.Database, settings: Settings, args: argparse.Namespace) -> None:
    async with harness.connected(pg.dsn, settings):
        await dataset.load(args.solutions, args.adoptions)
        async with db.connection() as conn:
            keys = await Keys.load(conn)
        await _reads(keys, args)
        await _writes(args)
        print(f"\nHTTP: uvicorn (1 worker) in a subprocess on 127.0.0.1, httpx client, {args.clients} connections"
              f" ({load_average()}):")
        for stats in await measure_http(pg.dsn, keys, args.clients, args.seconds, pg.tmp):
            print(stats.line(), flush=True)
        print(load_average())


def main(argv: list[str] | None = None) -> int:
    args = harness.arguments(__doc__, solutions=600, adoptions=1_000_000, clients=16, seconds=10.0).parse_args(argv)
    if harness.missing(harness.GV100AD):
        return 0
    dataset.run("rollout", _bench, args, pool_max_size=args.clients)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
