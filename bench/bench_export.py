"""Benchmark of the bulk export on its own embedded PostgreSQL (not a test).

    python -m bench.bench_export [--adoptions N] [--small N] [--solutions N]

Loads the real GV100AD (exits 0 with a message when ../shared/data is absent), 600 solutions
with one interface each and first ``--small`` (100,000) adoptions by COPY, then exports
``adoptions.ndjson`` and ``adoptions.csv`` through HTTP: uvicorn serves the real app in a
subprocess on 127.0.0.1 and httpx streams the body away. Then it loads the rest up to
``--adoptions`` (1,000,000) and exports again. Per export: time to first byte, total time,
rows/s, MB/s, and the server process's resident memory before and at its peak (VmHWM, reset
through /proc/<pid>/clear_refs before each export) — the peak must not grow with the row count.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import time
import uuid
from pathlib import Path

import httpx

from bench import harness
from bench.common import Server
from bench.dataset import STATUSES
from efa_registry import db
from efa_registry.areas.gv100ad_import import import_gv100ad
from efa_registry.db import migrate
from efa_registry.seeding.reference import seed_laender, seed_themenfelder
from efa_registry.settings import Settings
from seed import SEED_DIR

# --------------------------------------------------------------------------- data set


async def load_catalogue(conn, solutions: int) -> tuple[list[uuid.UUID], list[uuid.UUID], list[str]]:
    await seed_laender(conn, SEED_DIR)
    await seed_themenfelder(conn, SEED_DIR)
    themen = [r[0] for r in await conn.fetch("SELECT key FROM themenfeld ORDER BY position")]
    await conn.executemany("INSERT INTO ozg_leistung (ozg_id, name, themenfeld) VALUES ($1, $2, $3)",
                           [(str(10000 + i), f"Leistung {i}", themen[i % len(themen)]) for i in range(100)])
    org = uuid.uuid4()
    await conn.execute("INSERT INTO organisation (id, slug, kind, name) VALUES ($1, 'bench', 'land', 'Bench')", org)
    ids = [uuid.uuid4() for _ in range(solutions)]
    await conn.executemany("INSERT INTO solution (id, slug, name, provider, status) VALUES ($1, $2, $3, $4, 'pilot')",
                           [(s, f"loesung-{i:03d}", f"Lösung {i:03d}", org) for i, s in enumerate(ids)])
    await conn.executemany("INSERT INTO solution_ozg_leistung (solution, ozg_leistung) VALUES ($1, $2)",
                           [(s, str(10000 + i % 100)) for i, s in enumerate(ids)])
    interfaces = [uuid.uuid4() for _ in ids]
    await conn.executemany("INSERT INTO interface (id, solution, kind, standard) VALUES ($1, $2, 'xoev', 'XBau')",
                           list(zip(interfaces, ids, strict=True)))
    areas = [r[0] for r in await conn.fetch("SELECT ars FROM area WHERE level IN ('gemeinde', 'kreis') AND current")]
    return ids, interfaces, areas


async def load_adoptions(conn, rng: random.Random, plan: list[tuple[uuid.UUID, uuid.UUID, list[str]]]) -> int:
    """One adoption per (solution, area) in ``plan``; a fifth connect the solution's interface."""
    first, last = dt.date(2020, 1, 1), dt.date(2026, 10, 31)
    rows, links = [], []
    for solution, interface, areas in plan:
        for ars in areas:
            status = rng.choice(STATUSES)
            paused_from = "live" if status == "paused" else None
            live = first + dt.timedelta(days=rng.randrange((last - first).days)) if status in ("live", "paused") \
                else None
            adoption = uuid.uuid4()
            rows.append((adoption, solution, ars, status, paused_from, live))
            if rng.random() < 0.2:
                links.append((adoption, interface))
    # The generated rows are consistent by construction: skip the per-row foreign-key triggers (superuser
    # on the embedded server), which would otherwise take most of the load time.
    await conn.execute("SET session_replication_role = replica")
    await conn.copy_records_to_table("adoption", records=rows, timeout=600,
                                     columns=["id", "solution", "area", "status", "paused_from", "live_since"])
    await conn.copy_records_to_table("adoption_interface", records=links, columns=["adoption", "interface"],
                                     timeout=600)
    await conn.execute("SET session_replication_role = DEFAULT; ANALYZE adoption; ANALYZE adoption_interface")
    return len(rows)


# --------------------------------------------------------------------------- measuring


