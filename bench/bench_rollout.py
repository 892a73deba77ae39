"""Benchmark of the rollout figures at issue-4 scale, on its own embedded PostgreSQL (not a test).

    python -m bench.bench_rollout [--adoptions N] [--solutions N] [--clients N] [--seconds S]

Loads the real GV100AD (all 10,751 Gemeinden; exits 0 with a message when ../shared/data is
absent), 600 solutions linked to 100 OZG-Leistungen, and 1,000,000 adoptions by COPY, then
``rebuild_all``. Measures, with ``--clients`` concurrent tasks on loopback, p50/p95/p99 and
requests per second of the rollout reads through the core service functions and through HTTP
(uvicorn serving the real app in a subprocess on 127.0.0.1, httpx as the client), the latency of
an adoption write with its refresh, and checks that the stored figures equal a live recompute.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import socket
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from efa_registry import db
from efa_registry.areas.gv100ad_import import import_gv100ad
from efa_registry.db import embedded, migrate
from efa_registry.log import configure_logging
from efa_registry.rollout import repository, service
from efa_registry.rollout.model import MatrixFilter
from efa_registry.seeding.reference import seed_laender, seed_themenfelder
from efa_registry.settings import Settings
from seed import SEED_DIR

REPO = Path(__file__).resolve().parent.parent
GV100AD = REPO.parent / "shared" / "data" / "gv100ad" / "GV100AD_30112025.txt"
STATUSES = ["live"] * 45 + ["onboarding"] * 12 + ["agreed"] * 13 + ["interested"] * 18 + ["paused"] * 6 + [
    "withdrawn"] * 6
PAUSED_FROM = ["interested", "agreed", "onboarding", "live"]
FIRST_LIVE, LAST_LIVE = dt.date(2020, 1, 1), dt.date(2026, 10, 31)


# --------------------------------------------------------------------------- data set


def _level(index: int) -> str:
    """5 % Land-level, 15 % Kreis-level, the rest Gemeinde-level solutions."""
    return "land" if index % 20 == 0 else "kreis" if index % 20 in (1, 2, 3) else "gemeinde"


def _water_fill(budget: int, weights: list[float], cap: int) -> list[int]:
    """Split ``budget`` by ``weights`` with no share above ``cap`` (popular solutions saturate)."""
    counts, open_ = [0] * len(weights), set(range(len(weights)))
    while budget > 0 and open_:
        total = sum(weights[i] for i in open_)
        given = 0
        for i in sorted(open_):
            add = min(cap - counts[i], max(1, round(budget * weights[i] / total)))
            counts[i] += add
            given += add
            if counts[i] >= cap:
                open_.discard(i)
        budget -= given
    return counts


def _adoption(rng: random.Random, solution: uuid.UUID, area: str, number: int) -> tuple[object, ...]:
    status = rng.choice(STATUSES)
    paused_from = rng.choice(PAUSED_FROM) if status == "paused" else None
    live_since = None
    if status == "live" or paused_from == "live":
        live_since = FIRST_LIVE + dt.timedelta(days=rng.randrange((LAST_LIVE - FIRST_LIVE).days))
    # Ascending ids: the primary key index grows at its end, which keeps the COPY fast.
    return (uuid.UUID(int=(0xB0 << 120) | number), solution, area, status, paused_from, live_since)


async def _areas(conn) -> dict[str, list[str]]:
    rows = await conn.fetch("SELECT ars, level FROM area WHERE current AND level IN"
                            " ('land', 'kreis', 'gemeindeverband', 'gemeinde') ORDER BY ars")
    by_level: dict[str, list[str]] = {}
    for r in rows:
        by_level.setdefault(r["level"], []).append(r["ars"])
    return by_level


def _areas_for(rng: random.Random, level: str, n: int, areas: dict[str, list[str]]) -> list[str]:
    """``n`` distinct adopting areas: Gemeinde-level solutions are adopted mostly by Gemeinden,
    some by Verbandsgemeinden and Kreise, rarely Land-wide."""
    if level == "land":
        return rng.sample(areas["land"], min(n, len(areas["land"])))
    if level == "kreis":
        return rng.sample(areas["kreis"], min(n, len(areas["kreis"]))) + rng.sample(areas["land"], 1)
    lands = rng.sample(areas["land"], 1 if n > 3000 else 0)
    kreise = rng.sample(areas["kreis"], n // 100)
    verbaende = rng.sample(areas["gemeindeverband"], n // 50)
    gemeinden = rng.sample(areas["gemeinde"], max(0, n - len(lands) - len(kreise) - len(verbaende)))
    return lands + kreise + verbaende + gemeinden


async def build_dataset(conn, rng: random.Random, *, solutions: int, adoptions: int, ozg: int = 100) -> int:
    await seed_laender(conn, SEED_DIR)
    await seed_themenfelder(conn, SEED_DIR)
    themen = [r[0] for r in await conn.fetch("SELECT key FROM themenfeld ORDER BY position")]
    execution = [None] * 6 + ["gemeinde", "gemeinde", "kreis", "land"]
    await conn.executemany(
        "INSERT INTO ozg_leistung (ozg_id, name, themenfeld, execution_level) VALUES ($1, $2, $3, $4)",
        [(str(10000 + i), f"Leistung {i}", themen[i % len(themen)], execution[i % 10]) for i in range(ozg)])
    org = uuid.uuid4()
    await conn.execute("INSERT INTO organisation (id, slug, kind, name) VALUES ($1, 'bench', 'land', 'Bench')", org)
    status = ["available"] * 14 + ["pilot"] * 3 + ["in_development", "planned", "retired"]
    rows = [(uuid.uuid4(), f"loesung-{i:03d}", f"Lösung {i:03d}", org, status[i % 20], _level(i))
            for i in range(solutions)]
    await conn.executemany("INSERT INTO solution (id, slug, name, provider, status, rollout_level)"
                           " VALUES ($1, $2, $3, $4, $5, $6)", rows)
    links = {(r[0], str(10000 + i % ozg)) for i, r in enumerate(rows)}
    links |= {(r[0], str(10000 + (i * 7 + 3) % ozg)) for i, r in enumerate(rows) if i % 3 == 0}
    await conn.executemany("INSERT INTO solution_ozg_leistung (solution, ozg_leistung) VALUES ($1, $2)", list(links))
    areas = await _areas(conn)
    sizes = {r[0]: rng.randint(16, 400) if r[5] == "kreis" else rng.randint(4, 16) for r in rows if r[5] != "gemeinde"}
    kreis_level = sum(1 for r in rows if r[5] == "kreis")  # each also has one Land-wide adoption
    gemeinde_rows = [r[0] for r in rows if r[5] == "gemeinde"]
    weights = [1 / (i + 1) ** 0.6 for i in range(len(gemeinde_rows))]
    budget = adoptions - sum(sizes.values()) - kreis_level
    sizes |= dict(zip(gemeinde_rows, _water_fill(budget, weights, 10_000), strict=True))
    pairs = sorted((r[0], area) for r in rows for area in _areas_for(rng, r[5], sizes[r[0]], areas))
    records = [_adoption(rng, solution, area, number) for number, (solution, area) in enumerate(pairs)]
    # The keys are drawn from the tables just written: skip the per-row foreign-key triggers.
    await conn.execute("SET LOCAL session_replication_role = replica")
    await conn.copy_records_to_table("adoption", records=records, timeout=900,
                                     columns=["id", "solution", "area", "status", "paused_from", "live_since"])
    await conn.execute("SET LOCAL session_replication_role = DEFAULT")
    return len(records)


# --------------------------------------------------------------------------- load generation


class Stats:
    def __init__(self, label: str, latencies: list[float], seconds: float) -> None:
        self.label, self.latencies, self.seconds = label, sorted(latencies), seconds

    def percentile(self, p: float) -> float:
        return self.latencies[min(len(self.latencies) - 1, int(p / 100 * len(self.latencies)))] * 1000

    def line(self) -> str:
        if not self.latencies:
            return f"{self.label:<44} no requests"
        return (f"{self.label:<44} p50 {self.percentile(50):7.1f}  p95 {self.percentile(95):7.1f}"
                f"  p99 {self.percentile(99):7.1f} ms  {len(self.latencies) / self.seconds:7.0f} req/s"
                f"  (n={len(self.latencies)})")


async def run_load(label: str, call: Callable[[random.Random], Awaitable[object]], *, clients: int,
                   requests: int, seconds: float, warmup: int = 3) -> Stats:
    """``clients`` tasks calling ``call`` until ``requests`` are done or ``seconds`` have passed."""
    for i in range(warmup):
        await call(random.Random(-1 - i))
    latencies: list[float] = []
    issued = 0
    started = time.perf_counter()
    deadline = started + seconds

    async def client(number: int) -> None:
        nonlocal issued
        rng = random.Random(number)
        while issued < requests and time.perf_counter() < deadline:
            issued += 1
            t0 = time.perf_counter()
            await call(rng)
            latencies.append(time.perf_counter() - t0)

    await asyncio.gather(*(client(i) for i in range(clients)))
    return Stats(label, latencies, time.perf_counter() - started)


async def run_open_loop(label: str, call: Callable[[random.Random], Awaitable[object]], *, rate: float,
                        seconds: float) -> Stats:
    """Requests arriving at ``rate`` per second (Poisson), however many are in flight: latency is
    measured from the arrival, so it includes any queueing, as a user would see it."""
    rng, latencies, tasks = random.Random(7), [], []
    started = time.perf_counter()
    arrival = started

    async def one(at: float) -> None:
        await call(rng)
        latencies.append(time.perf_counter() - at)

    while arrival < started + seconds:
        arrival += rng.expovariate(rate)
        await asyncio.sleep(max(0.0, arrival - time.perf_counter()))
        tasks.append(asyncio.create_task(one(arrival)))
    await asyncio.gather(*tasks)
    return Stats(f"{label} at {rate:g}/s", latencies, time.perf_counter() - started)


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


def core_calls(keys: Keys) -> dict[str, Callable[[random.Random], Awaitable[object]]]:
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


def http_calls(client: httpx.AsyncClient, keys: Keys) -> dict[str, Callable[[random.Random], Awaitable[object]]]:
    async def get(url: str) -> None:
        response = await client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code} {response.text[:200]}")

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


def http_app():
    """uvicorn factory (``--factory``): the real app."""
    from api.app import create_app

    settings = Settings.from_env()
    configure_logging(settings)
    return create_app(settings, dsn=settings.database_url)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def measure_http(dsn: str, keys: Keys, clients: int, seconds: float) -> list[Stats]:
    port = _free_port()
    env = {**os.environ, "EFA_DATABASE_URL": dsn, "EFA_LOG_LEVEL": "warning", "EFA_POOL_MIN_SIZE": "4",
           "EFA_POOL_MAX_SIZE": str(clients)}
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "uvicorn", "bench.bench_rollout:http_app", "--factory", "--host", "127.0.0.1",
        "--port", str(port), "--log-level", "warning", "--no-access-log", cwd=REPO, env=env)
    try:
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60) as client:
            await _wait_ready(client, server)
            calls = http_calls(client, keys)
            closed = [await run_load(label, call, clients=clients, requests=20_000, seconds=seconds)
                      for label, call in calls.items()]
            opened = [await run_open_loop(label, calls[label], rate=rate, seconds=seconds) for label, rate in (
                ("GET /v1/solutions/{key}/rollout", 25), ("GET /v1/lands/{code}/rollout", 10), ("GET /v1/rollout", 10))]
            return closed + opened
    finally:
        server.terminate()
        await server.wait()


async def _wait_ready(client: httpx.AsyncClient, server: asyncio.subprocess.Process) -> None:
    for _ in range(300):
        if server.returncode is not None:
            raise RuntimeError("the uvicorn server exited")
        try:
            if (await client.get("/health")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("the uvicorn server did not come up")


# --------------------------------------------------------------------------- main


def _step(label: str, started: float) -> None:
    print(f"{label:<44} {time.perf_counter() - started:7.1f} s", flush=True)


def _load() -> str:
    """The machine's load average: other processes on the same cores skew every figure."""
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


