"""Apply and inspect Piccolo migrations (the only way the schema changes)."""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Awaitable, Callable

from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import Finder

from efa_registry import db  # noqa: F401  (sets PICCOLO_CONF)
from efa_registry.errors import DatabaseNotReady

APP = "efa_registry"


async def migrate() -> list[str]:
    """Apply every pending migration; returns the ids applied."""
    before = set(await applied())
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        response = await run_forwards(app_name=APP, migration_id="all", fake=False)
    if not response.success:
        raise DatabaseNotReady(f"migration failed: {response.message}\n{out.getvalue()}")
    return sorted(set(await applied()) - before)


async def applied() -> list[str]:
    if not await Migration.table_exists():
        return []
    return await Migration.get_migrations_which_ran(app_name=APP)


@functools.cache
def _available() -> tuple[str, ...]:
    """The migration ids shipped with this code; read from disk once (they cannot change while it runs)."""
    manager = BaseMigrationManager()
    config = Finder().get_app_config(APP)
    return tuple(sorted(manager.get_migration_ids(manager.get_migration_modules(config.migrations_folder_path))))


def available() -> list[str]:
    return list(_available())


async def pending() -> list[str]:
    done = set(await applied())
    return [m for m in available() if m not in done]


def sql_statements(migration_id: str, description: str, statements: list[str]) -> Callable[[], Awaitable[object]]:
    """The ``forwards`` of a migration that runs plain SQL statements in order (triggers, indexes,
    tables Piccolo's column types cannot express). Each migration file keeps its own statements."""
    from piccolo.apps.migrations.auto.migration_manager import MigrationManager
    from piccolo.engine import engine_finder

    async def forwards() -> MigrationManager:
        manager = MigrationManager(migration_id=migration_id, app_name=APP, description=description)

        async def run() -> None:
            engine = engine_finder()
            for statement in statements:
                await engine.run_ddl(statement)

        manager.add_raw(run)
        return manager

    return forwards
