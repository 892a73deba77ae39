"""Database lifecycle: the embedded PostgreSQL, the connection pool, migrations, and the
mapping of constraint violations to domain errors."""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import structlog

from efa_registry.errors import AlreadyExists, DatabaseNotReady, InvalidInput, InvalidReference
from efa_registry.settings import Settings

os.environ.setdefault("PICCOLO_CONF", "efa_registry.piccolo_conf")

from efa_registry.piccolo_conf import DB

log = structlog.get_logger(__name__)

EMBEDDED_DATABASE = "efa_registry"


class EmbeddedPostgres:
    """PostgreSQL 16 from the pgserver wheel, in ``<data_dir>/pgdata``; kept across restarts."""

    def __init__(self, data_dir: str | Path, database: str = EMBEDDED_DATABASE) -> None:
        self.pgdata = Path(data_dir) / "pgdata"
        self.database = database
        self._server: Any = None

    def start(self) -> str:
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        log.info("db.embedded.starting", pgdata=str(self.pgdata))
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers); pgserver copes.
            warnings.simplefilter("ignore")
            import pgserver  # lazily: production with EFA_DATABASE_URL never needs it

            self._server = pgserver.get_server(self.pgdata, cleanup_mode="stop")
        exists = self._server.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{self.database}';"
        )
        if "(1 row)" not in exists:
            self._server.psql(f'CREATE DATABASE "{self.database}";')
        return self._server.get_uri(self.database)

    def stop(self) -> None:
        if self._server is not None:
            log.info("db.embedded.stopping", pgdata=str(self.pgdata))
            self._server.cleanup()
            self._server = None


@contextlib.contextmanager
def database_url(settings: Settings) -> Iterator[str]:
    """The DSN to use: ``EFA_DATABASE_URL`` or a started embedded server (stopped on exit)."""
    if settings.database_url:
        yield settings.database_url
        return
    embedded = EmbeddedPostgres(settings.data_dir)
    try:
        yield embedded.start()
    finally:
        embedded.stop()


async def connect(dsn: str, settings: Settings) -> None:
    """Point Piccolo's engine at ``dsn`` and open its pool (shared by Piccolo and raw SQL)."""
    await close()
    DB.config = {"dsn": dsn}
    await DB.start_connection_pool(
        min_size=settings.pool_min_size, max_size=settings.pool_max_size, command_timeout=60
    )


async def close() -> None:
    if DB.pool is not None:
        await DB.close_connection_pool()


def pool() -> asyncpg.Pool:
    if DB.pool is None:
        raise DatabaseNotReady("the connection pool is not open")
    return DB.pool


@contextlib.asynccontextmanager
async def transaction() -> AsyncIterator[asyncpg.Connection]:
    """One transaction; Piccolo queries inside it join it, raw SQL uses the yielded connection.

    Constraint violations leave as domain errors naming the field.
    """
    try:
        async with DB.transaction() as tx:
            yield tx.connection
    except asyncpg.IntegrityConstraintViolationError as exc:
        raise constraint_error(exc) from exc


@contextlib.asynccontextmanager
async def connection() -> AsyncIterator[asyncpg.Connection]:
    """A pooled connection for reads (no transaction unless the caller opens one)."""
    async with pool().acquire() as conn:
        yield conn


# Constraint name → (field on the wire, message). One place, used by every use case.
CONSTRAINT_FIELDS: dict[str, tuple[str, str]] = {
    "organisation_slug_key": ("slug", "an organisation with this slug exists"),
    "solution_slug_key": ("slug", "a solution with this slug exists"),
    "adoption_one_open_per_area": ("ars", "this area already has an open adoption of this solution"),
    "solution_reifegrad_check": ("reifegrad", "Reifegrad out of range for its model (1.1: 0–4, 2.0: 0–7)"),
}


def constraint_error(exc: asyncpg.IntegrityConstraintViolationError) -> Exception:
    name = getattr(exc, "constraint_name", None) or ""
    column = getattr(exc, "column_name", None)
    field, message = CONSTRAINT_FIELDS.get(name, (column or name, str(exc).split("\n")[0]))
    if isinstance(exc, asyncpg.UniqueViolationError):
        return AlreadyExists(message, field=field)
    if isinstance(exc, asyncpg.ForeignKeyViolationError):
        return InvalidReference(f"unknown reference: {exc.detail or message}", field=field)
    return InvalidInput(message, field=field)
