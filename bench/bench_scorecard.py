"""Benchmark of scorecards, comparisons and not-yet-docked lists at issue-15 scale (not a test).

    python -m bench.bench_scorecard [--adoptions N] [--solutions N] [--clients N] [--seconds S] [--no-http]

On its own embedded PostgreSQL: the shipped GV100AD (all 10,751 Gemeinden), the rollout benchmark's
data set (``bench.dataset.build_dataset``: 600 solutions on 100 OZG-Leistungen, 1,000,000
adoptions by COPY), with Reifegrade of both models on the solutions. Measures p50/p95/p99 and
requests per second of each read through the core functions (one at a time, then ``--clients``
concurrent tasks) and through HTTP (uvicorn serving the real app in a subprocess on 127.0.0.1,
httpx as the client), and checks on a sample that missing + covered = eligible = the rollout.

The comparisons cover the sizes of peer group that occur: kreisfreie Städte (a dozen peers),
kreisangehörige Gemeinden (up to a few hundred peers), the Landkreise of Bayern (the largest
Kreise to count from inside), and ten areas at once.
"""

from __future__ import annotations

import argparse
import gzip
import random
from collections.abc import Awaitable
from pathlib import Path

import httpx

from bench import dataset, harness
from bench.harness import load_average
from bench.latency import Call, Stats, app_client, checked_get, run_load
from efa_registry import db
from efa_registry.rollout import service as rollout
from efa_registry.scorecard import missing, service
from efa_registry.settings import Settings
from seed import SEED_DIR

GV100AD = SEED_DIR / "reference" / "GV100AD_30112025.txt.gz"


class Keys:
    """What the benchmark asks for, drawn from the loaded directory and catalogue."""

    def __init__(self, rows: dict[str, list[str]]) -> None:
        self.__dict__.update(rows)

    @classmethod
    async def load(cls, conn) -> Keys:
        queries = {
            "kreisfrei": "SELECT g.ags FROM area g JOIN area k ON k.ars = left(g.ars, 5) WHERE g.level = 'gemeinde'"
                         " AND k.textkennzeichen IN ('41', '42') ORDER BY g.ars",
            "gemeinden": "SELECT g.ags FROM area g JOIN area k ON k.ars = left(g.ars, 5) WHERE g.level = 'gemeinde'"
                         " AND k.textkennzeichen IN ('43', '44', '45') ORDER BY g.ars",
            "kreise": "SELECT ars FROM area WHERE level = 'kreis' AND textkennzeichen IN ('43', '44', '45')"
                      " ORDER BY ars",
            "bayern": "SELECT ars FROM area WHERE level = 'kreis' AND land = '09' AND textkennzeichen = '44'"
                      " ORDER BY ars",
            "solutions": "SELECT slug FROM solution WHERE rollout_level <> 'land' ORDER BY slug",
            "lands": "SELECT ars FROM area WHERE level = 'land' ORDER BY ars",
        }
        return cls({name: [r[0] for r in await conn.fetch(sql)] for name, sql in queries.items()})


def core_calls(keys: Keys) -> dict[str, Call]:
    def pair(rng: random.Random, pool: list[str]) -> list[str]:
        return rng.sample(pool, 2)

    return {
        "scorecard of a Gemeinde": lambda rng: service.scorecard(rng.choice(keys.gemeinden)),
        "scorecard of a kreisfreie Stadt": lambda rng: service.scorecard(rng.choice(keys.kreisfrei)),
        "scorecard of a Kreis": lambda rng: service.scorecard(rng.choice(keys.kreise)),
        "compare 2 kreisfreie Städte": lambda rng: service.compare(pair(rng, keys.kreisfrei)),
        "compare 2 kreisangehörige Gemeinden": lambda rng: service.compare(pair(rng, keys.gemeinden)),
        "compare 2 Landkreise in Bayern": lambda rng: service.compare(pair(rng, keys.bayern)),
        "compare 10 Gemeinden": lambda rng: service.compare(rng.sample(keys.gemeinden, 10)),
        "missing in a Land (first page)": lambda rng: missing.missing(rng.choice(keys.solutions),
                                                                      land=rng.choice(keys.lands)),
        "missing nationally (first page)": lambda rng: missing.missing(rng.choice(keys.solutions)),
        "missing in a Land as CSV": lambda rng: _drain(missing.missing_csv(rng.choice(keys.solutions),
                                                                           land=rng.choice(keys.lands))),
    }


async def _drain(pending: Awaitable[tuple[str, object]]) -> int:
    _, chunks = await pending
    return sum(len(c) for c in chunks)  # type: ignore[attr-defined]