def _memory_kib(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def export(base: str, pid: int, file: str) -> dict[str, float]:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
    before = _memory_kib(pid)["VmRSS"]
    started = time.perf_counter()
    first_byte = size = lines = 0
    with httpx.stream("GET", f"{base}/v1/export/{file}", timeout=600) as response:
        response.raise_for_status()
        for chunk in response.iter_raw(1 << 16):
            first_byte = first_byte or time.perf_counter() - started
            size += len(chunk)
            lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    rows = lines - (1 if file.endswith(".csv") else 0)
    peak = _memory_kib(pid)["VmHWM"]
    return {"rows": rows, "seconds": seconds, "ttfb": first_byte, "mb": size / 1e6, "rss_before": before / 1024,
            "rss_peak": peak / 1024}


# --------------------------------------------------------------------------- run


async def _prepare(args: argparse.Namespace):
    await migrate.migrate()
    await import_gv100ad(harness.GV100AD)
    async with db.connection() as conn:
        solutions, interfaces, areas = await load_catalogue(conn, args.solutions)
    rng = random.Random(20261122)
    per_solution = -(-args.adoptions // args.solutions)
    picks = [rng.sample(areas, per_solution) for _ in solutions]
    cut = -(-args.small // args.solutions)
    return rng, [(s, i, p) for s, i, p in zip(solutions, interfaces, picks, strict=True)], cut


async def _load(rng, plan, start: int, stop: int, limit: int) -> int:
    chosen, budget = [], limit
    for solution, interface, picks in plan:
        take = picks[start:stop][:budget]
        budget -= len(take)
        chosen.append((solution, interface, take))
    async with db.connection() as conn:
        return await load_adoptions(conn, rng, chosen)


def _line(label: str, r: dict[str, float]) -> str:
    cells = [label, f"{r['rows']:,.0f}", f"{r['seconds']:.2f}", f"{r['ttfb'] * 1000:.0f}",
             f"{r['rows'] / r['seconds']:,.0f}", f"{r['mb']:.0f}", f"{r['mb'] / r['seconds']:.1f}",
             f"{r['rss_before']:.1f}", f"{r['rss_peak']:.1f}"]
    return "| " + " | ".join(cells) + " |"


def _exports(loop: asyncio.AbstractEventLoop, pg: harness.Database, settings: Settings,
             args: argparse.Namespace) -> list[str]:
    """Both exports at ``--small`` adoptions, then again at ``--adoptions``; the pool stays open on
    ``loop`` between the loads while the server streams."""
    started = time.perf_counter()
    loop.run_until_complete(db.connect(pg.dsn, settings))
    rng, plan, cut = loop.run_until_complete(_prepare(args))
    loaded = loop.run_until_complete(_load(rng, plan, 0, cut, args.small))
    print(f"loaded GV100AD, {args.solutions} solutions, {loaded:,} adoptions in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    env = {**os.environ, "EFA_DATABASE_URL": pg.dsn, "EFA_LOG_LEVEL": "warning", "EFA_LOG_FORMAT": "json"}
    server, lines = Server("server", ["bench.common:http_app", "--factory"], env, pg.tmp), []
    try:
        server.wait_ready("/health")
        for total in (loaded, args.adoptions):
            if total > loaded:
                started = time.perf_counter()
                loaded += loop.run_until_complete(_load(rng, plan, cut, None, args.adoptions - loaded))
                print(f"loaded up to {loaded:,} adoptions in {time.perf_counter() - started:.1f} s", flush=True)
            for fmt in ("ndjson", "csv"):
                lines.append(_line(f"adoptions.{fmt}", export(server.base, server.process.pid, f"adoptions.{fmt}")))
                print(lines[-1], flush=True)
    finally:
        server.stop()
        loop.run_until_complete(db.close())
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = harness.arguments(__doc__, adoptions=1_000_000, solutions=600)
    parser.add_argument("--small", type=int, default=100_000, help="adoptions of the first export")
    args = parser.parse_args(argv)
    if harness.missing(harness.GV100AD):
        return 0
    settings = harness.settings(pool_min_size=1, pool_max_size=2)
    with harness.database("efa-bench-export-") as pg:
        loop = asyncio.new_event_loop()
        try:
            lines = _exports(loop, pg, settings, args)
        finally:
            loop.close()
    print("\n".join(["| export | rows | seconds | first byte ms | rows/s | MB | MB/s | server RSS before MiB |"
                     " server peak RSS MiB |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|", *lines]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
