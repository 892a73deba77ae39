"""The rollout data set of issue-4 scale that several benchmarks measure on (not a test).

``load`` runs the migrations, imports the GV100AD (all 10,751 Gemeinden), writes ``build_dataset``
(600 solutions on 100 OZG-Leistungen, 1,000,000 adoptions by COPY, from a fixed random seed) and
``rebuild_all``, printing how long each step took; ``run`` is the frame of a benchmark on it.
``water_fill``, ``areas_by_level``,
``areas_for`` and ``copy_adoptions`` give other data sets (``bench.catalogue_data``) the same
popularity curve, statuses and dates.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import asyncpg

from bench import harness
from bench.harness import GV100AD, analyze, step
from efa_registry import db
from efa_registry.areas.gv100ad_import import import_gv100ad
from efa_registry.db import migrate
from efa_registry.rollout import service
from efa_registry.seeding.reference import seed_laender, seed_themenfelder
from efa_registry.settings import Settings
from seed import SEED_DIR

T = TypeVar("T")

STATUSES = ["live"] * 45 + ["onboarding"] * 12 + ["agreed"] * 13 + ["interested"] * 18 + ["paused"] * 6 + [
    "withdrawn"] * 6
PAUSED_FROM = ["interested", "agreed", "onboarding", "live"]
FIRST_LIVE, LAST_LIVE = dt.date(2020, 1, 1), dt.date(2026, 10, 31)
COLUMNS = ["id", "solution", "area", "status", "paused_from", "live_since"]


def _level(index: int) -> str:
    """5 % Land-level, 15 % Kreis-level, the rest Gemeinde-level solutions."""
    return "land" if index % 20 == 0 else "kreis" if index % 20 in (1, 2, 3) else "gemeinde"


def water_fill(budget: int, weights: list[float], cap: int) -> list[int]:
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


async def areas_by_level(conn: asyncpg.Connection) -> dict[str, list[str]]:
    rows = await conn.fetch("SELECT ars, level FROM area WHERE current AND level IN"
                            " ('land', 'kreis', 'gemeindeverband', 'gemeinde') ORDER BY ars")
    by_level: dict[str, list[str]] = {}
    for r in rows:
        by_level.setdefault(r["level"], []).append(r["ars"])
    return by_level


def areas_for(rng: random.Random, level: str, n: int, areas: dict[str, list[str]]) -> list[str]:
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


async def copy_adoptions(conn: asyncpg.Connection, rng: random.Random, pairs: list[tuple[uuid.UUID, str]]) -> int:
    """One adoption per (solution, area) in ``pairs``, by COPY inside the caller's transaction."""
    records = [_adoption(rng, solution, area, number) for number, (solution, area) in enumerate(pairs)]
    # The keys are drawn from the tables just written or read: skip the per-row foreign-key triggers.
    await conn.execute("SET LOCAL session_replication_role = replica")
    await conn.copy_records_to_table("adoption", records=records, timeout=900, columns=COLUMNS)
    await conn.execute("SET LOCAL session_replication_role = DEFAULT")
    return len(records)


async def _catalogue(conn: asyncpg.Connection, solutions: int, ozg: int) -> list[tuple]:
    """Länder, Themenfelder, ``ozg`` OZG-Leistungen, one provider and ``solutions`` solutions linked to
    them; the solutions as (id, slug, name, provider, status, rollout level)."""
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
    return rows


async def build_dataset(conn: asyncpg.Connection, rng: random.Random, *, solutions: int, adoptions: int,
                        ozg: int = 100) -> int:
    """The catalogue and ``adoptions`` adoptions of it: a few per Land- and Kreis-level solution, the rest
    over the Gemeinde-level ones by a popularity curve. Returns the adoptions written."""
    rows = await _catalogue(conn, solutions, ozg)
    areas = await areas_by_level(conn)
    sizes = {r[0]: rng.randint(16, 400) if r[5] == "kreis" else rng.randint(4, 16) for r in rows if r[5] != "gemeinde"}
    kreis_level = sum(1 for r in rows if r[5] == "kreis")  # each also has one Land-wide adoption
    gemeinde_rows = [r[0] for r in rows if r[5] == "gemeinde"]
    weights = [1 / (i + 1) ** 0.6 for i in range(len(gemeinde_rows))]
    budget = adoptions - sum(sizes.values()) - kreis_level
    sizes |= dict(zip(gemeinde_rows, water_fill(budget, weights, 10_000), strict=True))
    pairs = sorted((r[0], area) for r in rows for area in areas_for(rng, r[5], sizes[r[0]], areas))
    return await copy_adoptions(conn, rng, pairs)


async def load(solutions: int, adoptions: int, *, gv100ad: Path | bytes = GV100AD, rebuild: bool = True,
               extra: Callable[[asyncpg.Connection], Awaitable[object]] | None = None) -> int:
    """On the open pool: migrations, the GV100AD, ``build_dataset`` (and ``extra``, a benchmark's own
    additions, in the same transaction), ANALYZE, and unless not ``rebuild``, ``rebuild_all``.
    Returns the adoptions written."""
    started = time.perf_counter()
    await migrate.migrate()
    await import_gv100ad(gv100ad)
    step("GV100AD import + migrations", started, 52)
    started = time.perf_counter()
    async with db.transaction() as conn:
        count = await build_dataset(conn, random.Random(4), solutions=solutions, adoptions=adoptions)
        if extra is not None:
            await extra(conn)
    await analyze()
    step(f"{count:,} adoptions generated + COPY + ANALYZE", started, 52)
    if rebuild:
        started = time.perf_counter()
        async with db.transaction() as conn:
            await service.rebuild_all(conn)
            rows = await conn.fetchrow("SELECT (SELECT count(*) FROM rollout_solution_land) AS s,"
                                       " (SELECT count(*) FROM rollout_ozg_land) AS o")
        await analyze()
        step(f"rebuild_all ({rows['s']} solution × Land, {rows['o']} OZG × Land rows)", started, 52)
    return count


def run(name: str, bench: Callable[[harness.Database, Settings, argparse.Namespace], Awaitable[T]],
        args: argparse.Namespace, *, pool_max_size: int, keep: str | None = None) -> T:
    """A benchmark on this data set: its settings, its headline, ``bench`` on a database of its own."""
    settings = harness.settings(pool_min_size=2, pool_max_size=pool_max_size)
    print(f"{name} benchmark: {args.solutions} solutions, {args.adoptions:,} adoptions, {os.cpu_count()} CPUs")
    with harness.database(f"efa-bench-{name}-", keep) as pg:
        return asyncio.run(bench(pg, settings, args))
