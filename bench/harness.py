"""What every benchmark's ``main`` does, in one place (not a test).

Its command line from the shared ``OPTIONS`` (``arguments``), the check for the reference data
(``missing``), settings with logging (``settings``), a PostgreSQL of its own in a temporary
directory (``database``) and the pool on it (``connected``), the wrk script (``wrk_script``), and
the lines that say how long a step took and under what load a figure was taken.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import NamedTuple

from bench.common import DATA, WRK_SCRIPT
from efa_registry import db
from efa_registry.db import embedded
from efa_registry.log import configure_logging
from efa_registry.settings import Settings

GV100AD = DATA / "gv100ad" / "GV100AD_30112025.txt"

# name → (type, help) of the options several benchmarks take; each names its own defaults.
OPTIONS: dict[str, tuple[type, str]] = {
    "solutions": (int, "solutions in the data set"),
    "adoptions": (int, "adoptions in the data set (by COPY)"),
    "clients": (int, "concurrent tasks / connections"),
    "seconds": (float, "time limit per measurement"),
    "events": (int, "events written before the measurement"),
    "duration": (float, "seconds measured per scenario"),
    "warmup": (float, "seconds of warm-up per scenario"),
    "rounds": (int, "interleaved rounds over all scenarios that the duration is split into"),
    "connections": (int, "connections of the load generator"),
    "max_requests": (int, "request cap per run"),
}


def arguments(doc: str, *, httpx: bool = False, **defaults: object) -> argparse.ArgumentParser:
    """The parser of a benchmark: its docstring's first line, the ``OPTIONS`` named in ``defaults``
    with the benchmark's defaults, and ``--httpx`` if it loads through ``common.load``. The benchmark
    adds the options that are its own."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    for name, default in defaults.items():
        kind, text = OPTIONS[name]
        parser.add_argument(f"--{name.replace('_', '-')}", type=kind, default=default, help=text)
    if httpx:
        parser.add_argument("--httpx", action="store_true",
                            help="use the httpx load generator even if wrk is installed")
    return parser


def missing(*paths: Path) -> bool:
    """Whether reference data is absent; then it says so, and the benchmark exits 0 (it is not a test)."""
    absent = [str(path) for path in paths if not path.exists()]
    if absent:
        print(f"reference data not found ({', '.join(absent)}): nothing to benchmark.")
        print("Put the reference data in ../shared/data beside the checkout.")
    return bool(absent)


def settings(**fields: object) -> Settings:
    """The benchmark's settings (``fields`` over the defaults; warnings only unless a ``log_level`` is
    given), with logging configured by them."""
    chosen = Settings.from_env({}, **{"log_level": "warning", **fields})
    configure_logging(chosen)
    return chosen


class Database(NamedTuple):
    dsn: str
    tmp: Path  # the benchmark's temporary directory, for server logs and scripts
    pgdata: Path


@contextmanager
def database(prefix: str, keep: str | None = None, name: str = "efa_bench") -> Iterator[Database]:
    """An embedded PostgreSQL of the benchmark's own, in a temporary directory (in ``keep`` instead,
    to reuse its data on the next run), stopped afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        server = embedded.EmbeddedPostgres(keep or tmp, database=name)
        dsn = server.start()
        try:
            yield Database(dsn, Path(tmp), server.pgdata)
        finally:
            server.stop()


@asynccontextmanager
async def connected(dsn: str, settings: Settings) -> AsyncIterator[None]:
    """The registry's pool on ``dsn`` while the block runs."""
    await db.connect(dsn, settings)
    try:
        yield
    finally:
        await db.close()


async def analyze() -> None:
    """Fresh statistics after a bulk load, so that the measured plans are the ones production gets."""
    async with db.connection() as conn:
        await conn.execute("VACUUM ANALYZE")


def wrk_script(directory: Path, use_httpx: bool) -> Path | None:
    """``WRK_SCRIPT`` as a file for ``common.load`` when wrk is installed and not declined, else None
    (``common.load`` then uses its httpx client)."""
    if use_httpx or not shutil.which("wrk"):
        return None
    script = directory / "bench.lua"
    script.write_text(WRK_SCRIPT)
    return script


def step(label: str, started: float, width: int = 44) -> None:
    """One line of progress: what was done and the seconds since ``started``."""
    print(f"{label:<{width}} {time.perf_counter() - started:7.1f} s", flush=True)


def load_average() -> str:
    """The machine's load average: other processes on the same cores skew every figure."""
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())
