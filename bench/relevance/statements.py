"""The OZG search's statement beside the statement of e6269d9, on the same documents (not a test).

    python -m bench.relevance.statements [--rounds N]

Why: ``bench_relevance --before`` compares the two checkouts as each serves its own database,
and the old one's search documents hold the name alone; issue 12 put the LeiKa wording into
them (557 documents of ~0.5 KB instead of a name), which every text search then reads. This
loads the shipped catalogue once (``efa-registry seed``) into an embedded PostgreSQL and times,
one at a time and interleaved, for every query of ``ozg_queries.csv`` that both answer with as
many hits: the statement the service sends (captured off asyncpg: the generic plan of the
catalogue pool, the vocabulary check, the name-first rank, the LeiKa names for the snippet) and
the old one (``websearch_to_tsquery``, ``ts_rank`` and the same columns, planned per call as the
old pool did). PostgreSQL and the round trip only: no Python after the statement.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time

import asyncpg

from bench.bench_relevance import read
from bench.common import machine
from efa_registry import db
from efa_registry.db import embedded, migrate
from efa_registry.ozg import service
from efa_registry.ozg.model import OzgFilter
from efa_registry.seeding import seed
from efa_registry.settings import Settings
from seed import SEED_DIR

# The search statement of e6269d9 (efa_registry/ozg/repository.py), verbatim but for the names.
OLD = """
SELECT o.ozg_id, o.name, o.themenfeld, t.name AS themenfeld_name, o.execution_level,
       coalesce((SELECT array_agg(l.name ORDER BY l.name) FROM ozg_leistung_lage ol
                 JOIN lage l ON l.key = ol.lage WHERE ol.ozg_leistung = o.ozg_id), ARRAY[]::text[]) AS lagen,
       coalesce((SELECT array_agg(e.leika_key ORDER BY e.leika_key) FROM leika_entry e
                 WHERE e.ozg_leistung = o.ozg_id), ARRAY[]::text[]) AS leika_keys
       , ts_rank(o.search_vector, websearch_to_tsquery('german', $1)) AS rank
FROM ozg_leistung o JOIN themenfeld t ON t.key = o.themenfeld
WHERE o.search_vector @@ websearch_to_tsquery('german', $1) ORDER BY rank DESC, o.ozg_id::int LIMIT $2
"""
LIMIT = 50


async def captured(q: str) -> tuple[str, tuple]:
    """The last statement (and its arguments) a search for ``q`` sends, after two warm-up runs:
    read off asyncpg's ``fetch`` while the service runs (a benchmark's own instrument)."""
    statements: list[tuple[str, tuple]] = []
    fetch = asyncpg.connection.Connection.fetch

    async def recorded(self: asyncpg.Connection, query: str, *args: object, **kwargs: object) -> list:
        statements.append((query, args))
        return await fetch(self, query, *args, **kwargs)

    asyncpg.connection.Connection.fetch = recorded  # type: ignore[method-assign]
    try:
        for _ in range(3):
            await service.search_leistungen(OzgFilter(q=q), limit=LIMIT, after=None)
    finally:
        asyncpg.connection.Connection.fetch = fetch  # type: ignore[method-assign]
    return statements[-1]


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="efa-bench-statements-") as tmp:
        server = embedded.EmbeddedPostgres(tmp, database="bench")
        dsn = server.start()
        try:
            await db.connect(dsn, Settings.from_env({}, pool_min_size=1, pool_max_size=2, log_level="warning"))
            await migrate.migrate()
            await seed(SEED_DIR)
            async with db.connection() as conn:
                await conn.execute("VACUUM ANALYZE")
            old = await asyncpg.connect(dsn)
            queries = []
            for case in read("ozg_queries.csv"):
                hits = await service.search_leistungen(OzgFilter(q=case["query"]), limit=LIMIT, after=None)
                if len(hits.page.items) == len(await old.fetch(OLD, case["query"], LIMIT + 1)) and hits.page.items:
                    queries.append(case["query"])
            ours = [await captured(q) for q in queries]
            new = await asyncpg.connect(dsn, server_settings={"plan_cache_mode": "force_generic_plan"})
            times: dict[str, list[float]] = {"now": [], "e6269d9": []}
            for _ in range(rounds):
                for q, (sql, args) in zip(queries, ours, strict=True):
                    for label, conn, statement, values in (("now", new, sql, args),
                                                           ("e6269d9", old, OLD, (q, LIMIT + 1))):
                        started = time.perf_counter()
                        await conn.fetch(statement, *values)
                        times[label].append((time.perf_counter() - started) * 1000)
            print(f"OZG search statements, {len(queries)} queries both answer with as many hits, {rounds} rounds:")
            for label, values in times.items():
                print(f"  {label:<8} p50 {statistics.median(values):.3f} ms")
            print(f"  now ÷ e6269d9 (p50): {statistics.median(times['now']) / statistics.median(times['e6269d9']):.2f}")
            await asyncio.gather(old.close(), new.close())
            await db.close()
        finally:
            server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=50)
    load = os.getloadavg()[0]
    asyncio.run(main(parser.parse_args().rounds))
    print(machine(load))
