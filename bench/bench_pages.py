"""Server-side render time of the web pages at full scale, on its own embedded PostgreSQL (not a test).

    python -m bench.bench_pages [--adoptions N] [--solutions N] [--requests N]

Loads the real GV100AD (all 10,751 Gemeinden; exits 0 with a message when ../shared/data is
absent), then the rollout benchmark's data set (``bench.dataset``: 600 solutions on 100
OZG-Leistungen, 1,000,000 adoptions by COPY) plus interfaces and search documents for the
catalogue, and ``rebuild_all``. Each page is requested ``--requests`` times
one after another through the real app in-process (httpx ASGITransport: no network, so the time
is the server's: routing, core calls, SQL, template rendering, ETag hashing); p50/p95/p99 in ms.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import time
import uuid
from collections.abc import Iterable

import httpx

from api.app import create_app
from bench import dataset, harness
from bench.latency import Stats
from efa_registry import db
from efa_registry.access import tokens
from efa_registry.access.model import Actor
from efa_registry.db import migrate
from efa_registry.search import indexing, lexicon
from efa_registry.settings import Settings

BUDGET_MS = 100.0
STANDARDS = [("xoev", "XBau", "2.3"), ("xoev", "XMeld", "3.3"), ("xoev", "XPersonenstand", "1.9"),
             ("fit_connect", None, None), ("rest", None, None), ("osci_xta", None, None)]


async def _curator_token(keys: dict[str, str]) -> dict[str, str]:
    _, keys["token"] = await tokens.create_token(tokens.NewToken(role="curator", name="Bench"),
                                                 actor=Actor.system("bench"))
    return keys


async def _catalogue(conn) -> None:
    """What the catalogue pages need beyond the rollout's data set: interfaces, summaries, and the
    search documents the write path builds (German full-text over names, summaries, OZG, compounds split)."""
    rng = random.Random(6)
    ids = [r[0] for r in await conn.fetch("SELECT id FROM solution ORDER BY slug")]
    await conn.executemany(
        "INSERT INTO interface (id, solution, kind, standard, standard_version, status) VALUES ($1, $2, $3, $4, $5,"
        " 'active')", [(uuid.uuid4(), s, *rng.choice(STANDARDS)) for s in ids for _ in range(rng.randint(0, 3))])
    await conn.execute("UPDATE solution SET summary = 'Onlinedienst ' || name || ' für Bürgerinnen und Bürger'")
    await indexing.refresh_solutions(conn, ids, await lexicon.catalogue(conn))


async def prepare(args: argparse.Namespace) -> dict[str, str]:
    await migrate.migrate()
    async with db.connection() as conn:
        if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM solution)"):
            print("reusing the data set kept by --keep", flush=True)
            return await _curator_token(await _keys(conn))
    await dataset.load(args.solutions, args.adoptions, extra=_catalogue)
    async with db.connection() as conn:
        return await _curator_token(await _keys(conn))


async def _keys(conn) -> dict[str, str]:
    """The heaviest cases: the most adopted solution, the Gemeinde with most adoptions, the largest Land."""
    popular = await conn.fetchrow("SELECT s.slug, s.id FROM solution s JOIN adoption a ON a.solution = s.id"
                                  " WHERE s.rollout_level = 'gemeinde' GROUP BY s.slug, s.id ORDER BY count(*) DESC"
                                  " LIMIT 1")
    gemeinde = await conn.fetchval("SELECT a.area FROM adoption a JOIN area ar ON ar.ars = a.area"
                                   " WHERE ar.level = 'gemeinde' GROUP BY a.area ORDER BY count(*) DESC LIMIT 1")
    ozg_id = await conn.fetchval("SELECT ozg_leistung FROM solution_ozg_leistung GROUP BY 1 ORDER BY count(*) DESC"
                                 " LIMIT 1")
    themenfeld = await conn.fetchval("SELECT o.themenfeld FROM solution_ozg_leistung so JOIN ozg_leistung o"
                                     " ON o.ozg_id = so.ozg_leistung GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    return {"slug": popular["slug"], "gemeinde": gemeinde, "ozg": ozg_id, "themenfeld": themenfeld}


def pages(keys: dict[str, str]) -> dict[str, str]:
    slug = keys["slug"]
    return {
        "Katalog /": "/",
        "Katalog ?q=&themenfeld=&status=": f"/?q=Onlinedienst&themenfeld={keys['themenfeld']}&status=available",
        "Lösung /loesungen/{meistgenutzte}": f"/loesungen/{slug}",
        "Rollout /rollout (Vorgabe)": "/rollout",
        "Rollout ?loesung= (Karte + Zeitverlauf)": f"/rollout?loesung={slug}",
        "Rollout ?ozg=": f"/rollout?ozg={keys['ozg']}",
        "Rollout ?themenfeld=": f"/rollout?themenfeld={keys['themenfeld']}",
        "Land /laender/09 (Bayern)": "/laender/09",
        "Land /laender/05 (NRW)": "/laender/05",
        "Land /laender/09?alle=1 (jede Zeile)": "/laender/09?alle=1",
        "Gebiet /gebiete/{Gemeinde}": f"/gebiete/{keys['gemeinde']}",
        "Kuratierung /kuratierung": "/kuratierung",
        "Kuratierung Lösung bearbeiten": f"/kuratierung/loesungen/{slug}",
        "Kuratierung Nachnutzungen": f"/kuratierung/loesungen/{slug}/nachnutzungen",
    }


async def sign_in(client: httpx.AsyncClient, token: str) -> None:
    form = await client.get("/kuratierung")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    response = await client.post("/kuratierung/anmelden", data={"token": token, "csrf_token": csrf})
    if response.status_code != 303:
        raise RuntimeError(f"sign-in failed: {response.status_code}")


async def measure(client: httpx.AsyncClient, label: str, url: str, requests: int) -> tuple[Stats, float, int]:
    """Wall-clock latencies, the median CPU time the app's process spent per request (robust
    against other load on the machine, PostgreSQL's own CPU not included) and the page size."""
    for _ in range(3):  # warm-up: template compilation, prepared statements, caches
        await client.get(url)
    latencies, cpu = [], []
    started = time.perf_counter()
    for _ in range(requests):
        t0, c0 = time.perf_counter(), time.process_time()
        response = await client.get(url)
        latencies.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code}")
    return Stats(label, latencies, time.perf_counter() - started), statistics.median(cpu) * 1000, len(response.content)


