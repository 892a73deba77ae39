"""Test fixtures: one real PostgreSQL per session (embedded pgserver unless
EFA_TEST_DATABASE_URL is set), schema built by the migrations, tables truncated per test."""

from __future__ import annotations

import asyncio
import atexit
import gzip
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from efa_registry import db
from efa_registry.db import embedded, migrate
from efa_registry.settings import Settings
from seed import SEED_DIR

pytest_plugins = ["tests.reference_fixtures"]

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHIPPED = SEED_DIR / "reference"


def _unpacked(name: str) -> Path:
    """A shipped reference file, decompressed once per test run (importers read plain files)."""
    target = Path(tempfile.gettempdir()) / f"efa-shipped-{os.getpid()}" / name.removesuffix(".gz")
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gzip.decompress((SHIPPED / name).read_bytes()))
        atexit.register(shutil.rmtree, target.parent, ignore_errors=True)
    return target


# The official editions the package ships (seed/reference): every test runs on a plain clone.
GV100AD_REAL = _unpacked("GV100AD_30112025.txt.gz")
OZG_REAL = _unpacked("ozg_leistungen.csv.gz").parent
_unpacked("leika_ozg_zuordnung.csv.gz")


@pytest.fixture(scope="session")
def database_dsn() -> Iterator[str]:
    url = os.environ.get("EFA_TEST_DATABASE_URL")
    if url:
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="efa-test-pg-") as tmp:
        server = embedded.EmbeddedPostgres(tmp, database="efa_test")
        try:
            dsn = server.start()
            # A throw-away test server need not survive a crash: skip the disk flushes.
            asyncio.run(_no_durability(dsn))
            yield dsn
        finally:
            server.stop()


async def _no_durability(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("ALTER SYSTEM SET fsync = off")
        await conn.execute("ALTER SYSTEM SET synchronous_commit = off")
        await conn.execute("ALTER SYSTEM SET full_page_writes = off")
        await conn.execute("SELECT pg_reload_conf()")
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def settings(database_dsn: str) -> Settings:
    return Settings.from_env({}, database_url=database_dsn, pool_min_size=1, pool_max_size=12,
                             webhook_allow_private=True, log_level="warning")


@pytest.fixture(scope="session")
async def database(settings: Settings, database_dsn: str) -> AsyncIterator[str]:
    """Schema from the migrations, on a clean slate; the shared pool open for the session."""
    conn = await asyncpg.connect(database_dsn)
    try:
        await conn.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()
    await db.connect(database_dsn, settings)
    await migrate.migrate()
    yield database_dsn
    await db.close()


TABLES_SQL = """
SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migration'
"""


@pytest.fixture
async def clean_db(database: str) -> AsyncIterator[str]:
    """An empty database (schema kept) for each test that asks for it.

    Only tables holding rows are truncated: TRUNCATE costs per table, and most tests touch few.
    """
    async with db.connection() as conn:
        tables = [r["tablename"] for r in await conn.fetch(TABLES_SQL)]
        probe = " UNION ALL ".join(
            f"(SELECT '{t}' FROM \"{t}\" LIMIT 1)" for t in tables
        )
        filled = [r[0] for r in await conn.fetch(probe)]
        if filled:
            names = ", ".join(f'"{t}"' for t in filled)
            await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    yield database


@pytest.fixture(scope="session")
def app(settings: Settings, database: str):
    from api.app import create_app

    # No lifespan here: the session fixture owns the pool, and anyio's lifespan task group cannot
    # be entered and left from different pytest-asyncio tasks.
    return create_app(settings)


@pytest.fixture
async def client(app, clean_db: str) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP through the real app on the test's own event loop (not Litestar's TestClient)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://registry.test") as c:
        yield c