async def _prepare(args: argparse.Namespace) -> Keys:
    started = time.perf_counter()
    await migrate.migrate()
    await import_gv100ad(GV100AD)
    _step("GV100AD import + migrations", started)
    started = time.perf_counter()
    async with db.transaction() as conn:
        count = await build_dataset(conn, random.Random(4), solutions=args.solutions, adoptions=args.adoptions)
    async with db.connection() as conn:
        await conn.execute("VACUUM ANALYZE")
    _step(f"{count:,} adoptions generated + COPY + ANALYZE", started)
    started = time.perf_counter()
    async with db.transaction() as conn:
        await service.rebuild_all(conn)
    async with db.connection() as conn:
        await conn.execute("VACUUM ANALYZE")
        keys = await Keys.load(conn)
        summary = await conn.fetchrow("SELECT (SELECT count(*) FROM rollout_solution_land) AS s,"
                                      " (SELECT count(*) FROM rollout_ozg_land) AS o")
    _step(f"rebuild_all ({summary['s']} solution × Land, {summary['o']} OZG × Land rows)", started)
    return keys


async def _bench(dsn: str, settings: Settings, args: argparse.Namespace) -> None:
    await db.connect(dsn, settings)
    try:
        keys = await _prepare(args)
        print(f"\nservice time: one request at a time through the core service functions ({_load()}):")
        for label, call in core_calls(keys).items():
            print((await run_load(label, call, clients=1, requests=500, seconds=min(3.0, args.seconds))).line(),
                  flush=True)
        print(f"\nreads through the core service functions, {args.clients} concurrent tasks, pool of {args.clients}"
              f" ({_load()}):")
        for label, call in core_calls(keys).items():
            print((await run_load(label, call, clients=args.clients, requests=20_000, seconds=args.seconds)).line(),
                  flush=True)
        print(f"\nreads arriving at a fixed rate (open loop, {_load()}):")
        calls = core_calls(keys)
        for label, rate in (("solution rollout", 400), ("Land overview", 100), ("matrix (all 600 × 16)", 100)):
            print((await run_open_loop(label, calls[label], rate=rate, seconds=args.seconds)).line(), flush=True)
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
        print(f"\nHTTP: uvicorn (1 worker) in a subprocess on 127.0.0.1, httpx client, {args.clients} connections"
              f" ({_load()}):")
        for stats in await measure_http(dsn, keys, args.clients, args.seconds):
            print(stats.line(), flush=True)
        print(_load())
    finally:
        await db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solutions", type=int, default=600)
    parser.add_argument("--adoptions", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=16, help="concurrent tasks / connections")
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per measurement")
    args = parser.parse_args(argv)
    if not GV100AD.exists():
        print(f"GV100AD file not found at {GV100AD}: the rollout benchmark needs the real municipality")
        print("directory. Put the reference data in ../shared/data beside the checkout.")
        return 0
    settings = Settings.from_env({}, pool_min_size=2, pool_max_size=args.clients, log_level="warning")
    configure_logging(settings)
    print(f"rollout benchmark: {args.solutions} solutions, {args.adoptions:,} adoptions, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="efa-bench-rollout-") as tmp:
        server = embedded.EmbeddedPostgres(tmp, database="efa_bench")
        dsn = server.start()
        try:
            asyncio.run(_bench(dsn, settings, args))
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
