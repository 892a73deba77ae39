"""Benchmark of the GV100AD import on its own embedded PostgreSQL (not a test).

    python -m bench.bench_gv100ad_import [FILE] [--runs N]

FILE defaults to the real edition in ../shared/data beside the checkout. Each run loads the
file into an emptied area table (fresh) and then loads it again (idempotent re-import); the
parse alone is timed separately. Prints min/median/max seconds of each.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from efa_registry import db
from efa_registry.areas.gv100ad import parse_gv100ad
from efa_registry.areas.gv100ad_import import import_gv100ad
from efa_registry.db import embedded, migrate
from efa_registry.log import configure_logging
from efa_registry.settings import Settings

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILE = REPO.parent / "shared" / "data" / "gv100ad" / "GV100AD_30112025.txt"


def _spread(label: str, seconds: list[float]) -> str:
    return (f"{label:<22} min {min(seconds):6.3f} s   median {statistics.median(seconds):6.3f} s"
            f"   max {max(seconds):6.3f} s   (n={len(seconds)})")


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


async def _imports(dsn: str, settings: Settings, path: Path, runs: int) -> dict[str, list[float]]:
    await db.connect(dsn, settings)
    try:
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
    finally:
        await db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    if not args.file.exists():
        print(f"GV100AD file not found at {args.file}: nothing to benchmark.")
        print("Pass a file, or put the reference data in ../shared/data beside the checkout.")
        return 0
    settings = Settings.from_env({}, pool_min_size=1, pool_max_size=2, log_level="warning")
    configure_logging(settings)
    data = args.file.read_bytes()
    records = len(parse_gv100ad(data).rows)
    parse_times = [_timed(lambda: parse_gv100ad(data)) for _ in range(args.runs)]
    with tempfile.TemporaryDirectory(prefix="efa-bench-pg-") as tmp:
        server = embedded.EmbeddedPostgres(tmp, database="efa_bench")
        dsn = server.start()
        try:
            times = asyncio.run(_imports(dsn, settings, args.file, args.runs))
        finally:
            server.stop()
    print(f"GV100AD import benchmark: {args.file.name}, {records} records, {args.runs} runs")
    print(_spread("parse only", parse_times))
    for label, seconds in times.items():
        print(_spread(label, seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