def http_calls(client: httpx.AsyncClient, keys: Keys) -> dict[str, Call]:
    get = checked_get(client)
    return {
        "GET /health (the stack's floor)": lambda rng: get("/health"),
        "GET /v1/areas/{ags}/scorecard": lambda rng: get(f"/v1/areas/{rng.choice(keys.gemeinden)}/scorecard"),
        "GET /v1/areas/{kreis}/scorecard": lambda rng: get(f"/v1/areas/{rng.choice(keys.kreise)}/scorecard"),
        "GET /v1/areas/compare (2 kreisfreie)": lambda rng: get(
            "/v1/areas/compare?ars=" + ",".join(rng.sample(keys.kreisfrei, 2))),
        "GET /v1/areas/compare (2 Gemeinden)": lambda rng: get(
            "/v1/areas/compare?ars=" + ",".join(rng.sample(keys.gemeinden, 2))),
        "GET …/rollout/missing?land=": lambda rng: get(
            f"/v1/solutions/{rng.choice(keys.solutions)}/rollout/missing?land={rng.choice(keys.lands)}"),
        "GET …/rollout/missing.csv?land=": lambda rng: get(
            f"/v1/solutions/{rng.choice(keys.solutions)}/rollout/missing.csv?land={rng.choice(keys.lands)}"),
    }


async def measure_http(dsn: str, keys: Keys, clients: int, seconds: float, log_dir: Path) -> list[Stats]:
    async with app_client(dsn, clients, log_dir) as client:
        return [await run_load(label, call, clients=clients, requests=5_000, seconds=seconds)
                for label, call in http_calls(client, keys).items()]


async def check_agreement(keys: Keys, rng: random.Random, samples: int = 20) -> str:
    """missing + covered = eligible = the rollout's figures, for random solutions and Länder."""
    wrong = 0
    for _ in range(samples):
        slug, land = rng.choice(keys.solutions), rng.choice(keys.lands)
        figures = (await rollout.solution_rollout(slug, land=land)).lands[0].figures
        listed = await missing.missing(slug, land=land, limit=1)
        wrong += (listed.missing_units + listed.covered_units, listed.covered_units) != (
            figures.eligible_units, figures.covered_units)
    verdict = "all equal" if not wrong else f"{wrong} MISMATCHES"
    return f"agreement with the rollout: {samples} solution × Land samples, {verdict}"


async def _prepare(args: argparse.Namespace) -> Keys:
    async def reifegrade(conn) -> None:
        # Depth to count: two thirds of the solutions on model 2.0 (levels 0–7), the rest on 1.1 (0–4).
        await conn.execute("UPDATE solution SET reifegrad_model = CASE WHEN abs(hashtext(slug)) % 3 = 0 THEN '1.1'"
                           " ELSE '2.0' END, reifegrad = abs(hashtext(slug || 'r')) % CASE WHEN"
                           " abs(hashtext(slug)) % 3 = 0 THEN 5 ELSE 8 END")

    await dataset.load(args.solutions, args.adoptions, gv100ad=gzip.decompress(GV100AD.read_bytes()), rebuild=False,
                       extra=reifegrade)
    async with db.connection() as conn:
        return await Keys.load(conn)


async def _bench(pg: harness.Database, settings: Settings, args: argparse.Namespace) -> None:
    async with harness.connected(pg.dsn, settings):
        keys = await _prepare(args)
        calls = core_calls(keys)
        print(f"\nservice time: one request at a time through the core ({load_average()}):")
        for label, call in calls.items():
            print((await run_load(label, call, clients=1, requests=300, seconds=args.seconds)).line(), flush=True)
        print(f"\nthrough the core, {args.clients} concurrent tasks, pool of {args.clients} ({load_average()}):")
        for label, call in calls.items():
            print((await run_load(label, call, clients=args.clients, requests=5_000, seconds=args.seconds)).line(),
                  flush=True)
        print(await check_agreement(keys, random.Random(9)), flush=True)
        if args.http:
            print(f"\nHTTP: uvicorn (1 worker) on 127.0.0.1, httpx, {args.clients} connections ({load_average()}):")
            for stats in await measure_http(pg.dsn, keys, args.clients, args.seconds, pg.tmp):
                print(stats.line(), flush=True)
        print(load_average())


def main(argv: list[str] | None = None) -> int:
    parser = harness.arguments(__doc__, solutions=600, adoptions=1_000_000, clients=8, seconds=10.0)
    parser.add_argument("--no-http", dest="http", action="store_false", help="only the core measurements")
    args = parser.parse_args(argv)
    dataset.run("scorecard", _bench, args, pool_max_size=args.clients)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