def report(results: Iterable[tuple[Stats, float, int]]) -> int:
    slow = 0
    # Other processes on the machine show up as latency: print the load the numbers were taken under.
    print(f"\nload average (1, 5, 15 min) after the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'page':<44} {'p50':>7} {'p95':>7} {'p99':>7} {'app CPU':>8}  ms {'size':>8}   budget {BUDGET_MS:.0f} ms")
    for stats, cpu, size in results:
        p95 = stats.percentile(95)
        slow += p95 > BUDGET_MS
        print(f"{stats.label:<44} {stats.percentile(50):7.1f} {p95:7.1f} {stats.percentile(99):7.1f} {cpu:8.1f}"
              f"    {size / 1024:6.0f} KB  {'p95 OVER' if p95 > BUDGET_MS else 'ok'}", flush=True)
    return slow


async def bench(pg: harness.Database, settings: Settings, args: argparse.Namespace) -> int:
    async with harness.connected(pg.dsn, settings):
        keys = await prepare(args)
        transport = httpx.ASGITransport(app=create_app(settings))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench.test") as client:
            public = [await measure(client, label, url, args.requests)
                      for label, url in pages(keys).items() if not label.startswith("Kuratierung")]
            await sign_in(client, keys["token"])
            curation = [await measure(client, label, url, args.requests)
                        for label, url in pages(keys).items() if label.startswith("Kuratierung")]
        return report([*public, *curation])


def main(argv: list[str] | None = None) -> int:
    parser = harness.arguments(__doc__, solutions=600, adoptions=1_000_000)
    parser.add_argument("--requests", type=int, default=50, help="requests per page (sequential)")
    parser.add_argument("--keep", metavar="DIR", help="keep the database in DIR and reuse it on the next run")
    args = parser.parse_args(argv)
    if harness.missing(harness.GV100AD):
        return 0
    slow = dataset.run("page", bench, args, pool_max_size=8, keep=args.keep)
    print("every page within budget" if not slow else f"{slow} page(s) over budget")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
