"""Benchmark of adoption writes with exact rollout summaries, against bare SQL (not a test).

    python -m bench.bench_writes [--adoptions N] [--clients N] [--seconds S] [--http]

Loads the real GV100AD (exits 0 with a message when ../shared/data is absent), 600 solutions and
``--adoptions`` (1,000,000) adoptions by COPY (``bench.dataset``), then
``rebuild_all``. With ``--clients`` (8) concurrent tasks it measures, each for ``--seconds``:

* creates: ``adoptions.service.subscribe`` (the whole use case: checks, insert, transition,
  rollout deltas, event) of a Gemeinde not yet adopting the solution;
* lifecycle steps: ``adoptions.service.change`` of ``interested → agreed`` (counts only) and of
  ``onboarding → live`` (the unit's coverage moves in the solution's and OZG-Leistungen' cells);
* the peers: a bare asyncpg ``INSERT`` and ``UPDATE`` of one row in a copy of the adoption table
  (no checks, no event, no summary), one statement in its own transaction each.

``--http`` adds the same writes over HTTP (``POST /v1/solutions/{key}/adoptions``, ``PATCH
/v1/adoptions/{id}``) against ``uvicorn api.asgi:app --workers 2`` with a curator token. At the end
every stored summary row is compared with what ``rebuild_all`` computes from scratch.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import time
import uuid
from pathlib import Path

from bench import dataset, harness
from bench.common import WRK_SCRIPT, Server
from efa_registry import db
from efa_registry.access.model import Actor, NewToken
from efa_registry.access.tokens import create_token
from efa_registry.adoptions import service as adoptions
from efa_registry.adoptions.model import AdoptionPatch, Subscribe
from efa_registry.rollout import service as rollout
from efa_registry.settings import Settings

ACTOR = Actor(label="bench:curator", role="curator")


def _line(label: str, latencies: list[float], seconds: float) -> str:
    latencies = sorted(latencies)
    if not latencies:
        return f"{label:<52} no writes"

    def q(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return (f"{label:<52} {len(latencies) / seconds:7.0f} /s  p50 {q(50):6.1f}  p99 {q(99):6.1f} ms"
            f"  (n={len(latencies)})")


async def _closed_loop(label: str, jobs: list, call, clients: int, seconds: float) -> tuple[str, float]:
    """``clients`` tasks taking jobs from ``jobs`` until they run out or ``seconds`` pass."""
    queue, latencies = iter(jobs), []
    started = time.perf_counter()
    deadline = started + seconds

    async def client() -> None:
        for job in queue:
            if time.perf_counter() > deadline:
                return
            t0 = time.perf_counter()
            await call(job)
            latencies.append(time.perf_counter() - t0)

    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    return _line(label, latencies, elapsed), len(latencies) / elapsed


async def _jobs(conn, n: int, rng: random.Random) -> dict[str, list]:
    """Gemeinden not yet adopting a Gemeinde-level solution, interested and onboarding adoptions."""
    solutions = [r["slug"] for r in await conn.fetch(
        "SELECT slug FROM solution WHERE rollout_level = 'gemeinde' AND status <> 'retired' ORDER BY slug")]
    gemeinden = [r[0] for r in await conn.fetch("SELECT ars FROM area WHERE level = 'gemeinde' AND current")]
    pairs = {(rng.choice(solutions), rng.choice(gemeinden)) for _ in range(n * 3)}
    taken = {(r[0], r[1]) for r in await conn.fetch(
        "SELECT s.slug, a.area FROM adoption a JOIN solution s ON s.id = a.solution"
        " WHERE a.area = ANY($1::text[])", list({g for _, g in pairs}))}
    creates = [p for p in pairs if p not in taken][:n]
    rng.shuffle(creates)

    async def ids(status: str) -> list[uuid.UUID]:
        return [r[0] for r in await conn.fetch(f"SELECT id FROM adoption WHERE status = '{status}'"
                                               " ORDER BY md5(id::text) LIMIT $1", n)]

    return {"creates": creates, "interested": await ids("interested"), "onboarding": await ids("onboarding")}


async def _core(jobs: dict[str, list], clients: int, seconds: float) -> list[tuple[str, float]]:
    async def create(pair) -> None:
        await adoptions.subscribe(pair[0], Subscribe(ars=pair[1]), actor=ACTOR)

    def step(target: str):
        async def call(adoption_id) -> None:
            await adoptions.change(adoption_id, AdoptionPatch(status=target), expected_version=frozenset({1}),
                                   actor=ACTOR)
        return call

    half = len(jobs["creates"]) // 2
    return [await _closed_loop("core: subscribe (create)", jobs["creates"][:half], create, clients, seconds),
            await _closed_loop("core: step interested → agreed", jobs["interested"][: len(jobs["interested"]) // 2],
                               step("agreed"), clients, seconds),
            await _closed_loop("core: step onboarding → live (coverage moves)",
                               jobs["onboarding"][: len(jobs["onboarding"]) // 2], step("live"), clients, seconds)]


async def _peers(clients: int, seconds: float) -> list[tuple[str, float]]:
    """The same table shape written with nothing around it."""
    async with db.connection() as conn:
        await conn.execute("DROP TABLE IF EXISTS adoption_peer;"
                           " CREATE TABLE adoption_peer (LIKE adoption INCLUDING DEFAULTS INCLUDING INDEXES)")
        area = await conn.fetchval("SELECT area FROM adoption LIMIT 1")
    ids = [uuid.uuid4() for _ in range(200_000)]

    async def insert(adoption_id) -> None:
        async with db.connection() as conn:
            # Its own solution id per row: the copied unique index on (solution, area) never collides.
            await conn.execute("INSERT INTO adoption_peer (id, solution, area, status)"
                               " VALUES ($1, $1, $2, 'interested')", adoption_id, area)

    async def update(adoption_id) -> None:
        async with db.connection() as conn:
            await conn.execute("UPDATE adoption_peer SET status = 'agreed', version = version + 1, updated_at = now()"
                               " WHERE id = $1", adoption_id)

    first = await _closed_loop("peer: bare asyncpg INSERT", ids, insert, clients, seconds)
    async with db.connection() as conn:
        written = [r[0] for r in await conn.fetch("SELECT id FROM adoption_peer ORDER BY md5(id::text)")]
    return [first, await _closed_loop("peer: bare asyncpg UPDATE", written, update, clients, seconds)]


# ------------------------------------------------------------------------------------------ HTTP

# wrk: each request is the next line of the jobs file ("METHOD path body"); stops when they run out.
WRK_WRITES = """
local jobs, i, limit, seen = {}, 0, 0, 0
local token = os.getenv("BENCH_TOKEN")
function init(args)
  for line in io.lines(args[1]) do jobs[#jobs + 1] = line end
  limit = #jobs
end
function request()
  i = i + 1
  local method, path, body = jobs[math.min(i, #jobs)]:match("^(%S+) (%S+) (.*)$")
  return wrk.format(method, path, {["Content-Type"] = "application/json", ["If-Match"] = "*",
                                            ["Authorization"] = "Bearer " .. token},
                    body)
end
""" + WRK_SCRIPT.split("function init(args) limit = tonumber(args[1]) or 0 end")[1].replace(
    "local limit, seen = 0, 0", "")


def _http(dsn: str, token: str, jobs: dict[str, list], clients: int, seconds: float, tmp: Path) -> list[str]:
    """The second halves of the jobs over HTTP, against ``uvicorn api.asgi:app --workers 2``."""
    env = {**os.environ, "EFA_DATABASE_URL": dsn, "EFA_LOG_LEVEL": "warning", "EFA_POOL_MAX_SIZE": str(clients),
           "BENCH_TOKEN": token}
    script = tmp / "writes.lua"
    script.write_text(WRK_WRITES)
    server = Server("api", ["api.asgi:app"], env, tmp, workers=2)
    try:
        server.wait_ready("/ready")
        out = []
        for label, lines in _http_jobs(jobs):
            path = tmp / "jobs.txt"
            path.write_text("\n".join(lines) + "\n")
            result = load_wrk(server.base + "/", script, path, clients, seconds, env)
            rate = result["requests"] / result["seconds"]
            out.append(f"{label:<52} {rate:7.0f} /s  p50 {result['quantiles'][499]:6.1f}  p99"
                       f" {result['quantiles'][989]:6.1f} ms  (n={result['requests']}, errors {result['errors']})")
        return out
    finally:
        server.stop()


def _http_jobs(jobs: dict[str, list]) -> list[tuple[str, list[str]]]:
    """(label, wrk job lines) of the HTTP writes: the halves of the jobs the core did not take."""
    def rest(key: str) -> list:
        return jobs[key][len(jobs[key]) // 2:]

    return [("HTTP: POST adoption (create)", [f'POST /v1/solutions/{s}/adoptions {{"ars": "{a}"}}'
                                              for s, a in rest("creates")]),
            ("HTTP: PATCH interested → agreed", [f'PATCH /v1/adoptions/{i} {{"status": "agreed"}}'
                                                 for i in rest("interested")]),
            ("HTTP: PATCH onboarding → live", [f'PATCH /v1/adoptions/{i} {{"status": "live"}}'
                                               for i in rest("onboarding")])]


def load_wrk(url: str, script: Path, jobs: Path, connections: int, seconds: float, env: dict) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s",
               str(script), url, "--", str(jobs)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True, env=env).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("RESULT ")).removeprefix("RESULT "))


# ------------------------------------------------------------------------------------------ main


async def _exact() -> str:
    """Every stored summary row against ``rebuild_all`` from scratch (rolled back)."""
    columns = ("eligible_units, covered_units, covered_population, interested, agreed, onboarding, live, paused,"
               " withdrawn, first_go_live, latest_go_live, rollout_level")
    queries = (f"SELECT solution::text, land, {columns} FROM rollout_solution_land ORDER BY 1, 2",
               f"SELECT ozg_leistung, land, {columns} FROM rollout_ozg_land ORDER BY 1, 2")
    async with db.connection() as conn:
        stored = [await conn.fetch(q) for q in queries]
        tx = conn.transaction()
        await tx.start()
        try:
            await rollout.rebuild_all(conn)
            rebuilt = [await conn.fetch(q) for q in queries]
        finally:
            await tx.rollback()
    wrong = sum(a != b for s, r in zip(stored, rebuilt, strict=True) for a, b in zip(s, r, strict=True))
    rows = sum(len(s) for s in stored)
    return (f"exactness: {rows:,} summary rows compared with rebuild_all:"
            f" {'all equal' if not wrong and len(stored[0]) == len(rebuilt[0]) else f'{wrong} DIFFER'}")


async def _bench(pg: harness.Database, settings: Settings, args: argparse.Namespace) -> None:
    async with harness.connected(pg.dsn, settings):
        started = time.perf_counter()
        count = await dataset.load(600, args.adoptions)
        async with db.connection() as conn:
            jobs = await _jobs(conn, 40_000, random.Random(9))
        print(f"{count:,} adoptions loaded and summarised in {time.perf_counter() - started:.0f} s;"
              f" {args.clients} concurrent clients, {args.seconds:g} s each; load average {os.getloadavg()[0]:.1f}",
              flush=True)
        results = [*await _core(jobs, args.clients, args.seconds), *await _peers(args.clients, args.seconds)]
        print("\n".join(line for line, _ in results), flush=True)
        rates = dict(zip(("create", "agree", "live", "insert", "update"), (r for _, r in results), strict=True))
        print(f"ratios: create ÷ bare INSERT {rates['create'] / rates['insert']:.3f},"
              f" step ÷ bare UPDATE {rates['agree'] / rates['update']:.3f} (agree),"
              f" {rates['live'] / rates['update']:.3f} (go live)", flush=True)
        if args.http:
            _, secret = await create_token(NewToken(role="curator", name="bench"), actor=ACTOR)
            print("\n".join(_http(pg.dsn, secret, jobs, args.clients, args.seconds, pg.tmp)), flush=True)
        print(await _exact(), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = harness.arguments(__doc__, adoptions=1_000_000, clients=8, seconds=10.0)
    parser.add_argument("--http", action="store_true", help="also over HTTP (uvicorn, 2 workers; needs wrk)")
    args = parser.parse_args(argv)
    if harness.missing(harness.GV100AD):
        return 0
    settings = harness.settings(pool_min_size=2, pool_max_size=args.clients + 2)
    with harness.database("efa-bench-writes-") as pg:
        asyncio.run(_bench(pg, settings, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
