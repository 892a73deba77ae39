"""The database: the connection pool shared by Piccolo and raw SQL, transactions, and the
mapping of constraint violations to domain errors. The embedded server is in ``db.embedded``,
the migrations runner in ``db.migrate``, the Piccolo tables in ``db.tables`` and
``db.operations_tables``."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from collections.abc import AsyncIterator, Awaitable

import asyncpg
import structlog

from efa_registry.errors import AlreadyExists, DatabaseNotReady, InvalidInput, InvalidReference
from efa_registry.settings import Settings

os.environ.setdefault("PICCOLO_CONF", "efa_registry.db.piccolo_conf")

from efa_registry.db.piccolo_conf import DB

log = structlog.get_logger(__name__)

CONNECT_TIMEOUT = 5  # seconds
CLOSE_TIMEOUT = 10


# The pool of ``generic_plans``: its sessions plan prepared statements generically.
_generic: asyncpg.Pool | None = None


def _generic_pool_size(settings: Settings) -> int:
    """Connections of the ``generic_plans`` pool, beside the ``pool_max_size`` of the main one."""
    return max(2, settings.pool_max_size // 2)


async def connect(dsn: str, settings: Settings) -> None:
    """Point Piccolo's engine at ``dsn`` and open its pool (shared by Piccolo and raw SQL), and the
    pool of ``generic_plans``."""
    global _generic
    await close()
    DB.config = {"dsn": dsn}
    # A bounded connect: while the database restarts, a request answers 503 within seconds
    # instead of waiting out asyncpg's default minute.
    options = {"command_timeout": 60, "timeout": CONNECT_TIMEOUT, "reset": _keep_session}
    await DB.start_connection_pool(min_size=settings.pool_min_size, max_size=settings.pool_max_size, **options)
    _generic = await asyncpg.create_pool(dsn, min_size=1, max_size=_generic_pool_size(settings), **options,
                                         server_settings={"plan_cache_mode": "force_generic_plan"})


async def _keep_session(conn: asyncpg.Connection) -> None:
    """What a released connection needs beyond asyncpg's own rollback of an open transaction: nothing.

    asyncpg's default reset sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET
    ALL`` on every release — one more round trip per request, a fifth of a bare write's time here.
    The registry keeps no session state on pooled connections (only ``SET LOCAL``, transaction-scoped
    advisory locks, no LISTEN, no cursors WITH HOLD), so there is nothing to undo.
    """


async def close() -> None:
    global _generic
    generic, _generic = _generic, None
    if generic is not None:
        await _closed(generic.close(), generic)
    if DB.pool is not None and not await _closed(DB.close_connection_pool(), DB.pool):
        DB.pool = None


async def _closed(closing: Awaitable[None], pool: asyncpg.Pool) -> bool:
    """Whether ``pool`` closed gracefully; else it is terminated. A connection whose server died
    mid-statement can stay "in use" for ever, and a graceful close waits for it: end them all, so
    a stop after an outage does not hang."""
    try:
        await asyncio.wait_for(closing, CLOSE_TIMEOUT)
        return True
    except TimeoutError:
        log.warning("db.pool_terminated", after_seconds=CLOSE_TIMEOUT)
        pool.terminate()
        return False


def pools() -> dict[str, asyncpg.Pool]:
    """The open pools by name: ``main`` (use cases, Piccolo) and ``catalogue`` (``generic_plans``)."""
    return {"main": pool(), **({"catalogue": _generic} if _generic is not None else {})}


def pool() -> asyncpg.Pool:
    if DB.pool is None:
        raise DatabaseNotReady("the connection pool is not open")
    return DB.pool


@contextlib.asynccontextmanager
async def transaction(*, generic_plans: bool = False) -> AsyncIterator[asyncpg.Connection]:
    """One transaction; Piccolo queries inside it join it, raw SQL uses the yielded connection.

    Constraint violations leave as domain errors naming the field. ``generic_plans``: a use case of
    a few single-row statements in raw SQL (no Piccolo inside), whose prepared statements run on
    their generic plans (``_on_generic_plans``) — PostgreSQL would plan several of them anew on every call.
    """
    try:
        if generic_plans:
            async with _on_generic_plans() as conn:
                yield conn
        else:
            async with DB.transaction() as tx:
                yield tx.connection
    except asyncpg.IntegrityConstraintViolationError as exc:
        raise constraint_error(exc) from exc


@contextlib.asynccontextmanager
async def connection() -> AsyncIterator[asyncpg.Connection]:
    """A pooled connection for reads (no transaction unless the caller opens one)."""
    async with pool().acquire() as conn:
        yield conn


@contextlib.asynccontextmanager
async def generic_plans() -> AsyncIterator[asyncpg.Connection]:
    """A pooled connection whose prepared statements run on their generic plans, for a read that
    is one large statement PostgreSQL would otherwise plan anew on every request (the catalogue
    search with its facets and summaries: ~1.5 ms of planning for 1 ms of work, since it estimates
    the generic plan dearer). From a pool of its own whose sessions are set so (``connect``): no
    round trip to set the plan mode, and no other read gets it (Gebiet and Land pages were slower
    on generic plans)."""
    if _generic is None:
        raise DatabaseNotReady("the connection pool is not open")
    async with _generic.acquire() as conn:
        yield conn


@contextlib.asynccontextmanager
async def _on_generic_plans() -> AsyncIterator[asyncpg.Connection]:
    """A transaction on the main pool whose statements run on their generic plans. Opening it is
    one round trip (a round trip costs a write here about as much as a small statement does);
    committed on success, rolled back on any exception."""
    async with pool().acquire() as conn:
        await conn.execute("BEGIN; SET LOCAL plan_cache_mode = force_generic_plan")
        try:
            yield conn
        except BaseException:
            if not conn.is_closed():
                await conn.execute("ROLLBACK")
            raise
        await conn.execute("COMMIT")


async def ping() -> None:
    """A round trip to the database; raises whatever keeps it from answering."""
    async with connection() as conn:
        await conn.fetchval("SELECT 1")


# Constraint name → (field on the wire, message). One place, used by every use case.
CONSTRAINT_FIELDS: dict[str, tuple[str, str]] = {
    "organisation_slug_key": ("slug", "an organisation with this slug exists"),
    "solution_slug_key": ("slug", "a solution with this slug exists"),
    "adoption_one_open_per_area": ("ars", "this area already has an open adoption of this solution"),
    "solution_reifegrad_check": ("reifegrad", "Reifegrad out of range for its model (1.1: 0–4, 2.0: 0–7)"),
    "organisation_area_fkey": ("area", "no area with this ARS"),
    "api_token_organisation_fkey": ("organisation", "no organisation with this id"),
}
_KEY_COLUMNS = re.compile(r"^Key \(([a-z_, ]+)\)")  # PostgreSQL's detail: "Key (organisation)=(…) is not present …"


def constraint_error(exc: asyncpg.IntegrityConstraintViolationError) -> Exception:
    """The domain error for a constraint the database enforced: a mapped one with its field and
    message; any other with the column it names and a message that names no table or constraint."""
    name = getattr(exc, "constraint_name", None) or ""
    if name in CONSTRAINT_FIELDS:
        field, message = CONSTRAINT_FIELDS[name]
    else:
        log.warning("db.constraint_unmapped", constraint=name, error=type(exc).__name__)
        key = _KEY_COLUMNS.match(getattr(exc, "detail", None) or "")
        table = getattr(exc, "table_name", None) or ""
        checked = name[len(table) + 1:-len("_check")] if name.startswith(table + "_") and name.endswith("_check") \
            else None  # piccolo names checks <table>_<column>_check
        column = getattr(exc, "column_name", None) or (key.group(1).split(",")[0] if key else checked)
        field = _camel(column) if column else None
        message = {asyncpg.UniqueViolationError: "an entry with this value exists",
                   asyncpg.ForeignKeyViolationError: "refers to an entry that does not exist",
                   asyncpg.NotNullViolationError: "a value is required"}.get(type(exc), "a value is not allowed here")
    if isinstance(exc, asyncpg.UniqueViolationError):
        return AlreadyExists(message, field=field)
    if isinstance(exc, asyncpg.ForeignKeyViolationError):
        return InvalidReference(message, field=field)
    return InvalidInput(message, field=field)


def _camel(column: str) -> str:
    head, *rest = column.strip().split("_")
    return head + "".join(word.title() for word in rest)
