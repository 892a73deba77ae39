"""Benchmark of the GV100AD import on its own embedded PostgreSQL (not a test).

    python -m bench.bench_gv100ad_import [FILE] [--runs N]

FILE defaults to the real edition in ../shared/data beside the checkout. Each run loads the
file into an emptied area table (fresh) and then loads it again (idempotent re-import); the
parse alone is timed separately. Prints min/median/max seconds of each.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench import harness
from efa_registry import db
from efa_registry.areas.gv100ad import parse_gv100ad
from efa_registry.areas.gv100ad_import import import_gv100ad
from efa_registry.db import migrate
from efa_registry.settings import Settings


def _spread(label: str, seconds: list[float]) -> str:
    return (f"{label:<22} min {min(seconds):6.3f} s   median {statistics.median(seconds):6.3f} s"
            f"   max {max(seconds):6.3f} s   (n={len(seconds)})")


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


async def _imports(dsn: str, settings: Settings, path: Path, runs: int) -> dict[str, list[float]]:
    async with harness.connected(dsn, settings):
        await migrate.migrate()
        times: dict[str, list[float]] = {"fresh import": [], "re-import (no change)": []}
        for _ in range(runs):
            async with db.connection() as conn:
                await conn.execute("TRUNCATE area, event RESTART IDENTITY CASCADE")
            for label, expect_created in (("fresh import", True), ("re-import (no change)", False)):
                started = time.perf_counter()
                summary = await import_gv100ad(path)
                times[label].append(time.perf_counter() - started)
                if bool(summary.created) is not expect_created or summary.updated:
                    raise RuntimeError(f"unexpected {label}: {summary.lines()[0]}")
        return times


def main(argv: list[str] | None = None) -> int:
    parser = harness.arguments(__doc__)
    parser.add_argument("file", nargs="?", type=Path, default=harness.GV100AD)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    if harness.missing(args.file):
        return 0
    settings = harness.settings(pool_min_size=1, pool_max_size=2)
    data = args.file.read_bytes()
    records = len(parse_gv100ad(data).rows)
    parse_times = [_timed(lambda: parse_gv100ad(data)) for _ in range(args.runs)]
    with harness.database("efa-bench-pg-") as pg:
        times = asyncio.run(_imports(pg.dsn, settings, args.file, args.runs))
    print(f"GV100AD import benchmark: {args.file.name}, {records} records, {args.runs} runs")
    print(_spread("parse only", parse_times))
    for label, seconds in times.items():
        print(_spread(label, seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
