"""The ``efa-registry`` command: the core's commands (efa_registry/cli.py) plus ``serve``,
which needs the HTTP app and therefore lives on this side of the dependency line."""

from __future__ import annotations

import argparse
import asyncio

import structlog

from efa_registry import cli as core
from efa_registry.db import embedded, migrate
from efa_registry.settings import Settings

log = structlog.get_logger("api.cli")


def cmd_serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from api.app import create_app

    with embedded.database_url(settings) as dsn:

        async def prepare() -> None:
            applied = await migrate.migrate()
            if applied:
                log.info("db.migrated", applied=applied)
            if args.demo:
                from efa_registry.seeding import seed

                await seed(demo=True, reference_dir=settings.reference_data_dir)

        asyncio.run(core.with_database(settings, dsn, prepare))
        log.info("serve.listening", url=f"http://{settings.host}:{settings.port}",
                 docs=f"http://{settings.host}:{settings.port}/schema")
        uvicorn.run(create_app(settings, dsn=dsn), host=settings.host, port=settings.port,
                    log_config=None, access_log=False, proxy_headers=True)


def add_serve(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser("serve", help="migrate, then serve the API (embedded PostgreSQL "
                           "unless EFA_DATABASE_URL is set)")
    serve.add_argument("--demo", action="store_true", help="load the demo content first")
    serve.set_defaults(func=cmd_serve)


def main(argv: list[str] | None = None) -> None:
    core.main(argv, extensions=[add_serve])


if __name__ == "__main__":
    main()
